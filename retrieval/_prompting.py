"""The coach's messages, from Jinja templates shipped in `retrieval/prompts`.

The stable instructions go first (system), the case after (user). The conversation and the
draft are untrusted: each line is datamarked with its speaker, placed between markers
derived from its content, and text imitating a marker is defused.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from grader._transcript import Turn
from prompts import TemplateSet
from retrieval._records import Tone

__all__ = [
    "TONE_HINTS",
    "coach_variables",
    "conversation_lines",
    "marker_for",
    "prompt_version",
    "render",
]

TONE_HINTS: dict[str, str] = {
    "friendly": "warm and personal, plain words, contractions are fine",
    "professional": "courteous and precise, no slang, no exclamation marks",
    "concise": "as short as possible while keeping all four parts, one sentence each",
}
_COACH = TemplateSet(
    "retrieval",
    ("coach_system.jinja", "coach_user.jinja", "rewrite_system.jinja", "rewrite_user.jinja"),
    folder="prompts",
)
_MARKER_LIKE = re.compile(r"<<|>>")


def render(name: str, **variables: Any) -> str:
    """Render one coach template (unknown variables are errors)."""
    return _COACH.render(name, **variables)


def prompt_version() -> str:
    """Hash of the coach templates, so cached answers follow prompt edits."""
    return _COACH.version


def _defuse(text: str) -> str:
    return _MARKER_LIKE.sub("\u2039\u2039", " ".join(text.split()))


def conversation_lines(turns: Sequence[Turn]) -> list[str]:
    """One datamarked line per turn: '[role] text'."""
    return [f"[{t.role.value}] {_defuse(t.text)}" for t in turns]


def marker_for(*parts: str) -> str:
    """A short marker derived from the content it encloses."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:8]


def coach_variables(tone: Tone, draft: str, turns: Sequence[Turn], **rest: Any) -> dict[str, Any]:
    """Variables shared by the structured and the streaming coach prompts."""
    lines = conversation_lines(turns)
    clean_draft = _defuse(draft)
    return {
        "tone": tone,
        "tone_hint": TONE_HINTS[tone],
        "draft": clean_draft,
        "conversation": lines,
        "marker": marker_for(*lines, clean_draft),
        **rest,
    }
