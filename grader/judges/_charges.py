"""Said free, then charged: the agent quotes a price for what it said costs nothing.

"Roaming is included at no extra cost" followed, a turn later, by "that's £2.50 a day there"
tells the customer two things, and one of them is wrong. The later sentence rarely repeats
the earlier one's words, but it does repeat the topic the customer raised (the place, the
trip, the plan), so the topic is the free sentence's turn plus the customer question it
answered. A charge for something beyond the free part (over an allowance, an upgrade, an
add-on) or an announced change is not a contradiction.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._ages import age_band_errors
from grader.judges._consistency import facts_of

__all__ = ["charged_after_free"]

_I = re.IGNORECASE
_FREE = re.compile(
    r"\b(?:at no (?:extra |additional )?(?:cost|charge)|free of charge|no (?:extra |additional )?"
    r"(?:charge|cost|fee)s?|won'?t (?:be charged|cost you)|(?:costs?|pay) nothing|"
    r"(?:is|are|it'?s) (?:free|included)|comes? free)\b",
    _I,
)
_BEYOND = re.compile(
    r"\b(?:over|beyond|above|after|outside|once|exceed\w*|more than|additional|extra|on top|"
    r"top[- ]up|if you|otherwise|instead|upgrade\w*|add-?on|bolt-?on|express|premium|faster|"
    r"priority|except|apart from|only|changed?|moved|new)\b",
    _I,
)


_CHARGE = re.compile(
    r"\b(?:fee|charge[ds]?|costs?|pay|paid|deduct\w*|taken|billed|bill|added to)\b", _I
)


def charged_after_free(segments: list[Segment]) -> list[tuple[str, str]]:
    """(sentence id, why) for each price quoted on a topic the agent earlier called free."""
    # (turn, stems of the free sentence, stems of its turn and the question it answered)
    topics: list[tuple[int, frozenset[str], frozenset[str]]] = []
    out = []
    for i, seg in enumerate(segments):
        if seg.role not in AGENT_SIDE:
            continue
        fact = facts_of(seg)
        priced = fact.rates or (fact.amounts and _CHARGE.search(seg.text))
        if priced and not _FREE.search(seg.text) and not _BEYOND.search(seg.text):
            for turn, own, topic in topics:
                if turn < seg.turn_index and (fact.stems & own or len(fact.stems & topic) >= 2):
                    out.append((seg.id, "quotes a charge for what it said was free"))
                    break
        if _FREE.search(seg.text) and not fact.amounts:  # "£32 a month, no fee to switch" is mixed
            asked = max((s.turn_index for s in segments[:i] if s.role is Role.CUSTOMER), default=-1)
            near = [
                s for s in segments if s.turn_index in (seg.turn_index, asked)
            ]  # the free sentence's turn and the question it answered
            topic = frozenset().union(*(facts_of(s).stems for s in near))
            topics.append((seg.turn_index, fact.stems, topic))
    flagged = {sid for sid, _ in out}  # and a child charged whom an age rule made free (_ages)
    return out + [(sid, why) for sid, why in age_band_errors(segments) if sid not in flagged]
