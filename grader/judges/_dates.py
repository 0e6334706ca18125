"""Dates the agent works out: an end date must follow from its start, a weekday from its date.

A customer plans around the dates the agent reads out (parking for a stay, cancelling before
a renewal), so a derived date that is off by a day misleads as much as a wrong price. Three
checks, each on what the conversation itself states:

* end from start: a check-out, return, expiry or renewal date must be the start date plus
  the stay or term the conversation gives ("three nights from Friday 9 May" ends 12 May;
  a 12-month contract from 14 January renews 14 January);
* weekdays: every "weekday + date" the conversation states must fit one calendar year;
* deadlines: "within N (working) days of <date>" fixes the date a "by ..." must give, and
  "N days from delivery, so until <date>" the date the start the customer gave makes;
* one event, one date: the agent must not give the same event ("renews", "expires",
  "arrives") two different dates, unless it announces a change.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta

from grader._segments import Segment
from grader._transcript import AGENT_SIDE

__all__ = ["date_errors"]

_I = re.IGNORECASE
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WD = r"(?:(mon|tues|wednes|thurs|fri|satur|sun)day,?\s+(?:the\s+)?)?"
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b{_WD}(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?!\w)|\b{_WD}{_MON}\s+(\d{{1,2}})"
    r"(?:st|nd|rd|th)?\b",
    _I,
)
_NUMBER = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
}  # fmt: skip
_LENGTH = re.compile(
    r"\b(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen)"
    r"[\s-]+(night|day|week|month|year)s?\b(?:'s?)?(\s+(?:contract|term|plan|trial|stay|"
    r"subscription|membership|hire|rental|warranty|booking|break|lease|policy|deal|course|"
    r"package|cover|pass))?",
    _I,
)
_START = re.compile(
    r"\b(?:arriv\w*|check(?:ing)?[- ]in\w*|start\w*|begin\w*|began|from|join\w*|sign\w* up|"
    r"depart\w*|fly(?:ing)? out|outbound|sets? off|sail\w*|"
    r"took (?:it )?out|bought|purchas\w*|collect\w*|pick(?:ing|ed)? up|since|opened)\W+(?:\w+\W+){0,3}$",
    _I,
)
_END = re.compile(
    r"\b(?:check(?:ing|s)?[- ]?out|depart\w*|leav\w*|until|till|ends?|ending|expir\w*|"
    r"finish\w*|last (?:day|night)|return\w*|back on|renew\w*|due back|drop(?:ping)? off|"
    r"runs? (?:out|to))\W+(?:\w+\W+){0,3}$",
    _I,
)
_EVENT = re.compile(r"\b([a-z]{4,})\s+(?:on|by|is|for|from|until|:)?\s*(?:the\s+)?$", _I)
_NOT_EVENT = frozenset(
    {"that", "this", "with", "your", "from", "then", "which", "when", "there", "their"}
    | {"will", "would", "before", "after"}
)
_CHANGE = re.compile(
    r"\b(?:instead|chang\w+|mov(?:ed|ing)|reschedul\w+|rebook\w*|correct\w*|updat\w+|"
    r"extend\w*|rather than|originally|previously|new date|following|after that|each|every|"
    r"subsequent|next one|or)\b",
    _I,
)


@dataclass(frozen=True)
class _Mention:
    seg: Segment
    day: int
    month: int
    weekday: int | None
    before: str  # up to 40 characters before the date


def _mentions(seg: Segment) -> list[_Mention]:
    out = []
    for m in _DATE.finditer(seg.text):
        if m.group(2):
            wd, day, mon = m.group(1), m.group(2), m.group(3)
        else:
            wd, mon, day = m.group(4), m.group(5), m.group(6)
        if not 1 <= int(day) <= 31:
            continue
        weekday = _WEEKDAYS.index(wd.lower()[:3]) if wd else None
        if re.match(r",?\s*(?:19|20)\d\d\b", seg.text[m.end() :]):
            weekday = None  # "Sunday 8 August 2027": its own year, not the conversation's
        before = seg.text[max(0, m.start() - 40) : m.start()]
        out.append(_Mention(seg, int(day), _MONTHS.index(mon.lower()[:3]) + 1, weekday, before))
    return out


def _year(mentions: list[_Mention]) -> tuple[int, _Mention | None]:
    """A year every stated weekday fits, or the first mention that fits none with the rest."""
    dated = [m for m in mentions if m.weekday is not None]
    fits: list[_Mention] = []
    for m in dated:
        trial = [*fits, m]
        if not any(_all_fit(trial, y) for y in range(2018, 2036)):
            return 2025, m
        fits = trial
    return next((y for y in range(2024, 2036) if _all_fit(fits, y)), 2025), None


def _all_fit(mentions: list[_Mention], year: int) -> bool:
    try:
        return all(date(year, m.month, m.day).weekday() == m.weekday for m in mentions)
    except ValueError:
        return False


def _add_months(start: date, months: int) -> date | None:
    month = start.month - 1 + months
    try:
        return start.replace(year=start.year + month // 12, month=month % 12 + 1)
    except ValueError:
        return None


def _expected(start: date, n: int, unit: str) -> set[date]:
    """The end dates a stay or term of `n` units from `start` may be read as."""
    if unit == "night":
        return {start + timedelta(days=n)}
    if unit in ("day", "week"):
        end = start + timedelta(days=n * (7 if unit == "week" else 1))
        return {end, end - timedelta(days=1)}
    end_m = _add_months(start, n * (12 if unit == "year" else 1))
    return set() if end_m is None else {end_m, end_m - timedelta(days=1)}


_ANNUAL = re.compile(
    r"\b(?:annual|yearly|12-month)\s+(?:contract|term|plan|subscription|membership|policy|"
    r"cover|pass|licen[cs]e)\b",
    _I,
)


def _lengths(segments: list[Segment]) -> set[tuple[int, str]]:
    out = set()
    if any(_ANNUAL.search(s.text) for s in segments):
        out.add((1, "year"))
    for seg in segments:
        for m in _LENGTH.finditer(seg.text):
            unit = m.group(2).lower()
            before = seg.text[max(0, m.start() - 5) : m.start()].lower()
            if unit != "night" and not m.group(3) and not before.endswith("for "):
                continue  # "refund within 14 days" is a deadline, not a stay or a term
            raw = m.group(1).lower()
            out.add((int(raw) if raw.isdigit() else _NUMBER[raw], unit))
    return out


def _date_of(m: _Mention, year: int) -> date | None:
    try:
        return date(year, m.month, m.day)
    except ValueError:
        return None


def _end_errors(
    mentions: list[_Mention], segments: list[Segment], year: int
) -> list[tuple[str, str]]:
    out = []
    for end in mentions:
        if end.seg.role not in AGENT_SIDE or not _END.search(end.before):
            continue
        if _CHANGE.search(end.seg.text):
            continue
        upto = [s for s in segments if s.turn_index <= end.seg.turn_index]
        lengths = _lengths(upto)
        starts = [
            s
            for s in mentions
            if s.seg.turn_index <= end.seg.turn_index and s is not end and _START.search(s.before)
        ]
        ends = [d for d in (_date_of(end, year), _date_of(end, year + 1)) if d is not None]
        if not lengths or not starts or not ends:
            continue
        wanted: dict[date, int] = {}  # expected end -> how far off still reads as this one
        for s in starts:
            d = _date_of(s, year)
            if d is not None:
                for n, unit in lengths:
                    for w in _expected(d, n, unit):
                        wanted[w] = 32 if unit in ("month", "year") else 10
        if not wanted or any(e in wanted for e in ends):
            continue
        e, near = min(
            ((e, w) for e in ends for w in wanted if w > min(ends) - timedelta(days=400)),
            key=lambda t: abs((t[1] - t[0]).days),
        )
        if abs((near - e).days) <= wanted[near]:
            out.append(
                (end.seg.id, f"gives {e:%d %b} where the stated start and length make {near:%d %b}")
            )
    return out


_WITHIN = re.compile(
    r"\b(?:within|in)\s+(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|fourteen)\s+"
    r"(working |business )?(day|week)s?\s+(?:of|from|after)\s+(?:the\s+)?$",
    _I,
)
_DUE = re.compile(
    r"\b(?:by|before|no later than|deadline(?: is| of)?|latest|arriv\w*|deliver\w*|reach\w*|"
    r"due|expect)\W+(?:\w+\W+){0,3}$",
    _I,
)


def _add_days(start: date, n: int, working: bool) -> date:
    if not working:
        return start + timedelta(days=n)
    day = start
    while n > 0:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _within_errors(mentions: list[_Mention], year: int) -> list[tuple[str, str]]:
    """A deadline the agent gives must follow from its "within N days of <date>" rule."""
    rules: list[tuple[int, set[date]]] = []  # (turn, the deadlines the rule may be read as)
    out = []
    for m in mentions:
        rule = _WITHIN.search(m.before)
        d = _date_of(m, year)
        if rule and d is not None:
            raw = rule.group(1).lower()
            n = (int(raw) if raw.isdigit() else _NUMBER[raw]) * (
                7 if rule.group(3) == "week" else 1
            )
            end = _add_days(d, n, bool(rule.group(2)) and rule.group(3) == "day")
            rules.append((m.seg.turn_index, {end, end - timedelta(days=1)}))
            continue
        if m.seg.role not in AGENT_SIDE or not _DUE.search(m.before) or d is None:
            continue
        if _CHANGE.search(m.seg.text):
            continue
        wanted = set().union(*(w for turn, w in rules if turn <= m.seg.turn_index))
        if wanted and d not in wanted:
            near = min(wanted, key=lambda w: abs((w - d).days))
            if abs((near - d).days) <= 10:
                out.append((m.seg.id, f"gives {d:%d %b}; the stated rule makes it {near:%d %b}"))
    return out


_STARTED = re.compile(
    r"\b(?:ordered|arrived|delivered|received|placed|posted|sent|bought|purchased|dispatched|"
    r"shipped|came|got (?:it|them)|collected|returned|started|signed up|joined|paid)\b",
    _I,
)
_SPAN = re.compile(
    r"\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|fourteen)\s+(working |business )?"
    r"(day|week)s?\b[^.?!]*?\b(?:so|which (?:means|makes|takes you)|that (?:means|makes|takes "
    r"(?:you|it))|that'?s)\b",
    _I,
)
_UNTIL = re.compile(
    r"\b(?:until|till|up to|by|before|on|arriv\w*|expir\w*|ends?)\W+(?:\w+\W+){0,2}$", _I
)


def _span_errors(mentions: list[_Mention], year: int) -> list[tuple[str, str]]:
    """A date "N (working) days from delivery, so until <date>" must be the stated start plus N."""
    out = []
    start: date | None = None
    dated = any(m.weekday is not None for m in mentions)
    for m in mentions:
        d = _date_of(m, year)
        if d is None:
            continue
        span = _SPAN.search(m.seg.text[: m.seg.text.find(m.before) + len(m.before)])
        if (
            m.seg.role in AGENT_SIDE
            and span
            and start is not None
            and _UNTIL.search(m.before)
            and not _CHANGE.search(m.seg.text)
        ):
            raw = span.group(1).lower()
            n = (int(raw) if raw.isdigit() else _NUMBER[raw]) * (
                7 if span.group(3) == "week" else 1
            )
            working = bool(span.group(2)) and span.group(3) == "day"
            end = _add_days(start, n, working)
            wanted = {end, end - timedelta(days=1), end + timedelta(days=1)}
            if working and not dated:  # no weekday stated: the year, so the weekends, unknown
                for y in range(year - 3, year + 4):
                    with suppress(ValueError):
                        other = _add_days(start.replace(year=y), n, working=True)
                        wanted.add(other.replace(year=year))
            if d not in wanted and 1 < abs((end - d).days) <= 10:
                out.append(
                    (m.seg.id, f"gives {d:%d %b}; {n} days from {start:%d %b} is {end:%d %b}")
                )
            continue
        if _STARTED.search(m.before) or _STARTED.search(m.seg.text[: m.seg.text.find(m.before)]):
            start = d
    return out


def _event_errors(mentions: list[_Mention]) -> list[tuple[str, str]]:
    """The same event given two different dates by the agent."""
    said: dict[str, tuple[int, int]] = {}
    out = []
    for m in mentions:
        if m.seg.role not in AGENT_SIDE:
            continue
        hit = _EVENT.search(m.before)
        if not hit or hit.group(1).lower() in _NOT_EVENT:
            continue
        if len([x for x in mentions if x.seg is m.seg]) > 1 or _CHANGE.search(m.seg.text):
            continue  # a range or alternatives in one sentence, or an announced change
        key, when = hit.group(1).lower()[:5], (m.month, m.day)
        if key in said and said[key] != when:
            out.append((m.seg.id, f"gives '{hit.group(1)}' a second date ({m.day}/{m.month})"))
        said.setdefault(key, when)
    return out


def date_errors(segments: list[Segment]) -> tuple[list[tuple[str, str]], list[str]]:
    """(sentence id, why) for each derived date that does not follow; ids of dates checked."""
    mentions = [m for seg in segments for m in _mentions(seg)]
    year, misfit = _year(mentions)
    errors: list[tuple[str, str]] = []
    if misfit is not None and misfit.seg.role in AGENT_SIDE:
        errors.append((misfit.seg.id, "states a weekday that does not fit its date"))
    errors += _end_errors(mentions, segments, year)
    errors += _within_errors(mentions, year)
    errors += [e for e in _span_errors(mentions, year) if e[0] not in {x for x, _ in errors}]
    errors += _event_errors(mentions)
    checked = [m.seg.id for m in mentions if m.seg.role in AGENT_SIDE]
    return errors, list(dict.fromkeys(checked))
