"""A date the agent set, applied wrongly: "changes lock on 6 June", then "Saturday the 7th is fine".

Two shapes, in any industry: a last day to act (orders lock, applications close, cancel by,
return before) and a charge that applies until a day (an exit fee until the contract ends, a
penalty until the term is up). The customer then asks about a day of their own; the answer
must follow from the two. A yes for a day after the last day, or "no fee" for a day before the
charge ends, misleads. Days are compared within the year the conversation implies.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import words

__all__ = ["deadline_errors"]

_I = re.IGNORECASE
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_M = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\b|\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b|"
    rf"\b(?:end of|late|the last week of)\s+{_M}\b|\b(?:the\s+)?(\d{{1,2}})(st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    _I,
)
_LAST_DAY = re.compile(
    r"\b(?:lock\w*|clos(?:e|es|ing)|cut-?off|deadline|(?:by|before|no later than) (?:\w+ )?"
    r"(?:the )?\d+|last day|expir\w*|must (?:be|reach|arrive)|has to be (?:in|done|back))\b",
    _I,
)
_CHARGE_UNTIL = re.compile(
    r"\b(?:until|before) (?:then|that date|that day|the \d)|\b(?:before|until) (?:the )?(?:end|\d)"
    r"[^.]{0,40}\b(?:fee|charge|penalty|pay\w*|costs?)|\b(?:fee|charge|penalty)\b[^.]{0,40}\buntil\b",
    _I,
)
_ENDS = re.compile(r"\b(?:ends?|expir\w*|finish\w*|runs? (?:out|until)|up on)\b", _I)
_YES = re.compile(
    r"^\W*(?:yes|yep|yeah|sure|of course|absolutely|that'?s (?:fine|ok(?:ay)?|no problem)|"
    r"(?:\w+ )?(?:is|'s|will be|'ll be) fine|no problem|you(?:'re| are) (?:fine|ok(?:ay)?|in time)|"
    r"still (?:in time|ok(?:ay)?|fine))\b",
    _I,
)
_NO_CHARGE = re.compile(
    r"\b(?:no (?:exit |early |cancellation )?(?:fee|charge|penalty)|nothing to pay|free to "
    r"(?:leave|go|cancel)|won'?t (?:pay|be charged)|without (?:a |any )?(?:fee|charge|penalty))\b",
    _I,
)


_ASKS_TIMING = re.compile(r"\b(?:in time|too late|still (?:make|get|be)|deadline|cut-?off)\b", _I)
_ASKS_CHARGE = re.compile(r"\b(?:pay|fee|charge|cost|penalty|free|owe)\b", _I)
_COMMON = frozenset(
    words(
        "the and for that this with your you our have will would could should when what then "
        "there they them from into about still just need needs day days week time date"
    )
)


def _stems(text: str) -> set[str]:
    return {
        w[:5]
        for w in words(text)
        if len(w) > 3 and w not in _COMMON and w.isalpha() and w[:3] not in _MONTHS
    }


def _day(m: re.Match[str], month: int | None) -> tuple[int, int] | None:
    """(month, day) of one date match; a bare "the 7th" takes the month the agent gave."""
    if m.group(1):
        return _MONTHS.index(m.group(2).lower()[:3]) + 1, int(m.group(1))
    if m.group(4):
        return _MONTHS.index(m.group(3).lower()[:3]) + 1, int(m.group(4))
    if m.group(5):
        return _MONTHS.index(m.group(5).lower()[:3]) + 1, 28
    if m.group(6) and month is not None:
        return month, int(m.group(6))
    return None


def _dates(text: str, month: int | None = None) -> list[tuple[int, int]]:
    return [d for m in _DATE.finditer(text) if (d := _day(m, month)) is not None]


def _turn(segments: list[Segment], turn: int) -> str:
    return " ".join(s.text for s in segments if s.turn_index == turn)


def deadline_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(sentence id, why) for an answer that misapplies a last day or a charge-until day."""
    last_day: tuple[int, int] | None = None
    last_words: set[str] = set()
    topic = False  # the customer's question is about what the last day is for
    charge_until: tuple[int, int] | None = None
    stated: set[tuple[int, int]] = set()
    asked: list[tuple[int, int]] = []
    asked_turn = -1
    out: list[tuple[str, str]] = []
    seen_turns: set[int] = set()
    charge_asked = False
    for seg in segments:
        text = seg.text
        if seg.role is Role.CUSTOMER:
            if seg.turn_index != asked_turn:
                asked, asked_turn = [], seg.turn_index
            month = (last_day or charge_until or (None, 0))[0]
            asked += [d for d in _dates(text, month) if d not in stated]
            turn = _turn(segments, seg.turn_index)
            topic = bool(_stems(turn) & last_words or _ASKS_TIMING.search(turn))
            charge_asked = bool(_ASKS_CHARGE.search(turn))
            continue
        if seg.role not in AGENT_SIDE:
            continue
        first = seg.turn_index not in seen_turns
        seen_turns.add(seg.turn_index)
        if first and asked and asked_turn == seg.turn_index - 1:
            when = max(asked)
            if last_day and topic and when > last_day and _YES.match(text):
                out.append(
                    (
                        seg.id,
                        f"says {when[1]}/{when[0]} is in time; it said by {last_day[1]}"
                        f"/{last_day[0]}",
                    )
                )
            elif (
                charge_until
                and charge_asked
                and when < charge_until
                and _NO_CHARGE.search(_turn(segments, seg.turn_index))
            ):
                out.append(
                    (
                        seg.id,
                        f"says no charge on {when[1]}/{when[0]}; it applies until "
                        f"{charge_until[1]}/{charge_until[0]}",
                    )
                )
        here = _dates(text)
        stated |= set(here)
        if here and _LAST_DAY.search(text):
            last_day, last_words = here[-1], _stems(text)
        turn = _turn(segments, seg.turn_index)
        if here and _ENDS.search(text) and _CHARGE_UNTIL.search(turn):
            charge_until = here[0]
    return out
