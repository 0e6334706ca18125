"""Restated facts that changed: the accuracy judge's second reader.

An agent who repeats a fact later in the conversation (a summary, a confirmation, an answer
to "so what will I pay?") must repeat the same fact. Two sentences are about the same thing
when they share content words; then their dates, weekdays, per-period prices and "free versus
charged" must agree. Amounts the customer tied to an item ("a scarf at £24.50") must not be
quoted for another item. A later sentence that announces a change ("moved", "instead",
"rescheduled") or follows a customer's request for one is not a contradiction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import words
from grader.judges._reversals import reversal_errors

__all__ = ["Fact", "facts_of", "restatement_conflicts"]

_I = re.IGNORECASE
_MONEY = re.compile(
    r"(?:[$€£]\s?(\d[\d,]*(?:\.\d\d)?))|(?:\b(\d[\d,]*(?:\.\d\d?)?)\s?(?:dollars|euros|pounds|"
    r"usd|eur|gbp|p|pence|cents?|c)\b)",
    _I,
)
_PERIOD = re.compile(
    r"^\s*(?:a|an|per|/|each|every)\s*(month|mo|year|yr|night|day|week|session|person|"
    r"ticket|visit|hour|user|seat|item|bag|passenger|class|lesson|kwh|gb|unit|minute|text|"
    r"mile|way|flight|trip|journey|leg|direction)s?\b|"
    r"^\s*(each|daily|monthly|weekly|yearly|annually|nightly)\b",
    _I,
)
_ADVERB_PERIOD = {
    "way": "trip",
    "flight": "trip",
    "journey": "trip",
    "leg": "trip",
    "direction": "trip",
    "daily": "day",
    "monthly": "month",
    "weekly": "week",
    "yearly": "year",
    "annually": "year",
    "nightly": "night",
}
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAY_MONTH = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\s+(\d{1,2})(?:st|nd|rd|th)?\b",
    _I,
)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", _I)
_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d\d))?\s*(am|pm|a\.m\.|p\.m\.)|\b(noon|midday)\b|"
    r"\b([01]?\d|2[0-3])[:h]([0-5]\d)\b(?!\s*(?:am|pm|a\.m|p\.m))",
    _I,
)
_MEASURE = re.compile(
    r"\b(\d+(?:\.\d+)?)\s?-?(gb|mb|tb|mbps|gbps|kg|kilos?|lbs?|pounds? in weight|miles?|km|"
    r"texts?|minutes of calls|points|nights?|sessions?|seats?|users?|bags?|litres?|liters?|kwh)\b"
    r"|\b(\d+(?:\.\d+)?)\s?(%|per ?cent\b)",
    _I,
)
_FREE = re.compile(
    r"\b(?:free(?: of charge)?|no (?:extra |additional )?(?:charge|cost|fee)s?|"
    r"at no (?:extra |additional )?(?:cost|charge)|(?:is|are|comes?|it'?s|that'?s) included|"
    r"includes?|fully covered|covered in full|won'?t (?:pay|be charged|cost)|"
    r"(?:pay|costs?) nothing|nothing (?:at all|to pay|extra)|complimentary|waived)\b",
    _I,
)
_NOT_COVERED = re.compile(
    r"\b(?:(?:doesn'?t|does not|don'?t|do not|won'?t|will not|wouldn'?t) (?:include|cover)|"
    r"(?:isn'?t|is not|aren'?t|are not|wouldn'?t be|won'?t be|not) (?:covered|included|eligible)|"
    r"excluded|not (?:on|part of) (?:your|the) (?:policy|plan|cover))\b",
    _I,
)
_COVERED = re.compile(
    r"\b(?:(?:is|are|it'?s|you'?re|that'?s|would be|will be) (?:fully )?(?:covered|included)|"
    r"we'?ll (?:cover|pay for)|you can claim|covers (?:it|this|that|the)|includes? (?:it|this|that))\b",
    _I,
)
_CHANGE = re.compile(
    r"\b(?:instead|changed|moved|reschedul(?:ed|ing)|rebooked|correct(?:ion|ed)|updated|"
    r"rather than|originally|previously|earlier (?:i|we) said|"
    r"new (?:date|time|price|total|slot))\b",  # verbs, not the noun ("a dressing change")
    _I,
)
_CHANGE_ASK = re.compile(
    r"\b(?:change|move|reschedule|instead|different|another (?:day|date|time|slot)|cheaper|"
    r"cancel|other (?:one|option))\b",
    _I,
)
_PRICE_WORD = re.compile(
    r"\b(?:pay|paid|cost|costs|charge|charged|fee|copay|price|that'?ll be|comes to|total|refund|"
    r"back|owe|bill)\b",
    _I,
)
_GENERIC = frozenset(
    words(
        "the a an and or but if then so to of in on at for with from by is are was were be been it "
        "this that these those i you we they he she my your our their me us them do does did have "
        "has had not no yes can could would will just get got like also there here what when where "
        "why how hi hello thanks thank please sorry okay ok its it's i'm you'll you're we'll i've "
        "we've i'll that's there's don't won't can't all any one two three four five six seven "
        "eight nine ten each per every month year night day week hour time today tomorrow am pm "
        "done great sure right well now then more less only also about into over after before "
        "between within around some very really again still which who"
    )
)
_STEM = 5


@dataclass(frozen=True)
class Fact:
    """What one sentence states that can be checked against another."""

    seg: Segment
    stems: frozenset[str]
    dates: frozenset[tuple[int, int]]
    weekdays: frozenset[str]
    clocks: frozenset[str]
    rates: dict[str, frozenset[float]]
    measures: dict[str, frozenset[float]]
    bound: dict[str, frozenset[float]]
    amounts: frozenset[float]
    polarity: str | None  # "free" | "charged" | None
    covered: bool | None  # said to be covered or included (True), or not (False)

    @property
    def checkable(self) -> bool:
        """Whether the sentence states anything a later one could contradict."""
        return bool(
            self.dates
            or self.weekdays
            or self.clocks
            or self.rates
            or self.measures
            or self.amounts
            or self.polarity
            or self.covered is not None
        )


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _stems(text: str) -> frozenset[str]:
    out = set()
    for w in words(text):
        w = w.strip("'-")
        if len(w) < 3 or w in _GENERIC or any(c.isdigit() for c in w):
            continue
        if w[:3] in _MONTHS or _WEEKDAY.fullmatch(w):
            continue
        out.add(w[:_STEM])
    return frozenset(out)


def _clock(m: re.Match[str]) -> str:
    """Minutes after midnight, as text: 18:35, 6:35 pm and 6.35pm are the same time."""
    if m.group(4):
        return "720"
    if m.group(5):
        return str(int(m.group(5)) * 60 + int(m.group(6)))
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
    return str(hour * 60 + int(m.group(2) or 0))


_TERM = re.compile(
    r"\b(\d{1,2})[- ](month|year)s?[- ](?:contract|term|plan|deal|subscription|agreement|fix)|"
    r"\b(?:contract|term|plan|deal|fixed|tied in) (?:of |for )?(\d{1,2}) (month|year)s?\b|"
    r"\bfor (\d{1,2}) (month|year)s\b",
    _I,
)


def _measures(text: str) -> dict[str, frozenset[float]]:
    out: dict[str, set[float]] = {}
    for m in _TERM.finditer(text):  # a contract's length: "18-month contract", "for 36 months"
        k = next(k for k, g in enumerate(m.groups()) if g and g.isdigit())
        n, unit = m.group(k + 1), m.group(k + 2)  # the number's group, then its unit
        out.setdefault(f"{unit.lower()} term", set()).add(float(n))
    for m in _MEASURE.finditer(text):
        if m.group(3):
            out.setdefault("%", set()).add(float(m.group(3)))
            continue
        unit = m.group(2).lower().rstrip("s")
        unit = "kg" if unit.startswith("kilo") else unit
        out.setdefault(unit, set()).add(float(m.group(1)))
    return {k: frozenset(v) for k, v in out.items()}


_BOUND_BEFORE = re.compile(r"\b([a-z][a-z-]{2,})\s+(?:of|at|is|was|will be|:)\s*$", _I)
_BOUND_AFTER = re.compile(r"^\s*([a-z][a-z-]{2,})\b", _I)
_NOT_NOUN = re.compile(
    r"^(?:pay|paid|costs?|charged|for|and|or|plus|with|from|only|just|about|around|back|now|"
    r"today|total|in|on|to|off|per|each|every|month|year|week|day|night|once|extra|more|less)$",
    _I,
)


def _bound(text: str) -> dict[str, frozenset[float]]:
    """Noun -> the amounts stated for it ("an excess of £250", "the £400 excess")."""
    out: dict[str, set[float]] = {}
    for m in _MONEY.finditer(text):
        value = _value(m.group(1) or m.group(2))
        for rx, piece in (
            (_BOUND_AFTER, text[m.end() : m.end() + 20]),
            (_BOUND_BEFORE, text[max(0, m.start() - 24) : m.start()]),
        ):
            hit = rx.search(piece)
            if hit and not _NOT_NOUN.match(hit.group(1)) and hit.group(1).lower() not in _GENERIC:
                out.setdefault(hit.group(1).lower()[:_STEM], set()).add(value)
                break
    return {k: frozenset(v) for k, v in out.items()}


def facts_of(seg: Segment) -> Fact:
    """The checkable statements of one sentence."""
    text = seg.text
    dates = set()
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        dates.add((_MONTHS.index(month.lower()[:3]) + 1, int(day)))
    rates: dict[str, set[float]] = {}
    amounts = set()
    for m in _MONEY.finditer(text):
        value = _value(m.group(1) or m.group(2))
        amounts.add(value)
        period = _PERIOD.match(text[m.end() : m.end() + 14])
        if period:
            unit = (period.group(1) or period.group(2)).lower()
            unit = _ADVERB_PERIOD.get(unit, unit)
            rates.setdefault(unit, set()).add(value)
    free = bool(_FREE.search(text))
    charged = bool(amounts) and bool(_PRICE_WORD.search(text) or rates)
    return Fact(
        seg=seg,
        stems=_stems(text),
        dates=frozenset(dates),
        weekdays=frozenset(m.group(1).lower() for m in _WEEKDAY.finditer(text)),
        clocks=frozenset(_clock(m) for m in _CLOCK.finditer(text)),
        measures=_measures(text),
        bound=_bound(text),
        rates={k: frozenset(v) for k, v in rates.items()},
        amounts=frozenset(amounts),
        polarity="free" if free and not charged else "charged" if charged and not free else None,
        covered=None
        if bool(yes := _COVERED.search(text)) == bool(no := _NOT_COVERED.search(text))
        else bool(yes) and not no,
    )


#: A sentence working out a sum for several or a saving: its rates are derived, not restated.
_DERIVED = re.compile(r"\b(?:two|three|four|five|six|saves?|saving|difference|cheaper)\b", _I)


def _multiples(values: frozenset[float]) -> set[float]:
    return {round(v * n, 2) for v in values for n in range(2, 7)}


def _clash(early: Fact, late: Fact) -> str | None:
    """Why `late` contradicts `early` about the same thing, or None."""
    # the same thing: shared content words, or another stated value both repeat
    anchors = (
        len(early.amounts & late.amounts)
        + len(early.dates & late.dates)
        + len(early.clocks & late.clocks)
    )
    shared: set[str] | frozenset[str] = early.stems & late.stems
    if anchors:
        shared = set(shared) | {f"#{i}" for i in range(2 * anchors)}
    for noun, values in late.bound.items():
        before = early.bound.get(noun)
        if before and not before & values and not before & late.amounts:
            return f"quotes a different {noun}"
    if early.dates and late.dates and len(shared) >= 2 and not early.dates & late.dates:
        return "gives a different date for the same thing"
    if (
        len(early.dates) >= 2
        and len(late.dates) == len(early.dates)
        and early.dates & late.dates
        and late.dates - early.dates
    ):  # "out 4 October, back 18 October" after "out on 4 October and back on 11 October"
        return "changes one of the dates it gave"
    if (
        early.weekdays
        and late.weekdays
        and not (early.dates and late.dates)
        and len(shared) >= 2
        and not early.weekdays & late.weekdays
    ):
        return "gives a different day for the same thing"
    if early.clocks and late.clocks and len(shared) >= 2 and not early.clocks & late.clocks:
        return "gives a different time for the same thing"
    for unit, values in late.measures.items():
        before = early.measures.get(unit)
        if before and len(shared) >= 2 and not before & values:
            return f"gives a different number of {unit}s for the same thing"
    for period, values in late.rates.items():
        before = early.rates.get(period)
        if (
            before
            and shared
            and not _DERIVED.search(late.seg.text)
            and not before & (values | late.amounts) | values & _multiples(before)
        ):
            return f"quotes a different price per {period}"  # twice it is a sum for two
    if early.polarity and late.polarity and early.polarity != late.polarity and len(shared) >= 2:
        return f"says it is {late.polarity} where it was {early.polarity}"
    if (
        early.covered is not None
        and late.covered is not None
        and early.covered != late.covered
        and len(shared) >= 2
    ):
        return "says it is covered where it was not" if late.covered else "says it is not covered"
    return None


_ITEM_PRICE = re.compile(
    r"\b([a-z][a-z-]{2,})\s+(?:at|for|is|was|costs?|priced at|\()\s*[$€£]\s?(\d[\d,]*(?:\.\d\d)?)",
    _I,
)


def _item_prices(segments: Iterable[Segment]) -> dict[str, float]:
    """Item word -> the price the conversation tied to it ("a jacket at £60")."""
    out: dict[str, float] = {}
    for seg in segments:
        for m in _ITEM_PRICE.finditer(seg.text):
            item = m.group(1).lower()
            if item not in _GENERIC:
                out.setdefault(item[:_STEM], _value(m.group(2)))
    return out


def _misattributed(fact: Fact, prices: dict[str, float]) -> str | None:
    """An amount that is another item's price, in a sentence naming only this item."""
    if not fact.amounts or len(prices) < 2:
        return None
    named = {item for item in prices if item in fact.stems}
    if len(named) != 1:
        return None
    (item,) = named
    for value in fact.amounts:
        owner = [other for other, price in prices.items() if price == value]
        if owner and item not in owner and prices[item] not in fact.amounts:
            return f"quotes {value:g}, the price of the {owner[0]}, for the {item}"
    return None


def restatement_conflicts(
    segments: list[Segment], policy: Iterable[Segment] = ()
) -> tuple[list[tuple[str, str]], list[str]]:
    """(sentence id, why) for each agent restatement that changed a fact; checked ids."""
    earlier: list[Fact] = [facts_of(s) for s in policy]
    conflicts: list[tuple[str, str]] = []
    checked: list[str] = []
    change_asked_at = -1
    prices = _item_prices(s for s in segments if s.role is Role.CUSTOMER)
    for seg in segments:
        fact = facts_of(seg)
        if seg.role is Role.CUSTOMER:
            if _CHANGE_ASK.search(seg.text):
                change_asked_at = seg.turn_index
            continue
        if seg.role not in AGENT_SIDE:
            continue
        if fact.checkable:
            checked.append(seg.id)
        if not _CHANGE.search(seg.text):
            why = _misattributed(fact, prices)
            for early in earlier:
                if why:
                    break
                if early.seg.turn_index >= seg.turn_index and early.seg.role is not Role.SYSTEM:
                    continue  # the same turn: a comparison or a breakdown, not a restatement
                if early.seg.role is not Role.SYSTEM and change_asked_at > early.seg.turn_index:
                    continue  # the customer asked for a change since
                why = _clash(early, fact)
            if why:
                conflicts.append((seg.id, why))
        if fact.checkable:
            earlier.append(fact)
    reversed_, answers = reversal_errors(segments)  # and a yes to what it said is unsupported
    flagged = {sid for sid, _ in conflicts}
    conflicts += [(sid, why) for sid, why in reversed_ if sid not in flagged]
    return conflicts, checked + answers
