"""The grading guard: a suggestion must grade at least as well as the draft it replaces.

Both replies are graded the same way, by the project's own grader, on the rubric cut down
to its framing elements (``message_framing`` and ``courtesy`` by default), each as a short
transcript: the customer's pending turn(s), then the reply. A rewrite that reads nicer to
its author but scores worse than the draft is not shown as an improvement.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from pydantic import BaseModel, Field

from grader._grading import rubric_grader
from grader._results import Grade
from grader._rubric import Rubric, default_rubric
from grader._transcript import AGENT_SIDE, Channel, Role, Transcript, Turn
from grader.model import LLM, Usage

__all__ = ["GUARD_ELEMENTS", "GuardFn", "GuardResult", "framing_rubric", "reply_guard"]

GUARD_ELEMENTS = ("message_framing", "courtesy")


class GuardResult(BaseModel):
    """Draft and suggestion scores (0-100 on the guard's elements) and the verdict.

    `passed` is None when either reply could not be graded.
    """

    passed: bool | None
    draft_score: float | None = None
    suggestion_score: float | None = None
    draft_elements: dict[str, int | None] = Field(default_factory=dict)
    suggestion_elements: dict[str, int | None] = Field(default_factory=dict)
    note: str = ""
    usage: Usage = Field(default_factory=Usage)


GuardFn = Callable[[Sequence[Turn], str, str], Awaitable[GuardResult]]


def framing_rubric(
    rubric: Rubric | None = None, elements: Sequence[str] = GUARD_ELEMENTS
) -> Rubric:
    """`rubric` restricted to `elements`, with one equal-weight profile."""
    base = rubric or default_rubric()
    missing = set(elements) - {e.id for e in base.elements}
    if missing:
        raise ValueError(f"rubric '{base.id}' has no element(s) {sorted(missing)}")
    dimensions = []
    for dim in base.dimensions:
        kept = [e.model_dump() for e in dim.elements if e.id in elements]
        if kept:
            dimensions.append({**dim.model_dump(), "elements": kept})
    return Rubric.model_validate(
        {
            "id": f"{base.id}_framing"[:49],
            "name": f"{base.name} (framing guard)",
            "revision": base.revision,
            "dimensions": dimensions,
            "scenarios": base.scenarios.model_dump(),
            "weight_profiles": [{"id": "guard", "dimensions": {d["id"]: 1 for d in dimensions}}],
        }
    )


def _pending_customer_turns(context: Sequence[Turn]) -> list[Turn]:
    """The customer's turns since the company last spoke (what the reply answers)."""
    pending: list[Turn] = []
    for turn in reversed(context):
        if turn.role in AGENT_SIDE:
            break
        if turn.role is Role.CUSTOMER:
            pending.insert(0, turn)
    return pending[-3:]


def _as_transcript(kind: str, context: Sequence[Turn], reply: str, channel: Channel) -> Transcript:
    turns = [Turn(role=t.role, text=t.text) for t in _pending_customer_turns(context)]
    return Transcript(
        id=f"guard-{kind}", channel=channel, turns=[*turns, Turn(role=Role.AGENT, text=reply)]
    )


def _elements(grade: Grade) -> dict[str, int | None]:
    return {v.element_id: v.score for v in grade.verdicts}


def reply_guard(
    llm: LLM, rubric: Rubric | None = None, *, channel: Channel = Channel.CHAT
) -> GuardFn:
    """A function grading a draft and its suggestion and saying whether the suggestion holds up."""
    grade = rubric_grader(framing_rubric(rubric), llm)

    async def guard(context: Sequence[Turn], draft: str, suggestion: str) -> GuardResult:
        before, after = await asyncio.gather(
            grade(_as_transcript("draft", context, draft, channel)),
            grade(_as_transcript("suggestion", context, suggestion, channel)),
        )
        usage = before.usage + after.usage
        if before.overall is None or after.overall is None:
            errors = "; ".join(
                g.error or "not scored" for g in (before, after) if g.overall is None
            )
            return GuardResult(
                passed=None,
                draft_score=before.overall,
                suggestion_score=after.overall,
                note=f"could not grade: {errors}",
                usage=usage,
            )
        passed = after.overall >= before.overall
        return GuardResult(
            passed=passed,
            draft_score=before.overall,
            suggestion_score=after.overall,
            draft_elements=_elements(before),
            suggestion_elements=_elements(after),
            note=""
            if passed
            else (
                f"the suggestion scored {after.overall:g} on framing and "
                f"courtesy, below the draft's {before.overall:g}"
            ),
            usage=usage,
        )

    return guard
