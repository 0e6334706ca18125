"""Diligence shapes: work the agent reports as done, and a conversation the agent closed.

Any past-tense action in the first person counts ("I've signed out every device"), not only
the verbs a list names; closing the chat on the customer is giving up whatever came before.
"""

from __future__ import annotations

import re

from grader.judges._protocol import JudgeContext

__all__ = ["closed_by_agent", "done_by_agent"]

#: Any past-tense action the agent reports as done ("I've signed out every device").
_DONE = re.compile(
    r"\b(?:i|we)(?:'ve| have)(?: also| just| now| already| since)? (?!(?:needed|wanted|hoped|"
    r"noticed|decided|received|tried|asked|heard|learned|liked|wondered)\b)\w{3,}ed\b",
    re.I,
)
#: The agent ends the conversation itself ("Chat closed by agent.").
_CLOSED_BY_AGENT = re.compile(
    r"\b(?:(?:chat|conversation|ticket|case|session) (?:was |has been )?(?:closed|ended) by (?:the )?"
    r"(?:agent|advisor|adviser|representative|rep)|(?:agent|advisor|adviser) (?:has )?(?:closed|"
    r"ended|left) the (?:chat|conversation|session))\b",
    re.I,
)


def done_by_agent(text: str) -> bool:
    """A first-person past-tense action ("we've switched those back")."""
    return bool(_DONE.search(text))


def closed_by_agent(ctx: JudgeContext) -> list[str]:
    """Segments saying the agent closed or left the conversation."""
    return [s.id for s in ctx.segments if _CLOSED_BY_AGENT.search(s.text)]
