"""Limits the agent stated, then loosened or waved through: the accuracy judge's third reader.

Two shapes recur in any industry. A deadline ("held until 14 June", "all aboard is 4:30pm",
"returns accepted up to the 30th") later restated to the customer as a later one ("you can
collect up to 21 June", "as long as you're back by 5:30"), with no change announced. And a
requirement ("at least 6.5", "no band below 6.0", "bags up to 23kg") that the customer's own
figure fails, answered with "yes, you meet it". Both tell the customer something the agent
itself said was not so.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role

__all__ = ["limit_errors"]

_I = re.IGNORECASE
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}|\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b",
    _I,
)
_CLOCK = re.compile(
    r"\b(\d{1,2})(?:[:.](\d\d))?\s*(am|pm|a\.m\.|p\.m\.)|\b(noon|midday)\b|"
    r"\b([01]?\d|2[0-3])[:h]([0-5]\d)\b",
    _I,
)
_DEADLINE = re.compile(
    r"\b(?:until|till|til|up to|up until|by|before|no later than|not later than|latest(?: is| by)?|"
    r"all aboard(?: is| time is)?(?: at)?|(?:closes?|shuts?|ends?|expires?|runs out|due(?: back)?)(?: at| on| by)?|"
    r"deadline(?: is)?|cut-?off(?: is)?|last (?:day|date|entry|orders?|boarding|collection)"
    r"(?:[a-z ]{0,24}?(?: is| are))?(?: at| on)?)\s+(?:(?:the|this|next|on|at|any time|midnight|end of)\s+)*"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?=\d|jan|feb|mar|apr|may|jun|jul|aug|"
    r"sep|oct|nov|dec|noon|midday)",
    _I,
)
#: The later deadline is put to the customer as what they may do.
_PERMIT = re.compile(
    r"\b(?:you|they|he|she|your \w+)(?:'ve| have)? (?:can|could|may|'?ve got|have got|got|have "
    r"until|are fine|'re fine|will be fine|'ll be fine|just need|only need)\b|"
    r"\b(?:as long as|so long as|any ?time|you'?re (?:fine|okay|ok|good)|plenty of time|slack)\b",
    _I,
)
_CHANGE = re.compile(
    r"\b(?:instead|changed|moved|extend\w*|reschedul\w*|correct\w*|updated|rather than|"
    r"originally|previously|new (?:date|time|deadline)|made an exception|as a one-?off)\b",
    _I,
)
_CHANGE_ASK = re.compile(
    r"\b(?:extend|extension|longer|more time|later|change|move|reschedule|exception)\b", _I
)
_NUMBER = re.compile(r"(?<![\d:.£$€])(\d+(?:\.\d+)?)(?![\d:]|\s*(?:st|nd|rd|th|am|pm|%)\b)", _I)
_AT_LEAST = re.compile(
    r"\b(?:at least|minimum(?: \w+)?(?: of| is)?|min\.?|not (?:below|lower than|less than|under)|"
    r"no (?:\w+ ){0,2}(?:below|lower than|less than|under))\s*(?:an? |band |score |grade )?"
    r"(\d+(?:\.\d+)?)|\b(\d+(?:\.\d+)?)\s*(?:or (?:above|higher|more|over|better)|\+|and above)",
    _I,
)
_AT_MOST = re.compile(
    r"\b(?:at most|maximum(?: of)?|max\.?|no more than|not more than|up to|must not exceed|"
    r"no (?:\w+ ){0,2}(?:above|over|heavier than|longer than|more than))\s*(?:an? )?"
    r"(\d+(?:\.\d+)?)|\b(\d+(?:\.\d+)?)\s*(?:\w+ )?(?:or (?:less|under|below|fewer)|max\b)",
    _I,
)
_AFFIRM = re.compile(
    r"\b(?:yes|yep|yeah|you (?:do |will |would )?(?:meet|qualify|pass|satisfy)|you'?re "
    r"(?:eligible|fine|good|okay|ok|all set|covered|within)|you are (?:eligible|fine|within)|"
    r"(?:that'?s|that is|it'?s|it is) (?:fine|enough|okay|ok|no problem|within)|no problem|"
    r"meets? (?:the|our|all) (?:requirement|criteria|minimum)|no further \w+ (?:is )?needed)\b",
    _I,
)
_DENY = re.compile(
    r"\b(?:not quite|unfortunately|afraid|below|short of|under the|over the|above the|too "
    r"(?:low|high|heavy|long|many)|doesn'?t|don'?t|won'?t|isn'?t|aren'?t|not|no,|exceeds?|"
    r"retake|fall\w*|miss\w*|sadly)\b",
    _I,
)


def _clock(m: re.Match[str]) -> tuple[int, bool]:
    """(minutes after midnight, whether am/pm was written)."""
    if m.group(4):
        return 720, True
    if m.group(5):
        return int(m.group(5)) * 60 + int(m.group(6)), False
    hour = int(m.group(1)) % 12 + (12 if m.group(3).lower().startswith("p") else 0)
    return hour * 60 + int(m.group(2) or 0), True


def _deadlines(text: str) -> list[tuple[str, int, bool]]:
    """("date" | "time", value, exact) for each value a deadline word governs."""
    out = []
    for d in _DEADLINE.finditer(text):
        rest = text[d.end() : d.end() + 24]
        date = _DATE.match(rest)
        if date:
            day, month = (
                (date.group(1), date.group(2)) if date.group(1) else (date.group(4), date.group(3))
            )
            out.append(("date", (_MONTHS.index(month.lower()[:3]) + 1) * 100 + int(day), True))
            continue
        clock = _CLOCK.match(rest)
        if clock:
            out.append(("time", *_clock(clock)))
    return out


def _looser(early: list[tuple[str, int, bool]], late: list[tuple[str, int, bool]]) -> str | None:
    for kind, value, exact in late:
        before = [v for k, v, _ in early if k == kind]
        if not before:
            continue
        limit = max(before)
        if kind == "time" and not exact and value < 12 * 60 and value + 720 - limit < limit - value:
            value += 720  # "back by 5:30" after "all aboard is 4:30pm" means 5:30 pm
        if value > limit:
            return f"gives a later {'deadline' if kind == 'date' else 'latest time'} than it stated"
    return None


def _figures(text: str) -> list[float]:
    return [float(m.group(1)) for m in _NUMBER.finditer(text)]


def _thresholds(text: str) -> tuple[list[float], list[float]]:
    low = [float(m.group(1) or m.group(2)) for m in _AT_LEAST.finditer(text)]
    high = [float(m.group(1) or m.group(2)) for m in _AT_MOST.finditer(text)]
    return low, high


def limit_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(agent sentence id, why) for a loosened deadline or a failed requirement said to be met."""
    out: list[tuple[str, str]] = []
    stated: list[tuple[int, list[tuple[str, int, bool]]]] = []
    low: list[float] = []
    high: list[float] = []
    asked_at = -1
    failing: tuple[int, str] | None = None  # (turn, figure) the customer gave that fails
    for seg in segments:
        text = seg.text
        if seg.role is Role.CUSTOMER:
            if _CHANGE_ASK.search(text):
                asked_at = seg.turn_index
            for v in _figures(text):
                if any(v < t <= 2 * v for t in low) or any(t < v <= 2 * t for t in high):
                    failing = (seg.turn_index, f"{v:g}")
            continue
        if seg.role not in AGENT_SIDE:
            continue
        if failing and seg.turn_index > failing[0]:
            if _AFFIRM.search(text) and not _DENY.search(text):
                out.append((seg.id, f"says the customer meets a requirement {failing[1]} fails"))
            if failing[0] < seg.turn_index - 1 or _DENY.search(text):
                failing = None
        found = _deadlines(text)
        if found and _PERMIT.search(text) and not _CHANGE.search(text):
            early = [
                d for turn, ds in stated if turn < seg.turn_index and turn > asked_at for d in ds
            ]
            why = _looser(early, found)
            if why:
                out.append((seg.id, why))
        if found:
            stated.append((seg.turn_index, found))
        lo, hi = _thresholds(text)
        low += lo
        high += hi
    return out
