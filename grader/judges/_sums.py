"""Sums the agent works out: a derived amount must follow from the amounts it is derived from.

When the agent states a figure it computed ("so that comes to £64", "the difference is
£47", "3 nights at £90 is £270"), the inputs are usually in the conversation: a price and a
percentage off, two fares, a unit price and a count, a unit price with a fee on each unit
("£45 each plus £3 per ticket", then "for two"). Recomputing it is cheap and exact.
Only a figure that is close to, but not equal to, a result of the stated inputs is flagged:
a figure far from every such result is about something else.
"""

from __future__ import annotations

import re
from itertools import combinations

from grader._segments import Segment
from grader._transcript import AGENT_SIDE
from grader.judges._money import MONEY, amounts
from grader.judges._tallies import tally_errors

__all__ = ["counts_in", "sum_errors"]

_I = re.IGNORECASE
_THRESHOLD = re.compile(
    r"\b(?:over|under|above|below|up to|more than|less than|at least|(?<!down )(?<!up )from|"
    r"minimum|orders of)\s*$",
    _I,
)
_PERCENT_OFF = re.compile(
    r"\b(\d{1,2}(?:\.\d+)?)\s?(?:%|per ?cent)(?=[^.%]{0,25}\b(?:off|discount|reduction|sale|"
    r"less|saving|cheaper)\b)|\b(?:off|discount|reduction|saving|sale)\b[^.%\d]{0,20}"
    r"(\d{1,2}(?:\.\d+)?)\s?(?:%|per ?cent)",
    _I,
)
#: A figure the agent presents as a result: the amount right after one of these.
_RESULT = re.compile(
    r"\b(?:comes? (?:down )?to|came to|coming to|would be|will be|works? out (?:at|to|as)|"
    r"that makes|makes it|making it|brings? (?:it|that|the \w+) (?:down )?to|bringing it to|"
    r"down to|reduced to|you(?:'ll| will| would|'d)? pay|total(?: is| of| comes to|s)?(?=\W{0,3}$)|"
    r"(?:that|it)(?:'s| is) (?:now|then)|so (?:that'?s|it'?s)|(?<=[,;:] )so|^so|at checkout(?: it'?s)?|"
    r"discounted price(?: is| of)?|sale price(?: is| of)?)\W{0,3}(?:\w+\W+){0,2}?$",
    _I,
)
_DIFFERENCE = re.compile(
    r"\b(?:difference|you(?:'d| would| will|'ll)? save|saves? you|saving (?:of|you)|cheaper by|"
    r"more expensive by|"
    r"top[- ]up of|to top up)\b",
    _I,
)
_COUNT = re.compile(
    r"\b(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\s+(?:\w+\s+)?(?:nights?|days?|"
    r"tickets?|people|persons?|adults?|seats?|items?|bags?|rooms?|months?|weeks?|units?|"
    r"passengers?|guests?|licen[cs]es?|users?|boxes|packs?|pairs?|sessions?|lessons?)\b",
    _I,
)
_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_WORDS |= {"nine": 9, "ten": 10}


def _amounts(text: str) -> list[tuple[float, int, int]]:
    """(value, start, end) for each amount that is not a threshold ("free over £50")."""
    out = []
    for value, start, end in amounts(text):
        if _THRESHOLD.search(text[max(0, start - 16) : start]):
            continue
        out.append((value, start, end))
    return out


_IS = re.compile(r"\b(?:is|are|=|makes|gives you|leaves|that'?s|which is)\W{0,3}$", _I)


def _results(text: str) -> list[float]:
    """The amounts a sentence presents as the outcome of a sum ("is" only beside a % off)."""
    operation = bool(_PERCENT_OFF.search(text))
    return [
        v
        for v, start, _ in _amounts(text)
        if _RESULT.search(text[max(0, start - 40) : start])
        or (operation and _IS.search(text[max(0, start - 12) : start]))
        or re.match(
            r"\s*(?:in total|altogether|in all|after (?:the )?discount)",
            text[_end(text, start) :],
            _I,
        )
    ]


def _end(text: str, start: int) -> int:
    m = MONEY.match(text, start)
    return m.end() if m else start


def _same(a: float, b: float) -> bool:
    return abs(a - b) < 0.011 or abs(round(a) - b) < 0.011


def _close(value: float, target: float, spread: float = 1.5) -> bool:
    return target > 0 and 1 / spread <= value / target <= spread


def _discount_error(
    value: float, bases: list[float], percents: set[float], *, saving: bool = False
) -> str | None:
    """A price after P% off a stated price (or, for a saving, the amount taken off) that is off."""
    wanted = {(b, p, b * (1 - p / 100)) for b in bases for p in percents if b > value}
    if not wanted or any(_same(value, w) or _same(value, b * p / 100) for b, p, w in wanted):
        return None
    if saving:
        base, pct, off = min(
            ((b, p, b * p / 100) for b, p, _ in wanted), key=lambda t: abs(t[2] - value)
        )
        if _close(value, off):
            return f"says a saving of {value:g}; {pct:g}% of {base:g} is {off:.2f}"
        return None
    base, pct, right = min(wanted, key=lambda t: abs(t[2] - value))
    if _close(value, right):
        return f"says {value:g}; {pct:g}% off {base:g} is {right:.2f}"
    return None


def _difference_error(value: float, seen: list[float]) -> str | None:
    diffs = {(a, b, abs(a - b)) for a, b in combinations(sorted(set(seen)), 2)}
    if not diffs or any(_same(value, d) for _, _, d in diffs) or value in seen:
        return None
    a, b, right = min(diffs, key=lambda t: abs(t[2] - value))
    if _close(value, right, 2.0):  # a figure named as a difference is always derived
        return f"says the difference is {value:g}; {b:g} - {a:g} is {right:g}"
    return None


def _total_error(
    value: float, prices: list[float], inputs: list[float], counts: set[int]
) -> str | None:
    """A count times a unit price, or a sum of the prices listed beside it, that is off.

    Only totals whose every part is stated are checked: `prices` are the unit prices stated
    in the last turns (times a count the sentence gives), `inputs` the amounts the same
    sentence lists.
    """
    wanted = {p * n for p in prices + inputs for n in counts if n > 1}
    if len(inputs) >= 2:
        sums = {sum(c) for r in range(2, len(inputs) + 1) for c in combinations(inputs, r)}
        wanted |= sums | {t * n for t in sums for n in counts}
        wanted |= {abs(a - b) for a, b in combinations(inputs, 2)}  # "£1,850 minus £50, so £1,800"
    if not wanted or value in prices or value in inputs or any(_same(value, w) for w in wanted):
        return None
    right = min(wanted, key=lambda w: abs(w - value))
    if _close(value, right) and abs(value - right) >= 1:
        return f"says a total of {value:g}; the stated prices make {right:g}"
    return None


def _counts(text: str) -> set[int]:
    out = set()
    for m in _COUNT.finditer(text):
        raw = m.group(1).lower()
        out.add(int(raw) if raw.isdigit() else _WORDS[raw])
    return out


_FOR_N = re.compile(
    r"\b(?:for|of us|of them|x|times)\s+(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\b"
    r"(?!\s*(?:[:.]\d|am|pm|%|st|nd|rd|th|o'?clock))|\b(both)\b",
    _I,
)


def counts_in(text: str) -> set[int]:
    """How many of something the text names: "3 nights", "2 tickets", "for two", "both"."""
    out = _counts(text)
    for m in _FOR_N.finditer(text):
        raw = (m.group(1) or "two").lower()
        out.add(int(raw) if raw.isdigit() else _WORDS[raw])
    return {n for n in out if 1 < n <= 12}


_EACH = re.compile(
    r"^\s*(?:(?:[a-z-]+\s+){0,2}?(?:fee|charge|surcharge|levy|tax)\s+)?(?:each|a head|per (?:ticket|person|head|guest|adult|child|seat|item|unit|night|pass"
    r"|passenger|room|bag|box))\b",
    _I,
)


_ADD_ON = re.compile(r"\b(?:plus|on top|fees?|surcharge|\+)", _I)


def _per_unit_error(value: float, rates: list[float], counts: set[int]) -> str | None:
    """A total for N of something priced per unit (with per-unit fees) that is off."""
    if len(rates) < 2 or not counts:
        return None
    wanted = {n * sum(rates) for n in counts}
    singles = {n * r for n in counts for r in rates} | {sum(rates)}
    if any(_same(value, w) for w in wanted | singles):
        return None
    right = min(wanted, key=lambda w: abs(w - value))
    if _close(value, right, 1.25) and abs(value - right) >= 1:
        return f"says a total of {value:g}; {sum(rates):g} each for the number asked is {right:g}"
    return None


def sum_errors(segments: list[Segment]) -> tuple[list[tuple[str, str]], list[str]]:
    """(sentence id, why) for each derived amount that does not add up; ids of sums checked."""
    seen: list[float] = []
    percents: set[float] = set()
    errors: list[tuple[str, str]] = []
    checked: list[str] = []
    rates: list[float] = []  # per-unit prices and per-unit fees the agent quoted
    counts: set[int] = set()
    for i, seg in enumerate(segments):
        text = seg.text
        here = _amounts(text)
        counts |= counts_in(text)
        percents |= {float(m.group(1) or m.group(2)) for m in _PERCENT_OFF.finditer(text)}
        if seg.role in AGENT_SIDE:
            results = _results(text)
            inputs = [v for v, _, _ in here if v not in results]
            why = None
            for value in results:
                checked.append(seg.id)
                why = _discount_error(value, seen + inputs, percents) if percents else None
                bundled = bool(rates) and any(_same(value, n * sum(rates)) for n in counts)
                if why is None and not percents:
                    why = _per_unit_error(value, rates, counts)
                if why is None and not percents and not bundled:
                    near = [  # the prices stated in this turn and the two before
                        v
                        for s in segments[:i]
                        if s.turn_index >= seg.turn_index - 2
                        for v, _, _ in _amounts(s.text)
                    ]
                    why = _total_error(value, near[-4:], inputs[:5], _counts(text))
                if why:
                    break
            cue = _DIFFERENCE.search(text)
            if why is None and cue:
                after = [v for v, start, _ in here if 0 <= start - cue.end() <= 30]
                for value in after or [v for v, _, _ in here if len(here) == 1]:
                    checked.append(seg.id)
                    others = seen + [v for v, _, _ in here if v != value]
                    if percents:
                        why = _discount_error(value, others, percents, saving=True)
                    else:
                        why = _difference_error(value, others)
                    if why:
                        break
            if why:
                errors.append((seg.id, why))
        each = [v for v, _, end in here if _EACH.match(text[end:])]
        if seg.role in AGENT_SIDE and len(each) >= 2 and _ADD_ON.search(text):
            rates = each  # a unit price and what is added to each unit
        seen += [v for v, _, _ in here]
    tallied, tallied_ids = tally_errors(segments)  # fixed-plus-rate, items together, balances
    flagged = {sid for sid, _ in errors}
    errors += [(sid, why) for sid, why in tallied if sid not in flagged]
    return errors, list(dict.fromkeys(checked + tallied_ids))
