"""The response model the LLM answers into, built per rubric and per transcript.

One required field per element (a list of verdicts lets a small model answer with an empty
list); evidence is a list of sentence ids drawn from an enum of the ids that exist and whose
speaker the element may quote, so a schema-enforcing provider cannot cite a quote that is not
there; score is an enum of the element's levels, plus "na" only where N/A is allowed.
Validators re-check all of it for providers that do not enforce the schema: instructor
re-asks with the error in hand.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from grader._rubric import Element, Rubric
from grader._segments import Segment

__all__ = ["NA", "ElementAnswer", "GradingAnswer", "answer_model"]

NA = "na"
RATIONALE_CHARS = 160
MAX_EVIDENCE = 3


class ElementAnswer(BaseModel):
    """The model's verdict on one element (specialised per element by `answer_model`)."""

    model_config = ConfigDict(extra="forbid")

    evidence: list[str]
    rationale: str
    score: int | str

    @field_validator("evidence")
    @classmethod
    def _known_and_unique(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        allowed = (info.context or {}).get("sentence_ids")
        if allowed is not None:
            unknown = [i for i in ids if i not in allowed]
            if unknown:
                raise ValueError(f"evidence cites sentence ids that do not exist: {unknown}")
        return list(dict.fromkeys(ids))

    @field_validator("rationale", mode="before")
    @classmethod
    def _tidy(cls, text: Any) -> Any:
        """Trim rather than re-ask: a long rationale is not worth another request."""
        return " ".join(text.split())[:RATIONALE_CHARS] if isinstance(text, str) else text


class GradingAnswer(BaseModel):
    """Scenario classification plus one `ElementAnswer` field per rubric element."""

    model_config = ConfigDict(extra="forbid")

    inquiry_type: str
    customer_state: str
    objective: str

    def verdicts(self) -> dict[str, ElementAnswer]:
        """Element id -> verdict."""
        return {name: value for name, value in self if isinstance(value, ElementAnswer)}


def _literal(values: list[Any]) -> Any:
    return Literal[tuple(values)]


def _element_answer(element: Element, segments: list[Segment]) -> type[ElementAnswer]:
    quotable = [s.id for s in segments if s.role in element.evidence_from] or [
        s.id for s in segments
    ]
    scores: list[Any] = sorted(element.levels)
    if element.na_when:
        scores.append(NA)
    evidence_type: Any = list[_literal(quotable)]  # type: ignore[misc]
    fields: dict[str, Any] = {
        "evidence": (
            evidence_type,
            Field(
                min_length=1,
                max_length=MAX_EVIDENCE,
                description="1-3 sentence ids that show the behaviour",
            ),
        ),
        "rationale": (str, Field(max_length=RATIONALE_CHARS, description="one short sentence")),
        "score": (
            _literal(scores),
            Field(description=f"0-{element.max_level}" + (" or na" if element.na_when else "")),
        ),
    }
    model = create_model(f"Answer_{element.id}", __base__=ElementAnswer, **fields)
    return cast(type[ElementAnswer], model)


def answer_model(rubric: Rubric, segments: list[Segment]) -> type[GradingAnswer]:
    """The response model for grading this transcript against this rubric."""
    fields: dict[str, Any] = {
        "inquiry_type": (_literal(list(rubric.scenarios.inquiry_types)), ...),
        "customer_state": (_literal(list(rubric.scenarios.customer_states)), ...),
        "objective": (_literal(list(rubric.scenarios.objectives)), ...),
    }
    for element in rubric.elements:
        fields[element.id] = (_element_answer(element, segments), Field(description=element.name))
    model = create_model("GradingAnswer", __base__=GradingAnswer, **fields)
    return cast(type[GradingAnswer], model)
