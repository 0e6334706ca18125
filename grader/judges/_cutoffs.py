"""A cut-off the agent stated, applied wrongly: "before 3:30 pm" and then, at 4 pm, "still today".

Same-day payments, next-day delivery, free cancellation: the agent often quotes the rule
with its time, the customer says what time it is, and the answer must follow from the two.
Saying it is still in time once the customer's stated time is past the cut-off misleads.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._deadlines import deadline_errors

__all__ = ["cutoff_errors"]

_I = re.IGNORECASE
_CLOCK = r"(\d{1,2})(?:[:.](\d\d))?\s*(am|pm|a\.m\.|p\.m\.)|\b([01]?\d|2[0-3])[:h]([0-5]\d)\b"
_CUTOFF = re.compile(rf"\b(?:before|by|until|no later than|up to)\s+(?:{_CLOCK})", _I)
_NOW = re.compile(
    rf"\b(?:it'?s|it is|now|currently|already|gone|past)\b[^.?!\d]{{0,15}}(?:{_CLOCK})|"
    rf"(?:{_CLOCK})\s*(?:now|already|here)\b",
    _I,
)
_IN_TIME = re.compile(
    r"\b(?:still|in time|make (?:it|the cut-?off)|(?:arrive|go|reach|leave|ship|process\w*|"
    r"deliver\w*|be (?:sent|paid|processed|delivered))\w* (?:\w+ )?(?:today|tonight|same day))\b",
    _I,
)
_TOO_LATE = re.compile(
    r"\b(?:not|won'?t|isn'?t|next (?:working |business )?(?:day|morning)|tomorrow|missed|after|too late|passed|unfortunately|"
    r"afraid|can'?t|cannot)\b",
    _I,
)


def _minutes(groups: tuple[str | None, ...]) -> int | None:
    """Minutes after midnight from the five clock groups (12-hour, then 24-hour)."""
    hour, minute, half, hour24, minute24 = groups[:5]
    if hour and half:
        return (int(hour) % 12 + (12 if half.lower().startswith("p") else 0)) * 60 + int(
            minute or 0
        )
    if hour24 and minute24:
        return int(hour24) * 60 + int(minute24)
    return None


def _times(rx: re.Pattern[str], text: str) -> list[int]:
    out = []
    for m in rx.finditer(text):
        groups = m.groups()
        for k in range(0, len(groups), 5):
            t = _minutes(groups[k : k + 5])
            if t is not None:
                out.append(t)
                break
    return out


def cutoff_errors(segments: list[Segment]) -> list[tuple[str, str]]:
    """(sentence id, why) for each "still in time" said after the customer's time passed the cut-off."""
    cutoffs: list[int] = []
    now: int | None = None
    out = []
    for seg in segments:
        text = seg.text
        if seg.role is Role.CUSTOMER:
            now = next(iter(_times(_NOW, text)), now)
            continue
        if seg.role not in AGENT_SIDE:
            continue
        late = [c for c in cutoffs if now is not None and now > c]
        if late and _IN_TIME.search(text) and not _TOO_LATE.search(text):
            out.append((seg.id, "says it is still in time after the cut-off it stated"))
        cutoffs += _times(_CUTOFF, text)
    flagged = {sid for sid, _ in out}  # and a last day or a charge-until day misapplied
    return out + [(sid, why) for sid, why in deadline_errors(segments) if sid not in flagged]
