"""Request and response bodies: families `XCreate` (in), `XPublic` (one out), `XsPublic` (a page).

Records are turned into public bodies here, so routes stay a few lines and no table
column leaks out unless it is named in a schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.storage import (
    CalibrationRunRecord,
    CalibrationSetRecord,
    GradeRecord,
    RubricRecord,
    RubricVersion,
)
from grader._results import Grade
from grader._transcript import Turn
from retrieval._records import Tone

__all__ = [
    "CalibrationRunCreate",
    "CalibrationRunPublic",
    "CalibrationRunsPublic",
    "CalibrationSetCreate",
    "CalibrationSetPublic",
    "CalibrationSetsPublic",
    "ErrorBody",
    "ErrorDetail",
    "ExemplarsCreate",
    "ExemplarsPublic",
    "GradePublic",
    "GradesPublic",
    "Health",
    "IngestPublic",
    "Readiness",
    "RubricCreate",
    "RubricPublic",
    "RubricVersionPublic",
    "RubricVersionsPublic",
    "RubricsPublic",
    "SuggestionCreate",
    "UpsertPublic",
]

_ORM = ConfigDict(from_attributes=True)


class ErrorDetail(BaseModel):
    """What went wrong, for a program (`code`) and for a person (`message`)."""

    code: str = Field(examples=["not_found"])
    message: str = Field(examples=["grade 'grd_x' not found"])
    problems: list[str] = Field(default_factory=list, description="Every problem, when several.")


class ErrorBody(BaseModel):
    """The one error body of every route."""

    error: ErrorDetail


class Page(BaseModel):
    """Where a page sits in the whole."""

    count: int = Field(description="How many match in all.")
    limit: int
    offset: int


class GradePublic(BaseModel):
    """A stored grade with what made it."""

    model_config = _ORM

    id: str
    transcript_id: str
    status: str
    overall: float | None
    needs_review: bool
    model: str
    prompt_hash: str
    rubric_slug: str
    rubric_hash: str
    rubric_version_id: str | None
    judge_strategy: str
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    latency_ms: int
    cached: bool
    channel: str | None
    agent: str | None
    team: str | None
    location: str | None
    queue: str | None
    job_id: str | None
    item_id: str | None
    created_at: datetime
    grade: Grade

    @classmethod
    def of(cls, record: GradeRecord) -> GradePublic:
        """The public body of a stored grade."""
        return cls.model_validate(record)


class GradesPublic(Page):
    """A page of grades, newest first."""

    data: list[GradePublic]


class RubricCreate(BaseModel):
    """A rubric document (the YAML format, as JSON; docs/rubric-format.md)."""

    document: dict[str, Any]


class RubricVersionPublic(BaseModel):
    """One immutable version of a rubric."""

    model_config = _ORM

    id: str
    rubric_id: str
    number: int
    content_hash: str
    created_at: datetime
    document: dict[str, Any]


class RubricVersionsPublic(BaseModel):
    """Every version of a rubric, oldest first."""

    data: list[RubricVersionPublic]


class RubricPublic(BaseModel):
    """A rubric and its latest version."""

    id: str
    slug: str
    created_at: datetime
    versions: int
    latest: RubricVersionPublic | None

    @classmethod
    def of(cls, record: RubricRecord) -> RubricPublic:
        """The public body of a stored rubric."""
        latest = record.versions[-1] if record.versions else None
        return cls(
            id=record.id, slug=record.slug, created_at=record.created_at,
            versions=len(record.versions),
            latest=RubricVersionPublic.model_validate(latest) if latest else None,
        )  # fmt: skip


class RubricsPublic(BaseModel):
    """The tenant's rubrics."""

    data: list[RubricPublic]


def version_public(version: RubricVersion) -> RubricVersionPublic:
    """The public body of a rubric version."""
    return RubricVersionPublic.model_validate(version)


class CalibrationSetCreate(BaseModel):
    """Human-scored conversations: items in the calibration set format (evals/FORMAT.md)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = ""
    items: list[dict[str, Any]] = Field(min_length=1, max_length=50_000)
    focus_elements: list[str] = Field(default_factory=list)
    rubric_id: str | None = Field(
        None, description="Validate against this rubric (default: shipped)."
    )


class CalibrationSetPublic(BaseModel):
    """A stored set (without its items)."""

    model_config = _ORM

    id: str
    name: str
    description: str
    item_count: int
    focus_elements: list[str]
    created_at: datetime

    @classmethod
    def of(cls, record: CalibrationSetRecord) -> CalibrationSetPublic:
        """The public body of a stored set."""
        return cls.model_validate(record)


class CalibrationSetsPublic(BaseModel):
    """The tenant's calibration sets."""

    data: list[CalibrationSetPublic]


class CalibrationRunCreate(BaseModel):
    """Cross-validate a learned calibration on a stored set (and store the fit)."""

    set_id: str
    folds: int = Field(5, ge=2, le=20)
    seed: int = 0
    bootstrap: int = Field(200, ge=0, le=5000)
    save: bool = True
    rubric_id: str | None = None


class CalibrationRunPublic(BaseModel):
    """A run: `running`, then `done` with its measurements or `failed` with the reason."""

    model_config = _ORM

    id: str
    set_id: str
    status: str
    folds: int
    calibration_id: str | None
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, record: CalibrationRunRecord) -> CalibrationRunPublic:
        """The public body of a run."""
        return cls.model_validate(record)


class CalibrationRunsPublic(BaseModel):
    """The tenant's runs, newest first."""

    data: list[CalibrationRunPublic]


class UpsertPublic(BaseModel):
    """What an upsert changed."""

    added: int
    updated: int
    unchanged: int


class IngestPublic(UpsertPublic):
    """An ingest: what changed, and each record that was refused and why."""

    issues: list[str]
    near_duplicates: list[str]


class ExemplarsCreate(BaseModel):
    """Exemplars: conversations with their human scores (target name -> mean score)."""

    data: list[dict[str, Any]] = Field(min_length=1, max_length=10_000)


class ExemplarsPublic(Page):
    """A page of exemplar ids."""

    data: list[str]


class SuggestionCreate(BaseModel):
    """A draft reply and the conversation before it."""

    draft: str = Field(min_length=1, max_length=4000)
    context: list[Turn] = Field(default_factory=list, max_length=200)
    tone: Tone = "friendly"


class Health(BaseModel):
    """The process answers."""

    status: Literal["ok"] = "ok"
    version: str


class Readiness(BaseModel):
    """Whether the service can do its work: each dependency and its state."""

    ready: bool
    checks: dict[str, str]
