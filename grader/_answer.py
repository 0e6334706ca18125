"""The response model the LLM answers into: built once per rubric, narrowed per transcript.

One required field per element (a list of verdicts lets a small model answer with an empty
list); evidence is a list of sentence ids whose speaker the element may quote; score is an
enum of the element's levels, plus "na" only where N/A is allowed.

Building a pydantic model per transcript cost ~15 ms of CPU (one `create_model` per element,
the JSON schema generated twice), most of a fake-server grading. So the model and its schema
are built once per rubric version; what depends on the transcript travels in two cheap
pieces: `answer_context(segments)` (the validation context: which ids exist and who said
each) and `request_schema(context)` (the cached schema with the ids patched in as enums, so
a schema-enforcing provider or the embedded model's grammar cannot cite a quote that is not
there). Validators re-check all of it for providers that do not enforce the schema:
instructor re-asks with the error in hand.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any, ClassVar, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, create_model, field_validator

from grader._rubric import Element, Rubric
from grader._segments import Segment

__all__ = [
    "NA",
    "ElementAnswer",
    "GradingAnswer",
    "answer_context",
    "answer_model",
    "answer_schema",
]

NA = "na"
RATIONALE_CHARS = 160
MAX_EVIDENCE = 3
_CACHED_RUBRICS = 32


class ElementAnswer(BaseModel):
    """The model's verdict on one element (specialised per element by `answer_model`)."""

    model_config = ConfigDict(extra="forbid")

    #: Roles this element may quote (set on each element's subclass).
    evidence_roles: ClassVar[frozenset[str]] = frozenset()

    evidence: list[str]
    rationale: str
    score: int | str

    @field_validator("evidence")
    @classmethod
    def _known_and_unique(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        roles = _roles(info.context)
        if roles is not None:
            unknown = [i for i in ids if i not in roles]
            if unknown:
                raise ValueError(f"evidence cites sentence ids that do not exist: {unknown}")
            allowed = _quotable(cls.evidence_roles, roles)
            wrong = [i for i in ids if i not in allowed]
            if wrong:
                raise ValueError(
                    f"evidence {wrong} is said by a speaker this element may not quote; "
                    f"cite sentences by: {', '.join(sorted(cls.evidence_roles))}"
                )
        return list(dict.fromkeys(ids))

    @field_validator("rationale", mode="before")
    @classmethod
    def _tidy(cls, text: Any) -> Any:
        """Trim rather than re-ask: a long rationale is not worth another request."""
        return " ".join(text.split())[:RATIONALE_CHARS] if isinstance(text, str) else text


class GradingAnswer(BaseModel):
    """Scenario classification plus one `ElementAnswer` field per rubric element."""

    model_config = ConfigDict(extra="forbid")

    #: The rubric-wide JSON schema, generated once (set on each rubric's subclass).
    base_schema: ClassVar[dict[str, Any]] = {}

    inquiry_type: str
    customer_state: str
    objective: str

    def verdicts(self) -> dict[str, ElementAnswer]:
        """Element id -> verdict."""
        return {name: value for name, value in self if isinstance(value, ElementAnswer)}

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """The cached schema (pydantic regenerates it on every call; instructor calls it)."""
        if cls.base_schema and not args and not kwargs:
            return cls.base_schema
        return super().model_json_schema(*args, **kwargs)

    @classmethod
    def request_schema(cls, context: dict[str, Any] | None) -> dict[str, Any]:
        """The schema to send for this transcript: the cached one, with the ids as enums.

        The LLM seam calls this instead of `model_json_schema()` (which it does not cache).
        """
        roles = _roles(context)
        if roles is None:
            return cls.base_schema
        schema = dict(cls.base_schema)
        defs = {name: dict(node) for name, node in schema.get("$defs", {}).items()}
        for info in cls.model_fields.values():
            element = info.annotation
            if not (isinstance(element, type) and issubclass(element, ElementAnswer)):
                continue
            node = defs[element.__name__]
            props = dict(node["properties"])
            evidence = copy.copy(props["evidence"])
            evidence["items"] = {"type": "string", "enum": _quotable(element.evidence_roles, roles)}
            props["evidence"] = evidence
            node["properties"] = props
            defs[element.__name__] = node
        schema["$defs"] = defs
        return schema


def _roles(context: dict[str, Any] | None) -> dict[str, str] | None:
    """Sentence id -> role from a validation context (a bare set of ids: roles unknown)."""
    ids = (context or {}).get("sentence_ids")
    if ids is None or isinstance(ids, dict):
        return ids
    return {i: "" for i in ids}


def _quotable(evidence_roles: frozenset[str], roles: dict[str, str]) -> list[str]:
    """Ids said by an allowed speaker, or every id when none is (so an answer exists)."""
    return [i for i, role in roles.items() if role in evidence_roles] or list(roles)


def answer_context(segments: Sequence[Segment]) -> dict[str, Any]:
    """The validation context for one transcript: sentence id -> speaker role, in order."""
    return {"sentence_ids": {s.id: s.role.value for s in segments}}


def _literal(values: list[Any]) -> Any:
    return Literal[tuple(values)]


def _element_answer(element: Element) -> type[ElementAnswer]:
    scores: list[Any] = sorted(element.levels)
    if element.na_when:
        scores.append(NA)
    fields: dict[str, Any] = {
        "evidence": (
            list[str],
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
    model.evidence_roles = frozenset(role.value for role in element.evidence_from)
    return cast(type[ElementAnswer], model)


def _build(rubric: Rubric) -> type[GradingAnswer]:
    fields: dict[str, Any] = {
        "inquiry_type": (_literal(list(rubric.scenarios.inquiry_types)), ...),
        "customer_state": (_literal(list(rubric.scenarios.customer_states)), ...),
        "objective": (_literal(list(rubric.scenarios.objectives)), ...),
    }
    for element in rubric.elements:
        fields[element.id] = (_element_answer(element), Field(description=element.name))
    model = cast(
        type[GradingAnswer], create_model("GradingAnswer", __base__=GradingAnswer, **fields)
    )
    model.base_schema = model.model_json_schema()
    return model


_lock = threading.Lock()
_models: OrderedDict[str, type[GradingAnswer]] = OrderedDict()


def answer_model(rubric: Rubric, segments: Sequence[Segment] | None = None) -> type[GradingAnswer]:
    """The response model for grading against this rubric, built once per rubric version.

    `segments` is accepted for callers of the per-transcript version; the transcript's ids
    now reach the model through `answer_context` and `GradingAnswer.request_schema`.
    """
    del segments
    key = f"{rubric.id}|{rubric.version}"
    with _lock:
        if key in _models:
            _models.move_to_end(key)
            return _models[key]
    model = _build(rubric)
    with _lock:
        _models[key] = model
        while len(_models) > _CACHED_RUBRICS:
            _models.popitem(last=False)
    return model


def answer_schema(rubric: Rubric, segments: Sequence[Segment]) -> dict[str, Any]:
    """The JSON schema sent when grading this transcript (the ids it may cite as enums)."""
    return answer_model(rubric).request_schema(answer_context(segments))
