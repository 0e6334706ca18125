"""Extra-mile shapes told by structure, not by a list of nice phrases.

An action justified by what the customer told us, and an unasked offer gladly taken.

"Since Biscuit's getting on a bit, we've asked the owner to leave a ramp": the reason clause
reuses a word the customer gave (a pet's name, the nerves they mentioned), and the agent did
something for it. "If you'd like, I can ask Dr Lewis to ring you" answered by "oh, that would
be lovely": an offer beyond the request, and the customer's glad yes shows it was one.
"""

from __future__ import annotations

import re

from grader._transcript import AGENT_SIDE, Role
from grader.judges._protocol import JudgeContext

__all__ = ["because_of_them", "gladly_taken"]

_REASON_THEN_ACT = re.compile(
    r"\b(?:since|as|because|given(?: that)?|seeing as|with)\s+([^,.!?;]{3,70}?),\s*"
    r"(?:i|we)(?:'ve| have|'ll| will| also|'ve also| have also)?\s+(?!can'?t|cannot|won'?t|"
    r"couldn'?t|unfortunately)\w+",
    re.I,
)
_PUNITIVE = re.compile(
    r"\b(?:fee|charge[ds]?|penalt\w+|fine[ds]?|suspend\w*|clos(?:ed|ing)|deduct\w*|cancell?ed|"
    r"block\w*|can'?t|cannot|unable|refus\w+|declin\w+)\b",
    re.I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")
_COMMON = frozenset(
    [
        "that",
        "this",
        "with",
        "have",
        "your",
        "their",
        "there",
        "they",
        "them",
        "what",
        "when",
        "will",
        "would",
        "could",
        "should",
        "about",
        "from",
        "just",
        "been",
        "were",
        "it's",
        "that's",
        "i've",
        "we've",
        "order",
        "account",
        "booking",
        "week",
        "today",
    ]
)

_OFFER = re.compile(
    r"\b(?:if you'?d (?:like|prefer)|if you (?:want|like|prefer)|if (?:it|that) (?:would )?helps?|"
    r"would you like (?:me|us) to|(?:i|we) (?:can|could) also|happy to (?:also )?|"
    r"i'?d be glad to|shall i (?:also )?)\b",
    re.I,
)
_GLAD_YES = re.compile(
    r"\b(?:(?:that|it|this)(?: would|'d| will|'ll)? be (?:so |really |very )?(?:lovely|brilliant|"
    r"wonderful|perfect|amazing|fantastic|so helpful|really helpful|a (?:big |huge |real )?help|"
    r"great)|(?:oh|ah|ooh|aw+),? (?:lovely|brilliant|perfect|amazing|wonderful|how kind|that'?s "
    r"(?:so )?kind)|(?:that'?s|how) (?:so |really |very )?(?:kind|thoughtful|sweet))\b",
    re.I,
)


def _their_words(ctx: JudgeContext) -> frozenset[str]:
    return frozenset(
        w.casefold().removesuffix("'s")
        for s in ctx.segments
        if s.role is Role.CUSTOMER
        for w in _WORD.findall(s.text)
        if w.casefold() not in _COMMON
    )


def because_of_them(ctx: JudgeContext) -> list[str]:
    """Agent sentences doing something because of a detail in the customer's own words."""
    theirs = _their_words(ctx)
    out = []
    for seg in ctx.segments:
        if seg.role not in AGENT_SIDE or _PUNITIVE.search(seg.text):
            continue
        for hit in _REASON_THEN_ACT.finditer(seg.text):
            words = {w.casefold().removesuffix("'s") for w in _WORD.findall(hit.group(1))}
            if words & theirs:
                out.append(seg.id)
                break
    return out


def gladly_taken(ctx: JudgeContext) -> list[str]:
    """Agent offers answered by the customer's glad yes in the very next customer turn."""
    out: list[str] = []
    pending: list[str] = []
    for seg in ctx.segments:
        if seg.role in AGENT_SIDE:
            if _OFFER.search(seg.text):
                pending.append(seg.id)
        elif seg.role is Role.CUSTOMER:
            if pending and _GLAD_YES.search(seg.text):
                out.extend(pending)
            pending = []
    return out
