"""Lexical checks: the agent's reuse of the customer's specifics, and consistent facts.

Does the agent reuse what the customer told them, and do the numbers and references the
agent states agree with each other and with the customer's?

* tailoring: specifics the customer gave (their name, order and reference numbers, e-mail
  addresses, amounts, dates, names of things) that an agent turn after it repeats, plus the
  share of their words taken up, moved by the replies' fit to their stated situation (_fit);
* accuracy: a reference the agent quotes that differs by a character or two from the one the
  customer gave, or the same kind of quantity (a number of days, an amount for the same
  thing) stated twice by the company with different values, a derived sum or date that does
  not follow from its stated inputs (_sums, _dates), a price for what was called free
  (_charges), a cut-off misapplied (_cutoffs), a deadline loosened or unmet need (_limits), a slot
  restated with another value (_restated); dangerous advice (_safety) is the rubric's 0.
  Consistent is not true: a fact restated in agreement scores 3, stated once 2.5.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from grader._results import JudgeVote
from grader._segments import Segment, split_sentences
from grader._transcript import AGENT_SIDE, Role
from grader.judges._charges import charged_after_free
from grader.judges._consistency import facts_of, restatement_conflicts
from grader.judges._cues import has, words
from grader.judges._cutoffs import cutoff_errors
from grader.judges._dates import date_errors
from grader.judges._fit import fit_shift
from grader.judges._focus import focus_shift, pushed_back
from grader.judges._limits import limit_errors
from grader.judges._protocol import Judge, JudgeContext, Votes
from grader.judges._rapport import customer_names
from grader.judges._restated import slot_errors
from grader.judges._safety import safety_findings
from grader.judges._sums import counts_in, sum_errors

__all__ = ["lexical_judge"]

_REFERENCE = re.compile(r"\b(?=[A-Z0-9-]*\d)[A-Z]{0,5}[-#]?\d{3,}[A-Z0-9-]*\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")  # no sentence-final dot
_AMOUNT = re.compile(
    r"[$€£]\s?\d[\d,]*(?:\.\d\d)?|\b\d[\d,]*(?:\.\d\d)?\s?(?:dollars|euros|usd|eur)\b", re.I
)
_PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z0-9][\w-]*)*")
_QUANTITY = re.compile(
    r"\b(\d+(?:\.\d+)?)[\s-]*(business days?|working days?|days?|weeks?|months?|hours?|"
    r"minutes?|years?|%|percent)\b",
    re.I,
)
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|to|–|until)\s*(\d{1,2})(?:st|nd|rd|th)?)?\s+"
    r"(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b",
    re.I,
)
#: Words that name what a price is; fee, charge and cost name the same thing.
_PRICE_NOUN = re.compile(
    r"\b(fee|charge|cost|price|rate|refund|credit|balance|deposit|fine)s?\b", re.I
)
_SAME_PRICE = {"charge": "fee", "cost": "fee"}
_STOP = frozenset(
    words(
        "the a an and or but if then so to of in on at for with from by is are was were be been it "
        "this that these those i you we they he she my your our their me us them do does did have "
        "has had not no yes can could would will just get got like also there here what when where "
        "why how hi hello hey thanks thank please sorry okay ok its it's im i'm dont don't cant "
        "can't"
    )
)


_NOVICE = re.compile(
    r"\b(?:first time|new to (?:this|it|all)|(?:don'?t|do not) (?:really )?(?:understand|get|know) "
    r"(?:what|how|this|the)|not (?:very )?(?:technical|good with)|beginner|no idea (?:what|how)|"
    r"what does \W?\w+\W? mean|never (?:done|had|used) (?:this|one|it) before)\b",
    re.I,
)
_EXPLAINS = re.compile(
    r"\b(?:means|in other words|simply put|put simply|basically|for example|for instance|"
    r"think of it|is what you|is the (?:amount|part|bit|money) you|lots of (?:people|first|new)|"
    r"good question|don'?t worry if|in plain terms|the short version)\b",
    re.I,
)


_TENS = re.compile(  # a count spelled out ("forty parcels a week"), theirs when said back
    r"\b(?:ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)\b",
    re.I,
)


def _specifics(text: str) -> set[str]:
    found = {
        m.group(0).strip().lower()
        for rx in (_REFERENCE, _EMAIL, _AMOUNT, _TENS)
        for m in rx.finditer(text)
    }
    for m in _PROPER.finditer(text):
        phrase = m.group(0).strip()
        if phrase.lower() not in _STOP and len(phrase) > 2:
            found.add(phrase.lower())
    return found


def _content(text: str) -> set[str]:
    return {w for w in words(text) if len(w) >= 4 and w not in _STOP}


def _tailoring(ctx: JudgeContext) -> JudgeVote:
    given: dict[str, str] = {}  # specific -> customer sentence id
    vocab: set[str] = set()
    reused: dict[str, str] = {}  # specific -> agent sentence id
    agent_words: set[str] = set()
    names = {n.lower() for n in customer_names(ctx)}
    for seg in ctx.segments:
        if seg.role is Role.CUSTOMER:
            for sp in _specifics(seg.text) | (names & set(words(seg.text))):
                given.setdefault(sp, seg.id)
            vocab |= _content(seg.text)
        elif seg.role in AGENT_SIDE:
            low = seg.text.lower()
            for sp in list(given) + sorted(names):
                if sp not in reused and re.search(rf"(?<!\w){re.escape(sp)}(?!\w)", low):
                    reused[sp] = seg.id
            agent_words |= _content(seg.text) & vocab
    share = len(agent_words) / max(1, len(vocab))
    focus = focus_shift(ctx)  # the thing they came about, named back: their first specific
    n = len(reused) + (focus > 0)
    score = 0.0 if n == 0 else 1.0 if n == 1 else 2.0 if n <= 3 else 2.5
    if not given and not names:
        score = 1.5  # nothing specific to reuse: no evidence either way
    score += min(0.5, share)  # the customer's own words taken up
    # the customer pushing back on a reply ("I just told you...", "that's not what I asked")
    pushback = [
        s.id
        for s in ctx.segments
        if s.role is Role.CUSTOMER and s.turn_index > 1 and pushed_back(s.text)
    ]
    score += min(0.0, focus) - (1.0 if pushback else 0.0)  # a template never naming it
    # a customer who says they are new to this: plain explanation fits, formal jargon does not
    novice = any(_NOVICE.search(ctx.segments[r].text) for r in ctx.customer_rows)
    explains = any(_EXPLAINS.search(s.text) for s in ctx.segments if s.role in AGENT_SIDE)
    if novice:
        score += 0.75 if explains else -0.75
    fit, fit_ids, fit_why = fit_shift(ctx.segments)  # the stated situation met or ignored
    score += fit
    evidence = list(
        dict.fromkeys(
            fit_ids + list(reused.values())[:2] + [given[s] for s in reused if s in given][:1]
        )
    )
    return JudgeVote(
        judge="detector:specifics",
        score=max(0.0, min(3.0, score)),
        confidence=0.65 if fit else 0.55 if given or names else 0.35,
        evidence=evidence[:3],
        rationale=f"agent reused {n} of {len(given)} specific(s) the customer gave"
        + (f" ({', '.join(sorted(reused)[:3])})" if reused else "")
        + f"; {share:.0%} of the customer's content words taken up"
        + ("; the customer pushed back" if pushback else "")
        + (f"; {fit_why}" if fit_why else ""),
    )


def _near_miss(a: str, b: str) -> bool:
    return a != b and len(a) >= 5 and SequenceMatcher(None, a, b).ratio() >= 0.75


def _price_key(text: str, start: int, end: int) -> str | None:
    """What an amount is the price of: the nearest price noun within a few words."""
    lo = max(0, start - 30)
    window = text[lo : end + 30]
    nouns = sorted(
        _PRICE_NOUN.finditer(window),
        key=lambda m: min(abs(lo + m.start() - end), abs(lo + m.end() - start)),
    )
    near = text[max(0, start - 12) : end + 14]
    if not nouns or re.search(r"\b(?:total|in all|altogether|overall)\b", near, re.I):
        return None  # a total is a sum, not a restatement
    before = text[max(0, start - 16) : start]
    if re.search(
        r"\b(?:under|over|above|below|up to|more than|less than|from|at least)\s*$", before, re.I
    ):
        return None  # a threshold ("orders under £40"), not a price
    noun = nouns[0].group(1).lower()
    return _SAME_PRICE.get(noun, noun)


def _dates(text: str) -> list[tuple[int, int, int]]:
    """(month, first day, last day) for every day-month or day-range-month mention."""
    out = []
    for m in _DATE.finditer(text):
        month = _MONTHS.index(m.group(3).lower()[:3]) + 1
        first = int(m.group(1))
        out.append((month, first, int(m.group(2)) if m.group(2) else first))
    return out


def _date_conflicts(ctx: JudgeContext) -> list[tuple[str, str]]:
    """An agent restating a stay or period (two dates) that misses the one agreed earlier."""
    agreed: list[tuple[int, int, int]] = []
    out = []
    for seg in ctx.segments:
        dates = _dates(seg.text)
        spans = [d for d in dates if d[2] > d[1]]
        if seg.role in AGENT_SIDE and agreed and len(dates) >= 2 and not spans:
            months = {d[0] for d in dates}
            days = sorted(d[1] for d in dates)
            same_month = [a for a in agreed if a[0] in months]
            if same_month and not any(a[1] == days[0] or a[2] == days[-1] for a in same_month):
                a = same_month[0]
                out.append((seg.id, f"gives {days[0]}-{days[-1]}, agreed {a[1]}-{a[2]}"))
        agreed += spans
    return out


def _quantities(text: str) -> list[tuple[str, str, str]]:
    """(key, value, as written) for each priced amount and each number of days, weeks, %..."""
    out = []
    for m in _AMOUNT.finditer(text):
        noun = _price_key(text, m.start(), m.end())
        if noun is not None:
            out.append((f"price:{noun}", re.sub(r"[^\d.]", "", m.group(0)), m.group(0)))
    for m in _QUANTITY.finditer(text):
        unit = m.group(2).lower().rstrip("s")
        after = [w for w in words(text[m.end() : m.end() + 40]) if w not in _STOP][:2]
        if after:
            out.append((f"{unit}:{after[0]}", m.group(1), f"{m.group(1)} {unit} {after[0]}"))
    return out


def _subtotal(value: str, unit: str, counts: set[int]) -> bool:
    """Whether `value` is `unit` times a count the conversation named ("£6 in fees" for two)."""
    try:
        ratio = float(value) / float(unit)
    except (ValueError, ZeroDivisionError):
        return False
    return any(abs(ratio - n) < 1e-6 for n in counts)


def _policy_segments(ctx: JudgeContext) -> list[Segment]:
    return [
        Segment(id=f"policy:{i}", turn_index=-1, role=Role.SYSTEM, text=text)
        for i, fact in enumerate(ctx.facts)
        for text in split_sentences(fact)
    ]


def _stated_conflicts(ctx: JudgeContext) -> tuple[list[tuple[str, str]], int, list[str]]:
    """Near-miss references and keyed quantities that differ from an earlier turn's."""
    customer_refs: dict[str, str] = {}
    # key -> (value, where, turn): policy facts first, so the agent is held to them
    stated: dict[str, tuple[str, str, int]] = {}
    for fact in ctx.facts:
        for key, value, _ in _quantities(fact):
            stated.setdefault(key, (value, "the policy facts", -1))
    contradictions: list[tuple[str, str]] = []
    checked = 0
    checked_ids: list[str] = []
    counts: set[int] = set()
    amounts: set[str] = set()  # every priced amount so far: a count of one is a subtotal
    for seg in ctx.segments:
        counts |= counts_in(seg.text)
        refs = {m.group(0).upper() for m in _REFERENCE.finditer(seg.text)}
        refs |= {m.group(0).lower() for m in _EMAIL.finditer(seg.text)}
        if seg.role is Role.CUSTOMER:
            for r in refs:
                customer_refs.setdefault(r, seg.id)
            continue
        if seg.role not in AGENT_SIDE:
            continue
        for r in refs:
            checked += 1
            if r in customer_refs:
                continue
            near = next((c for c in customer_refs if _near_miss(r, c)), None)
            if near:
                contradictions.append((seg.id, f"quotes {r} where the customer gave {near}"))
        for key, value, written in _quantities(seg.text):
            checked += 1
            checked_ids.append(seg.id)
            was = stated.get(key)
            if (
                was
                and was[0] != value
                and was[2] < seg.turn_index
                and not any(_subtotal(value, unit, counts) for unit in amounts | {was[0]})
            ):
                source = was[1] if was[1] == "the policy facts" else "earlier"
                contradictions.append((seg.id, f"says {written}; {source}: {was[0]}"))
            stated.setdefault(key, (value, seg.id, seg.turn_index))
            amounts.add(value)
    return contradictions, checked, checked_ids


def _accuracy(ctx: JudgeContext) -> JudgeVote | None:
    unsafe, safe = safety_findings(ctx.segments)
    if unsafe:  # the rubric's level 0: dangerous information, whatever else is right
        return JudgeVote(
            judge="detector:safety",
            score=0.0,
            confidence=0.85,
            evidence=list(dict.fromkeys(sid for sid, _ in unsafe))[:3],
            rationale="; ".join(dict.fromkeys(why for _, why in unsafe)),
        )
    contradictions, checked, checked_ids = _stated_conflicts(ctx)
    restated, facts_checked = restatement_conflicts(ctx.segments, _policy_segments(ctx))
    sums, sums_checked = sum_errors(ctx.segments)
    dates, dates_checked = date_errors(ctx.segments)
    late = cutoff_errors(ctx.segments) + limit_errors(ctx.segments) + slot_errors(ctx.segments)
    for found in (restated, sums, dates, charged_after_free(ctx.segments), late):
        seen = {sid for sid, _ in contradictions}
        contradictions += [(sid, why) for sid, why in found if sid not in seen]
    contradictions += _date_conflicts(ctx)
    checked += len(facts_checked) + len(sums_checked) + len(dates_checked)
    checked_ids += facts_checked + sums_checked + dates_checked
    checked += sum(len(_dates(s.text)) for s in ctx.segments if s.role in AGENT_SIDE)
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    guesses = [s.id for s in agent if has("guess", s.text)]
    hazard = any(has("hazard", ctx.segments[r].text) for r in ctx.customer_rows)
    if contradictions:
        return JudgeVote(
            judge="detector:consistency",
            score=1.0 if not (guesses and hazard) else 0.5,
            confidence=0.65,
            evidence=[sid for sid, _ in contradictions[:3]],
            rationale="; ".join(why for _, why in contradictions[:2]),
        )
    if guesses:
        return JudgeVote(
            judge="detector:consistency",
            score=0.5 if hazard else 1.5,
            confidence=0.6 if hazard else 0.5,
            evidence=guesses[:2],
            rationale="a guess stated as the answer"
            + (" to a safety or health concern" if hazard else ""),
        )
    if safe:  # a hazard met with the right, immediate direction
        return JudgeVote(
            judge="detector:safety",
            score=3.0,
            confidence=0.6,
            evidence=safe[:3],
            rationale="a reported hazard or red-flag symptom met with immediate safety advice",
        )
    if not checked:
        return None  # nothing checkable: abstain
    confirmed = _confirmed(ctx.segments)
    return JudgeVote(
        judge="detector:consistency",
        score=3.0 if confirmed else 2.5,
        confidence=0.45 if confirmed else 0.36,
        evidence=(confirmed or list(dict.fromkeys(checked_ids)))[:3],
        rationale=f"{checked} stated reference(s), dates, prices and quantities, none "
        "contradicting another"
        + ("; a fact restated later matches" if confirmed else "; none was restated to compare")
        + " (consistency only; truth is not checked)",
    )


def _values(seg: Segment) -> set[str]:
    fact = facts_of(seg)
    out = {f"d{m}-{d}" for m, d in fact.dates} | {f"t{c}" for c in fact.clocks}
    out |= {f"${a:g}" for a in fact.amounts}
    return out | {f"{u}{v:g}" for u, vs in fact.measures.items() for v in vs}


def _confirmed(segments: list[Segment]) -> list[str]:
    """Agent sentences that restate a date, time, amount or measure from an earlier turn.

    A restatement that agrees is evidence of accuracy; facts stated once are not compared.
    """
    out: list[str] = []
    earlier: list[tuple[int, set[str]]] = []
    for seg in segments:
        values = _values(seg)
        if seg.role in AGENT_SIDE and any(
            turn < seg.turn_index and values & before for turn, before in earlier
        ):
            out.append(seg.id)
        earlier.append((seg.turn_index, values))
    return out


def lexical_judge() -> Judge:
    """Votes on tailoring and accuracy from the specifics each side states."""

    async def judge(ctx: JudgeContext) -> Votes:
        votes = {"tailoring": _tailoring(ctx)}
        accuracy = _accuracy(ctx)
        if accuracy is not None:
            votes["accuracy"] = accuracy
        return votes

    return judge
