"""Phrases of curt policy-speak and deflection, found in agent turns by pattern.

"Sorry, that's our policy" loses customers who would accept the same answer explained; a
hit next to an explanation ("because…", "so that…") is reported as explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["PolicyPhrase", "find_policy_speak"]

_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (
        "policy_citation",
        r"\b(?:that'?s|that is|it'?s|it is|this is)\s+(?:just\s+)?(?:our|the|company|store)\s+policy\b",
        "cites policy as the reason instead of explaining it",
    ),
    (
        "policy_citation",
        r"\b(?:per|according to|as per)\s+(?:our|the|company)\s+(?:policy|terms|rules)\b",
        "cites policy as the reason instead of explaining it",
    ),
    (
        "nothing_to_do",
        r"\b(?:there'?s|there is)\s+nothing\s+(?:(?:else\s+)?(?:i|we)\s+can\s+do|to be done)\b",
        "closes the door without offering an alternative",
    ),
    (
        "nothing_to_do",
        r"\b(?:i|we)\s+(?:can'?t|cannot|can not)\s+(?:do\s+anything|help\s+(?:you\s+)?(?:with\s+that|further))\b",
        "closes the door without offering an alternative",
    ),
    (
        "rules_are_rules",
        r"\brules\s+are\s+rules\b|\b(?:those|these)\s+are\s+the\s+rules\b",
        "rigid rule-following instead of judgement",
    ),
    (
        "no_exceptions",
        r"\b(?:i|we)\s+(?:can'?t|cannot|don'?t|do not)\s+make\s+(?:any\s+)?exceptions?\b|\bno\s+exceptions\b",
        "refuses judgement without a reason",
    ),
    (
        "blame_customer",
        r"\byou\s+should\s+have\s+(?:read|checked|looked at)\b",
        "blames the customer",
    ),
    (
        "not_my_job",
        r"\bnot\s+my\s+(?:job|department|problem|responsibility)\b",
        "deflects ownership",
    ),
    (
        "system_says_no",
        r"\bthe\s+system\s+(?:won'?t|doesn'?t|does not|will not)\s+(?:let|allow)\b",
        "hides behind the system",
    ),
    (
        "out_of_hands",
        r"\b(?:out\s+of\s+my\s+hands|nothing\s+i\s+can\s+change)\b",
        "deflects ownership",
    ),
)
_COMPILED = tuple((kind, re.compile(rx, re.IGNORECASE), why) for kind, rx, why in _PATTERNS)
_EXPLANATION = re.compile(
    r"\b(?:because|since|so that|in order to|the reason|this is to|this protects|that way|which means)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PolicyPhrase:
    """A policy-speak match inside a text, with its span and why it hurts."""

    kind: str
    phrase: str
    start: int
    end: int
    reason: str
    explained: bool


def find_policy_speak(text: str) -> list[PolicyPhrase]:
    """Every pattern match in `text`, in order; `explained` if the text also gives a reason."""
    explained = bool(_EXPLANATION.search(text))
    hits = [
        PolicyPhrase(kind, m.group(0), m.start(), m.end(), why, explained)
        for kind, rx, why in _COMPILED
        for m in rx.finditer(text)
    ]
    return sorted(hits, key=lambda h: h.start)
