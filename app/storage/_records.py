"""The service's own tables: rubric versions, grades, calibration sets and runs.

Rubric versions are append-only: a change is a new version, and the ORM refuses to update
one, so a grade's `rubric_version_id` always names the rubric it was graded with. A version
a grade uses cannot be deleted either (foreign key RESTRICT; the app layer says 409 first).
Exemplars, model answers and policies live in the tenant's coach store (chromadb).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from app._errors import ConflictError
from app.storage._base import Base, utcnow

__all__ = ["CalibrationRunRecord", "CalibrationSetRecord", "GradeRecord", "RubricRecord",
           "RubricVersion", "RubricVersionImmutableError"]  # fmt: skip

_TENANT_FK = "tenants.id"


class RubricRecord(Base):
    """A tenant's rubric, named by the rubric's own `id`; its content lives in versions."""

    __tablename__ = "rubrics"
    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey(_TENANT_FK, ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    versions: Mapped[list[RubricVersion]] = relationship(
        back_populates="rubric", order_by="RubricVersion.number"
    )


class RubricVersion(Base):
    """One immutable content of a rubric: number 1, 2, ... and its content hash."""

    __tablename__ = "rubric_versions"
    __table_args__ = (UniqueConstraint("rubric_id", "number"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    rubric_id: Mapped[str] = mapped_column(ForeignKey("rubrics.id", ondelete="CASCADE"))
    tenant_id: Mapped[str] = mapped_column(ForeignKey(_TENANT_FK, ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    rubric: Mapped[RubricRecord] = relationship(back_populates="versions")


class RubricVersionImmutableError(ConflictError):
    """A rubric version was modified in place: make a new version instead (409)."""


@event.listens_for(RubricVersion, "before_update")
def _refuse_update(_mapper: Mapper[Any], _connection: Any, target: RubricVersion) -> None:
    raise RubricVersionImmutableError(
        f"rubric version {target.id} is immutable; save a new version instead"
    )


class GradeRecord(Base):
    """One grade with what made it: model, prompt hash, rubric version, judges, cost, time."""

    __tablename__ = "grades"
    __table_args__ = (
        UniqueConstraint("tenant_id", "job_id", "item_id"),
        Index("ix_grades_tenant_created", "tenant_id", "created_at"),
        Index("ix_grades_tenant_transcript", "tenant_id", "transcript_id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey(_TENANT_FK, ondelete="CASCADE"))
    transcript_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    overall: Mapped[float | None] = mapped_column(Float, default=None)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    model: Mapped[str] = mapped_column(String(200))
    prompt_hash: Mapped[str] = mapped_column(String(80))
    rubric_slug: Mapped[str] = mapped_column(String(100))
    rubric_hash: Mapped[str] = mapped_column(String(64))
    #: The stored version graded with; None for the shipped default rubric.
    rubric_version_id: Mapped[str | None] = mapped_column(
        ForeignKey("rubric_versions.id", ondelete="RESTRICT"), default=None, index=True
    )
    judge_strategy: Mapped[str] = mapped_column(String(100))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    cached: Mapped[bool] = mapped_column(Boolean, default=False)
    channel: Mapped[str | None] = mapped_column(String(40), default=None)
    agent: Mapped[str | None] = mapped_column(String(200), default=None)
    team: Mapped[str | None] = mapped_column(String(200), default=None)
    location: Mapped[str | None] = mapped_column(String(200), default=None)
    queue: Mapped[str | None] = mapped_column(String(200), default=None)
    #: Set by bulk jobs: (job, item) grades once however often a step re-runs.
    job_id: Mapped[str | None] = mapped_column(String(40), default=None)
    item_id: Mapped[str | None] = mapped_column(String(200), default=None)
    grade: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalibrationSetRecord(Base):
    """Human-scored conversations a tenant calibrates the grader against."""

    __tablename__ = "calibration_sets"
    __table_args__ = (UniqueConstraint("tenant_id", "name"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey(_TENANT_FK, ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    item_count: Mapped[int] = mapped_column(Integer)
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    focus_elements: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CalibrationRunRecord(Base):
    """A cross-validated fit of a learned calibration on one set, and its measurements."""

    __tablename__ = "calibration_runs"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey(_TENANT_FK, ondelete="CASCADE"), index=True)
    set_id: Mapped[str] = mapped_column(ForeignKey("calibration_sets.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    folds: Mapped[int] = mapped_column(Integer)
    calibration_id: Mapped[str | None] = mapped_column(String(100), default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
