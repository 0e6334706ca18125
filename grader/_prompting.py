"""Messages for one grading: the stable rubric prefix first, then the datamarked transcript.

The system message depends only on the rubric, so providers (and llama.cpp's KV cache)
reuse it across transcripts. The transcript is untrusted: every sentence is put on its
own line behind its id and speaker (datamarking), inside markers derived from its content,
and text that imitates a marker is defused.
"""

from __future__ import annotations

import hashlib
import re

import prompts
from grader._redaction import redact_pii
from grader._rubric import Rubric
from grader._segments import Segment
from grader._signals import Signals
from grader._transcript import Transcript

__all__ = ["build_messages"]

_MARKER_LIKE = re.compile(r"<<|>>")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "unknown (no timestamps)"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _facts(signals: Signals) -> dict[str, str]:
    escalations = ", ".join(f"{e.kind} at turn {e.turn_index}" for e in signals.escalations)
    policy = "; ".join(
        f'turn {h.turn_index}: "{h.phrase}"{" (with a reason)" if h.explained else ""}'
        for h in signals.policy_speak
    )
    return {
        "first_response": _duration(signals.first_response_seconds),
        "longest_wait": _duration(signals.longest_customer_wait_seconds),
        "handle_time": _duration(signals.handle_time_seconds),
        "escalations": escalations or "none",
        "policy_speak": policy or "none",
    }


def _line(segment: Segment, redact: bool) -> str:
    text = redact_pii(segment.text) if redact else segment.text
    text = _MARKER_LIKE.sub("\u2039\u2039", " ".join(text.split()))
    return f"{segment.id} [{segment.role.value}] {text}"


def system_prompt(rubric: Rubric) -> str:
    """The rubric prefix: identical for every transcript graded with this rubric."""
    return prompts.render("grade_system.jinja", rubric=rubric)


def build_messages(
    rubric: Rubric,
    transcript: Transcript,
    segments: list[Segment],
    signals: Signals,
    *,
    redact: bool,
    examples: str = "",
) -> list[dict[str, str]]:
    """System (rubric) and user (facts, datamarked transcript, rubric restated) messages.

    `examples` (few-shot exemplars) open the user message: after the rubric prefix that
    llama.cpp keeps cached, before the conversation, so the prefix stays stable.
    """
    lines = [_line(s, redact) for s in segments]
    marker = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:8]
    user = prompts.render(
        "grade_user.jinja",
        channel=transcript.channel.value,
        facts=_facts(signals),
        marker=marker,
        lines=lines,
        rubric=rubric,
    )
    if examples:
        user = f"{examples}\n\n{user}"
    return [{"role": "system", "content": system_prompt(rubric)}, {"role": "user", "content": user}]
