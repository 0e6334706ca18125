"""Clauses and negation: where one piece of advice ends, and whether it is denied.

Safety advice is judged clause by clause ("Don't switch anything on, and open the windows"
holds one prohibition and one instruction), and a clause is only advice to do something when
no negation comes before the verb. One splitter and one negation list, for every such check.
"""

from __future__ import annotations

import re

__all__ = ["NEGATION", "clauses", "unnegated"]

_I = re.IGNORECASE
_CLAUSE_BREAK = re.compile(
    r"[,;:—–]|\bbut\b|\band then\b|\bthen\b|\band\b(?= (?:don|do not|never))", _I
)
NEGATION = re.compile(
    r"\b(?:don'?t|do not|never|avoid|without|not|no|isn'?t|aren'?t|stop|steer clear|shouldn'?t|"
    r"should not|mustn'?t|must not|can'?t|cannot|won'?t|nothing to)\b",
    _I,
)


def clauses(text: str) -> list[str]:
    """The clauses of `text`, non-empty, in order."""
    return [c for c in _CLAUSE_BREAK.split(text) if c.strip()]


def unnegated(rx: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of `rx` in a clause where no negation comes before it."""
    for clause in clauses(text):
        m = rx.search(clause)
        if m and not NEGATION.search(clause[: m.start()]):
            return m
    return None
