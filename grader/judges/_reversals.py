"""Said no, then yes: an agent who said a thing is not supported must not then say it works.

"The Hub 2 doesn't have a Z-Wave radio" and, a turn later, to "it's the Z-Wave one, will that
pair?", "Yes, that should pair fine". The same shape turns up in every industry: a region not
shipped to, a card not accepted, a plan without a feature. The thing is named by a distinctive
term (a capitalised name, a code like USB-C or 5G) in the negative sentence and in the
customer's yes/no question; the answer is a plain yes. A question about something else (another
model, an upgrade) or a yes that carries a "but" is not a reversal.
"""

from __future__ import annotations

import re

from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role

__all__ = ["reversal_errors"]

_I = re.IGNORECASE
_NEGATIVE = re.compile(
    r"\b(?:doesn'?t|does not|don'?t|do not|can'?t|cannot|won'?t|will not|isn'?t|is not|aren'?t|"
    r"are not|has no|have no|no longer|never|not (?:compatible|supported|available|included|"
    r"covered|accepted))\b|\b(?:isn'?t|not) (?:compatible|supported)|\bincompatible\b",
    _I,
)
_NOT_NEGATIVE = re.compile(r"\b(?:no problem|no worries|not only|no doubt|don'?t worry)\b", _I)
#: A term that names one thing: "Z-Wave", "USB-C", "5G", "Amex", "Northern Ireland".
_TERM = re.compile(
    r"\b(?:[A-Za-z]*\d[A-Za-z\d]*(?:-[A-Za-z\d]+)*|[A-Z][A-Za-z]*(?:-[A-Za-z\d]+)+|"
    r"[A-Za-z]*[a-z][A-Z][A-Za-z]*|(?<=[a-z,;:] )[A-Z][a-z]{2,}|[A-Z]{2,})\b"
)
_YES_NO = re.compile(
    r"(?:^|[.!?]\s+|,\s*)(?:so |and |but |ok(?:ay)?,? |then )?(?:will|would|can|could|does|do|is|"
    r"are|should|has|have|did)\b[^?]*\?",
    _I,
)
_YES = re.compile(
    r"^\s*(?:yes|yep|yeah|yup|sure|absolutely|of course|definitely|certainly|that(?:'ll| will| "
    r"should| does| works)|it(?:'ll| will| should| does| works)|(?:they|you)(?:'ll| will| can))\b",
    _I,
)
_DOUBT = re.compile(r"\b(?:not|n't|no|but|however|unfortunately|sadly|afraid|only if)\b", _I)
_ELSEWHERE = re.compile(
    r"\b(?:instead|other|another|different|upgrade\w*|newer|pro|plus|premium|what if|if i|"
    r"what about|how about|"
    r"exception|adapter|bridge|converter)\b",
    _I,
)
_DAY_MONTH = re.compile(
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*$"
)


def _terms(text: str) -> set[str]:
    return {t.lower() for t in _TERM.findall(text) if not _DAY_MONTH.match(t) and len(t) > 1}


def reversal_errors(segments: list[Segment]) -> tuple[list[tuple[str, str]], list[str]]:
    """(sentence id, why) for a plain yes to what the agent said is not supported; ids checked."""
    denied: dict[str, int] = {}  # term -> the turn that said it is not supported
    asked: set[str] = set()  # terms of the last customer yes/no question about a denied thing
    asked_turn = -1
    other = False
    out: list[tuple[str, str]] = []
    checked: list[str] = []
    first_of_turn: set[int] = set()
    for seg in segments:
        text = seg.text
        if seg.role is Role.CUSTOMER:
            questions = " ".join(m.group(0) for m in _YES_NO.finditer(text))
            turn = " ".join(s.text for s in segments if s.turn_index == seg.turn_index)
            if questions:
                hit = {t for t in _terms(turn) if t in denied and denied[t] < seg.turn_index}
                asked, asked_turn, other = hit, seg.turn_index, bool(_ELSEWHERE.search(turn))
            continue
        if seg.role not in AGENT_SIDE:
            continue
        starts = seg.turn_index not in first_of_turn
        first_of_turn.add(seg.turn_index)
        if starts and asked and not other and asked_turn == seg.turn_index - 1:
            checked.append(seg.id)  # an answer about the denied thing: it must still say no
            if _YES.match(text) and not _DOUBT.search(text):
                term = sorted(asked)[0]
                out.append((seg.id, f"says yes about {term}, which it said is not supported"))
        no = _NEGATIVE.search(text)
        if no and not _NOT_NEGATIVE.search(text) and "?" not in text:
            for t in _terms(text[no.start() :]):  # what follows the "not" is what is unsupported
                denied.setdefault(t, seg.turn_index)
    return out, checked
