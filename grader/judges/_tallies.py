"""Totals built from parts the agent listed: they must add up to what the parts make.

Three shapes a QA lead checks with a pencil, in any industry:

* a fixed charge plus a rate ("£1 to unlock plus 20p a minute", "a $60 call-out plus $45 an
  hour"), then a total for the number of units the customer gave ("15 mins", "3 hours");
* items priced one by one in a turn ("the service is £65, a new chain is £18"), then a total
  for both or all of them;
* a balance, the rest or what is left to pay after a deposit or payment: a total less what
  was paid;
* a sum spread over N payments ("£1,200 over 12 months, so £110 a month"): the total over N.

A total that names something not in the parts (VAT, delivery, a discount) is not checked,
and only a figure near the right one is flagged: a figure far from it is about something else.
"""

from __future__ import annotations

import re
from itertools import combinations, pairwise

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._money import amounts as amounts_in

__all__ = ["tally_errors"]

_I = re.IGNORECASE
_UNIT = (
    r"(minute|min|hour|hr|mile|km|kilometre|kilometer|day|night|week|month|kg|kilo|item|page|"
    r"text|gb|session|person|guest|bag|room|metre|meter|square metre|sq ?m|litre|liter|kwh)"
)
_PER = re.compile(rf"^\s*(?:a|an|per|/|each|every)\s*{_UNIT}s?\b", _I)
_FIXED_THEN = re.compile(r"\b(?:plus|then|and then|on top|after that)\b|\+", _I)
_COUNT = re.compile(rf"\b(\d{{1,4}}(?:\.\d)?)\s*-?\s*{_UNIT}s?\b", _I)
_RESULT = re.compile(
    r"\b(?:that'?ll be|that will be|it'?ll be|it will be|comes? (?:out )?to|came to|coming to|"
    r"would be|will be|works? out (?:at|to|as)|makes? it|you(?:'ll| will|'d| would) pay|"
    r"total(?: is| of| comes to)?|that'?s|so (?:that'?s|it'?s)|in all|altogether|in total|"
    r"(?:fare|bill|cost|price|charge|invoice)s? (?:was|is|will be|would be))"
    r"\W{0,3}$",
    _I,
)
_AFTER_RESULT = re.compile(r"^\s*(?:in total|altogether|in all|all in|total)\b", _I)
#: A total that adds something the parts did not state, or takes something off.
_EXTRA = re.compile(
    r"\b(?:vat|tax|taxes|gst|delivery|postage|shipping|p&p|fees?|surcharge|tip|service charge|"
    r"discount\w*|off|saving|cheaper|waiv\w*|free|deposit|minus|less|refund\w*|credit|voucher|"
    r"code|promo\w*|cap(?:ped)?|maximum|minimum|per cent|%|each|a head|per person|round\w*)\b",
    _I,
)
_ALL = re.compile(
    r"\b(?:both|all (?:of (?:them|it|those)|three|four|five|the (?:work|lot|items)|of that)|"
    r"everything|the lot|the two|all three|the whole lot|go ahead with (?:both|all|them|those|"
    r"everything)|do (?:both|all|them)|all of those|each of them)\b",
    _I,
)
_BALANCE = re.compile(
    r"\b(?:(?:remaining|outstanding|final) (?:balance|amount|payment|sum)|balance(?: due| left| "
    r"remaining| outstanding| to pay)?|left to pay|still (?:to pay|owing|owed|outstanding)|"
    r"(?:the )?rest(?: of it| of the cost)?|remainder|amount (?:left|remaining|still due)|"
    r"(?:you(?:'ll)? )?(?:still )?owe)\b",
    _I,
)
_ACCOUNT = re.compile(
    r"\b(?:account balance|card balance|points balance|credit balance|in credit|bank balance)\b",
    _I,
)


def _unit(raw: str) -> str:
    u = raw.lower().replace(" ", "")
    return {"min": "minute", "hr": "hour", "kilo": "kg", "kilometer": "km", "kilometre": "km"}.get(
        u, u.replace("meter", "metre").replace("liter", "litre")
    )


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.011


def _near(value: float, right: float, spread: float) -> bool:
    return right > 0 and 1 / spread <= value / right <= spread and abs(value - right) >= 0.1


def _results(text: str) -> list[float]:
    """Amounts the sentence presents as its result ("That'll be £4", "£83 altogether")."""
    out = []
    for value, start, end in amounts_in(text):
        if _RESULT.search(text[max(0, start - 30) : start]) or _AFTER_RESULT.match(text[end:]):
            out.append(value)
    return out


def _tariff(text: str) -> tuple[float, float, str] | None:
    """(fixed, rate, unit) for "£1 to unlock plus 20p a minute"; None if the sentence has none."""
    amounts = amounts_in(text)
    for (fixed, _, f_end), (rate, r_start, r_end) in pairwise(amounts):
        per = _PER.match(text[r_end:])
        between = text[f_end:r_start]
        own = _PER.match(text[f_end:])  # "£10 a month plus 5p per text": a fixed monthly part
        if per and _FIXED_THEN.search(between) and not (own and own.group(1) == per.group(1)):
            return fixed, rate, _unit(per.group(1))
    return None


def _turn_texts(segments: list[Segment], turn: int) -> str:
    return " ".join(s.text for s in segments if s.turn_index == turn)


def tally_errors(segments: list[Segment]) -> tuple[list[tuple[str, str]], list[str]]:
    """(sentence id, why) for each total that its listed parts do not make; ids checked."""
    errors: list[tuple[str, str]] = []
    checked: list[str] = []
    tariffs: list[tuple[float, float, str]] = []
    counts: dict[str, float] = {}
    listed: list[float] = []  # the prices of the last agent turn that listed several
    asked_all = False
    seen: list[float] = []
    for seg in segments:
        text = seg.text
        for m in _COUNT.finditer(text):
            counts[_unit(m.group(2))] = float(m.group(1))
        if seg.role is Role.CUSTOMER:
            asked_all = bool(_ALL.search(text)) or asked_all
            seen += [v for v, _, _ in amounts_in(text)]
            continue
        if seg.role not in AGENT_SIDE:
            continue
        turn = _turn_texts(segments, seg.turn_index)
        turn_amounts = [v for v, _, _ in amounts_in(turn)]
        why = None
        for value in _results(text):
            checked.append(seg.id)
            why = (
                _tariff_error(value, tariffs, counts, turn, turn_amounts)
                or _items_error(value, listed, asked_all or bool(_ALL.search(text)), turn, seen)
                or None
            )
            if why:
                break
        if why is None:
            why = _balance_error(text, seen) or _instalment_error(text, seen)
            if why is not None or _BALANCE.search(text) or _SPLIT.search(text):
                checked.append(seg.id)
        if why:
            errors.append((seg.id, why))
        if (tariff := _tariff(text)) is not None:
            tariffs.append(tariff)
        here = [v for v, _, _ in amounts_in(text)]
        if seg is _last_of_turn(segments, seg):
            priced = list(dict.fromkeys(turn_amounts))
            if 2 <= len(priced) <= 4 and not _totalled(priced):
                listed, asked_all = priced, False
        seen += here
    return errors, list(dict.fromkeys(checked))


def _totalled(amounts: list[float]) -> bool:
    """Whether one amount is the sum of two or more others: the turn already gave a total."""
    return any(
        _same(total, sum(c))
        for total in amounts
        for r in range(2, len(amounts))
        for c in combinations([a for a in amounts if a != total], r)
    )


def _last_of_turn(segments: list[Segment], seg: Segment) -> Segment:
    return [s for s in segments if s.turn_index == seg.turn_index][-1]


def _tariff_error(
    value: float,
    tariffs: list[tuple[float, float, str]],
    counts: dict[str, float],
    turn: str,
    turn_amounts: list[float],
) -> str | None:
    """A total for N units of a fixed-plus-rate tariff that is not fixed + N x rate."""
    for fixed, rate, unit in reversed(tariffs):
        n = counts.get(unit)
        if (
            n is None
            or n <= 1
            or re.search(r"\b(?:waiv\w*|free|discount\w*|off|cap\w*)\b", turn, _I)
        ):
            continue
        right = round(fixed + n * rate, 2)
        if any(_same(v, right) for v in turn_amounts):
            return None
        if _near(value, right, 2.5):
            return f"says {value:g}; {fixed:g} plus {n:g} {unit}s at {rate:g} is {right:g}"
        return None
    return None


def _items_error(
    value: float, listed: list[float], all_asked: bool, turn: str, seen: list[float]
) -> str | None:
    """A total for both or all of the items priced one by one that is not their sum."""
    if not listed or not all_asked or _EXTRA.search(turn):
        return None
    right = round(sum(listed), 2)
    sums = {round(sum(c), 2) for r in range(1, len(listed) + 1) for c in combinations(listed, r)}
    if any(_same(value, s) for s in sums) or any(_same(value, v) for v in seen):
        return None
    if _near(value, right, 1.5) and abs(value - right) >= 1:
        return f"says {value:g} for all of it; {' + '.join(f'{v:g}' for v in listed)} is {right:g}"
    return None


def _balance_error(text: str, seen: list[float]) -> str | None:
    """A balance or remainder after a payment that is not the total less what was paid."""
    cue = _BALANCE.search(text)
    if not cue or _ACCOUNT.search(text):
        return None
    found = amounts_in(text)
    after = [v for v, start, _ in found if 0 <= start - cue.end() <= 30]
    before = [v for v, _, end in found if 0 <= cue.start() - end <= 12]
    candidates = after or before
    if len(candidates) != 1:
        return None
    (value,) = candidates
    pool = sorted(set(seen) | {v for v, _, _ in found if v != value})
    if value in pool or len(pool) < 2:
        return None
    diffs = []
    for total in pool:
        parts = [p for p in pool if p < total]
        for r in (1, 2):
            for c in combinations(parts, r):
                diffs.append((total, c, round(total - sum(c), 2)))
    if not diffs or any(_same(value, d) for _, _, d in diffs):
        return None
    total, paid, right = min(diffs, key=lambda t: abs(t[2] - value))
    if _near(value, right, 1.5) and abs(value - right) >= 1 and total == max(pool):
        return f"says a balance of {value:g}; {total:g} less {' + '.join(f'{p:g}' for p in paid)} is {right:g}"
    return None


_N = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "twelve": 12}
_N |= {"eighteen": 18, "twenty-four": 24, "thirty-six": 36}
_SPLIT = re.compile(
    r"\b(?:over|across|split (?:into|over|across)|spread (?:over|across|into)|in|into|as|by)\s+"
    r"(\d{1,2}|two|three|four|five|six|ten|twelve|eighteen|twenty-four|thirty-six)\s+(?:equal\s+)?"
    r"(?:monthly\s+|weekly\s+|interest-free\s+)?(?:payments|instal?ments|months|weeks|chunks|"
    r"parts|goes|direct debits)\b",
    _I,
)
_EACH_PART = re.compile(
    r"^\s*(?:a|per|each|every)\s+(?:month|week|payment|instal?ment)|^\s*(?:monthly|weekly)\b",
    _I,
)
_PAYMENTS_OF = re.compile(r"\b(?:payments|instal?ments|debits) of\s*$", _I)
_CHARGED_EXTRA = re.compile(
    r"\b(?:interest(?![- ]free)|apr|%|per ?cent|fee|charge|deposit|admin)\b", _I
)


def _instalment_error(text: str, seen: list[float]) -> str | None:
    """An instalment that is not the total it spreads divided by the number of payments."""
    split = _SPLIT.search(text)
    if not split or _CHARGED_EXTRA.search(text):
        return None
    raw = split.group(1).lower()
    n = int(raw) if raw.isdigit() else _N[raw]
    if n < 2:
        return None
    amounts = amounts_in(text)
    parts = [
        v
        for v, start, end in amounts
        if _EACH_PART.match(text[end:]) or _PAYMENTS_OF.search(text[max(0, start - 20) : start])
    ]
    if len(parts) != 1:
        return None
    (part,) = parts
    totals = [v for v, _, _ in amounts if v != part] or seen[-3:]
    totals = [t for t in totals if t > part]
    if not totals or any(abs(part - t / n) < 1 for t in totals):
        return None
    total = min(totals, key=lambda t: abs(t / n - part))
    right = total / n
    if _near(part, right, 1.5):
        return f"says {part:g} a payment; {total:g} over {n} is {right:.2f}"
    return None
