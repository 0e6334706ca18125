"""Whether the agent answered the yes/no (or how-much) question the customer asked.

A closed question ("Is my appointment still on?", "Do I lose the files?") wants its answer
first. The reply that follows it is read past greetings and thanks; its first sentence should
carry the answer (yes, no, a negation, "of course", "I'm afraid", "still", "already"). A reply
that talks around the question instead is a dodge, which the clarity vote counts like a
customer's sign of confusion. Requests phrased as questions ("Can you check...?") are not
closed questions. A "how much / how long / when" question wants a number or a time in the
first sentence, not "it depends on your account type".
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role

__all__ = ["dodged_questions"]

_I = re.IGNORECASE
_CLOSED = re.compile(
    r"^(?:(?:so|and|but|also|ok(?:ay)?|hi|hello|sorry)[,!]?\s+)*"
    r"(?:is|are|was|were|do|does|did|can|could|will|would|should|has|have|am|may|shall|"
    r"isn'?t|aren'?t|doesn'?t|don'?t|won'?t|can'?t)\s+(?!you\b|someone\b|anyone\b|somebody\b)",
    _I,
)
_OPENER = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|thanks?|thank you|great question|"
    r"let me (?:check|see|look)|one moment|sure thing)\b[^.!?]*[.!?]?\s*$",
    _I,
)
_DIRECT = re.compile(
    r"\b(?:yes|yeah|yep|no|nope|not|n't|never|of course|sure|certainly|absolutely|definitely|"
    r"correct|right|afraid|unfortunately|sadly|good news|indeed|still|already|exactly|only)\b",
    _I,
)


#: A question asking for a number, an amount or a time: the answer should state one.
_HOW_MUCH = re.compile(
    r"^(?:(?:so|and|but|hi|hello|ok(?:ay)?)[,!]?\s+)*(?:how (?:much|many|long|soon|often)|"
    r"when|what time|what date|what(?:'s| is) the (?:price|cost|limit|fee|rate|charge|deadline))\b",
    _I,
)
_STATES_NUMBER = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"hundred|thousand|half|today|tomorrow|tonight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"morning|afternoon|evening|week|month|noon|midnight|free|nothing|no limit)\b",
    _I,
)


def _closed(text: str) -> bool:
    return text.rstrip().endswith("?") and bool(_CLOSED.search(text.strip()))


def _numeric(text: str) -> bool:
    return text.rstrip().endswith("?") and bool(_HOW_MUCH.search(text.strip()))


def dodged_questions(segments: list[Segment]) -> list[str]:
    """Ids of the agent sentences that answered a closed question without answering it."""
    out = []
    for k, seg in enumerate(segments):
        closed, numeric = _closed(seg.text), _numeric(seg.text)
        if seg.role is not Role.CUSTOMER or not (closed or numeric):
            continue
        later_customer = [s for s in segments[k + 1 :] if s.role is Role.CUSTOMER]
        if any(s.turn_index == seg.turn_index for s in later_customer):
            continue  # not the turn's last question: the reply may answer the other one
        reply = [
            s
            for s in segments[k + 1 :]
            if s.role in AGENT_SIDE and s.turn_index > seg.turn_index and not _OPENER.match(s.text)
        ]
        if not reply:
            continue
        answer = reply[0].text
        if (closed and not _DIRECT.search(answer)) or (
            numeric and not _STATES_NUMBER.search(answer)
        ):
            out.append(reply[0].id)
    return out
