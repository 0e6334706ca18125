"""THE policy-speak detector's pattern layer, shared by the grader and the coach.

"Sorry, that's our policy" loses customers who would accept the same answer explained. A
curt reply need not say "policy": sending the customer elsewhere, citing the terms, denying
responsibility, "nothing I can do", blaming the customer and a bare "no" withhold the same two
things. So there is one rule for `explained`, applied to every phrase found:

    a phrase is explained when its reply offers a way forward (something we will do, an option
    the customer still has, a step that moves the case on), or, for a phrase that only cites a
    rule or says no (`CITATIONS`), when the reply gives the reason the rule exists.

A door-closer ("nothing I can do", "contact your bank", "you should have read") is not
answered by a reason; only by what can be done. The coach adds an embedding-neighbour layer on
top (`retrieval._detector`) and uses this same rule for what it finds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader._policy_cues import GOOD_NEWS, LEADING_NO
from grader._policy_patterns import (
    ACKNOWLEDGEMENT,
    CITATIONS,
    CLOSERS,
    DOOR_CLOSERS,
    PATTERNS,
    REASON_CUES,
    REASSURANCE,
    REFUSAL,
    WAY_FORWARD,
)
from grader._segments import split_sentences

__all__ = [
    "PolicyPhrase",
    "ReplyCues",
    "find_policy_speak",
    "is_explained",
    "reassures",
    "reply_cues",
]

_COMPILED = tuple(
    (kind, re.compile(rx, re.IGNORECASE | re.MULTILINE), why) for kind, rx, why in PATTERNS
)
_ADVICE = re.compile(r"\b(?:suggest|recommend|advise|best\s+bet)\w*\b", re.IGNORECASE)
_REFUSAL_WHY = "says no without the reason or what can be done"
#: A deflection verb preceded by our own commitment ("I'll contact the carrier") is an offer.
_OWN_ACTION = re.compile(
    r"\b(?:i|we)\s*(?:'ll|will|can|could|'d|would|'ve|have|am|'m|are|'re)\b[^.!?]{0,25}$"
    r"|\b(?:let\s+me|happy\s+to|glad\s+to|i'd\s+like\s+to|for|about|after|before)\s*$",
    re.IGNORECASE,
)


#: "If you have any other problem, you can contact us any time": an offer for later, no deflection.
_LATER_HELP = re.compile(
    r"\bif\s+you\s+(?:have|encounter|need|run\s+into|face)\s+any\s+(?:other\s+|more\s+|further\s+)?"
    r"(?:problems?|questions?|issues?|help|trouble|difficult\w*)\b[^.!?]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PolicyPhrase:
    """A policy-speak match inside a text, with its span, why it hurts, and whether answered."""

    kind: str
    phrase: str
    start: int
    end: int
    reason: str
    explained: bool


@dataclass(frozen=True)
class ReplyCues:
    """What a reply gives the customer: the reason behind a rule, and a way forward."""

    reason: bool
    way_forward: bool


def reply_cues(text: str, curt: Sequence[tuple[int, int]] = ()) -> ReplyCues:
    """Whether `text` explains a rule and whether it offers a way forward.

    The `curt` spans and courtesy closers ("anything else?") are blanked first: "nothing I
    can change" offers nothing, though "I can change" would.
    """
    chars = list(text)
    for start, end in curt:
        chars[start:end] = "#" * (end - start)  # not spaces: words either side stay apart
    plain = CLOSERS.sub(" ", "".join(chars))
    return ReplyCues(bool(REASON_CUES.search(plain)), bool(WAY_FORWARD.search(plain)))


def is_explained(kind: str, cues: ReplyCues) -> bool:
    """THE rule: a way forward answers any phrase; a reason answers only a citation."""
    return cues.way_forward or (cues.reason and kind in CITATIONS)


def _matches(text: str) -> list[tuple[str, re.Match[str], str]]:
    good_news = [(m.start(), m.end()) for m in GOOD_NEWS.finditer(text)]
    found = []
    for kind, rx, why in _COMPILED:
        for m in rx.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in good_news):
                continue  # "you won't be charged": the no is the good news
            before = text[max(0, m.start() - 40) : m.start()]
            if kind == "deflection" and (
                (_OWN_ACTION.search(before) and not _ADVICE.search(before))
                or _LATER_HELP.search(text[max(0, m.start() - 80) : m.start()])
            ):
                continue
            found.append((kind, m, why))
    return found


def find_policy_speak(text: str) -> list[PolicyPhrase]:
    """Every curt phrase in `text`, in order; overlapping matches are reported once.

    `explained` follows `is_explained` over the whole text (one reply, one turn).
    """
    kept: list[tuple[str, re.Match[str], str]] = []
    for kind, m, why in sorted(_matches(text), key=lambda x: (x[1].start(), -x[1].end())):
        if m.end() <= m.start() or (kept and m.start() < kept[-1][1].end()):
            continue  # the same words matched twice: keep the first (longest) reading
        kept.append((kind, m, why))
    found = [(kind, m.start(), m.end(), why) for kind, m, why in kept]
    cues = reply_cues(text, [(s, e) for k, s, e, _ in found if k in DOOR_CLOSERS])
    found = sorted(found + _refusals(text, [(s, e) for _, s, e, _ in found]), key=lambda f: f[1])
    return [
        PolicyPhrase(kind, text[s:e], s, e, why, is_explained(kind, cues))
        for kind, s, e, why in found
    ]


def _refusals(text: str, taken: Sequence[tuple[int, int]]) -> list[tuple[str, int, int, str]]:
    """Sentences no pattern matched that still say no or set a limit (reassurance excepted)."""
    out, cursor = [], 0
    for sentence in split_sentences(text):
        start = text.find(sentence, cursor)
        cursor = end = start + len(sentence)
        if any(start <= s < end for s, _ in taken) or sentence.rstrip().endswith("?"):
            continue  # matched already, or a question ("So you cannot open any page?")
        plain = _without_good_news(CLOSERS.sub(" ", sentence))
        offers = WAY_FORWARD.search(plain) or REASON_CUES.search(plain)
        if REFUSAL.search(plain) and not offers and not ACKNOWLEDGEMENT.search(plain):
            out.append(("bare_refusal", start, end, _REFUSAL_WHY))
    return out


def _without_good_news(sentence: str) -> str:
    """`sentence` with its reassuring negations blanked ("No, you don't need one")."""
    if not REASSURANCE.search(sentence):
        return sentence
    return REASSURANCE.sub(" ", LEADING_NO.sub(" ", sentence))


def reassures(sentence: str) -> bool:
    """Whether `sentence` says no only to reassure ("There are no fees for this").

    Such a sentence may read like a curt one to an embedding; it refuses nothing.
    """
    plain = CLOSERS.sub(" ", sentence)
    return bool(REASSURANCE.search(plain)) and not REFUSAL.search(_without_good_news(plain))
