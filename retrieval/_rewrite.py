"""Everyday edits without adding information: improve, fix grammar, shorten, friendlier, formal.

The validators hold the line: an edit may not bring a number, amount, date, timeline, link
or promise that the original did not have; "shorten" must be shorter and "fix_grammar"
must stay close to the original. An edit the model cannot produce within its re-asks comes
back as ``failed`` with the original text, never as an exception.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from grader._errors import BudgetExceededError, ModelError
from grader._transcript import Turn
from grader.model import LLM, Usage
from retrieval._commitments import backing_from_text, grounding_problems
from retrieval._prompting import conversation_lines, marker_for, prompt_version, render

__all__ = ["OPERATIONS", "Operation", "Rewrite", "RewriteAnswer", "rewrite"]

Operation = Literal["improve", "fix_grammar", "shorten", "friendlier", "more_professional"]
OPERATIONS: dict[str, str] = {
    "improve": "Improve the reply: acknowledge the customer, make any reason clear, lead with "
    "what can be done, and keep it natural.",
    "fix_grammar": "Fix spelling, grammar and punctuation only; keep the wording otherwise.",
    "shorten": "Make the reply shorter: keep every fact and the next step, drop filler.",
    "friendlier": "Make the reply warmer and friendlier, keeping its content.",
    "more_professional": "Make the reply more professional: courteous, precise, no slang.",
}
#: How close a grammar fix must stay to the original (difflib ratio).
GRAMMAR_SIMILARITY = 0.6
_CONTEXT_TURNS = 4


class RewriteAnswer(BaseModel):
    """The edited reply; validated against the original passed in the context."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=2, max_length=3000)

    @field_validator("text")
    @classmethod
    def _adds_nothing(cls, text: str, info: ValidationInfo) -> str:
        ctx = info.context or {}
        original, operation = ctx.get("original"), ctx.get("operation")
        if not isinstance(original, str):
            return text
        text = text.strip()
        problems = [
            p.replace("unbacked", "new").replace("invented", "new")
            for p in grounding_problems(text, backing_from_text([original]))
        ]
        if operation == "shorten" and len(text) >= len(original):
            problems.append(f"not shorter: {len(text)} characters vs {len(original)}")
        if operation == "fix_grammar":
            ratio = difflib.SequenceMatcher(None, original.lower(), text.lower()).ratio()
            if ratio < GRAMMAR_SIMILARITY:
                problems.append("a grammar fix changed too much of the wording")
        if problems:
            raise ValueError("the edit must add no information: " + "; ".join(problems))
        return text


class Rewrite(BaseModel):
    """An edited reply, or the original with the reason the edit failed."""

    operation: Operation
    original: str
    text: str
    status: Literal["ok", "failed"]
    error: str | None = None
    usage: Usage = Field(default_factory=Usage)


def _messages(draft: str, operation: Operation, context: Sequence[Turn]) -> list[dict[str, str]]:
    lines = conversation_lines(list(context)[-_CONTEXT_TURNS:])
    system = render("rewrite_system.jinja", instruction=OPERATIONS[operation])
    user = render(
        "rewrite_user.jinja", draft=draft, conversation=lines, marker=marker_for(*lines, draft)
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def rewrite(
    draft: str,
    operation: Operation,
    llm: LLM,
    *,
    context: Sequence[Turn] = (),
    use_cache: bool = True,
) -> Rewrite:
    """Apply one everyday edit to `draft`; the conversation only helps the model understand."""
    if operation not in OPERATIONS:
        raise ValueError(f"unknown operation '{operation}'; use one of {sorted(OPERATIONS)}")
    ctx: dict[str, Any] = {"original": draft, "operation": operation}
    try:
        generation = await llm.generate(
            _messages(draft, operation, context),
            RewriteAnswer,
            context=ctx,
            cache_scope=f"rewrite|{prompt_version()}",
            use_cache=use_cache,
        )
    except BudgetExceededError:
        raise
    except ModelError as exc:
        return Rewrite(
            operation=operation, original=draft, text=draft, status="failed", error=str(exc)
        )
    return Rewrite(
        operation=operation,
        original=draft,
        text=generation.value.text,
        status="ok",
        usage=generation.usage,
    )
