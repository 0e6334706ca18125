"""Tailoring shapes: the thing the customer came about, and their pushback on a reply.

A customer who names their thing twice ("my mother's folding wheelchair ... we need a
wheelchair") has told us what the reply must be about; a reply that never names it ("your
item") is a template, however many reference numbers it quotes back. A customer turn opening
"I said ..." after the reply is the plainest sign it missed them.
"""

from __future__ import annotations

import re
from collections import Counter

from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import has
from grader.judges._protocol import JudgeContext

__all__ = ["focus_shift", "missed_focus", "pushed_back"]

_NOT_WHAT_I = re.compile(
    r"\b(?:not what i (?:asked|said|meant)|i (?:just )?(?:told|said to) you|that doesn'?t answer|"
    r"i said i (?:don'?t|can'?t|didn'?t|have|am)|did you (?:even )?read|"
    r"(?:that'?s|this is) (?:exactly )?what i(?:'m| am)? (?:already )?(?:doing|do|did|tried)|"
    r"i(?:'m| am) already (?:doing|on) (?:that|this|it)|i(?:'ve| have) already (?:tried|done) it)\b|"
    # "I said we don't need essentials.", "I asked about the wheelchair, not the bag."
    r"^\W*(?:but |no,? )?i (?:said|asked (?:about|for|if|whether)|did say|wrote)\b",
    re.I,
)
_WORD = re.compile(r"[a-z]{4,}")
_PLAIN = frozenset(
    [
        "about",
        "again",
        "their",
        "there",
        "these",
        "those",
        "which",
        "would",
        "could",
        "should",
        "thanks",
        "thank",
        "please",
        "hello",
        "regards",
        "dear",
        "madam",
        "really",
        "still",
        "today",
        "tomorrow",
        "which",
        "where",
        "while",
        "other",
        "first",
        "never",
    ]
)


def pushed_back(text: str) -> bool:
    """The customer saying the reply missed what they said or asked."""
    return has("already_said", text) or bool(_NOT_WHAT_I.search(text))


#: The thing they came about outweighs any one reference number quoted back.
_WEIGHT = 1.25


def focus_shift(ctx: JudgeContext) -> float:
    """Up when the replies name the thing the customer named twice, down when none does."""
    turns = ctx.transcript.turns
    first = next((t for t in turns if t.role is Role.CUSTOMER), None)
    if first is None:
        return 0.0
    counts = Counter(w for w in _WORD.findall(first.text.lower()) if w not in _PLAIN)
    focus = {w for w, n in counts.items() if n >= 2}
    agent = " ".join(t.text.lower() for t in turns if t.role in AGENT_SIDE)
    if not focus or not agent:
        return 0.0
    named = any(re.search(rf"\b{re.escape(w.rstrip('s'))}", agent) for w in focus)
    return _WEIGHT if named else -_WEIGHT


def missed_focus(ctx: JudgeContext) -> bool:
    """The customer's first turn names one thing twice and no agent reply names it at all."""
    return focus_shift(ctx) < 0
