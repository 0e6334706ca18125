"""The bulk-job tables: a job, its items (one per transcript) and their results.

A result row is keyed by (job_id, item_index) and written by upsert, so a grading step
that runs twice (DBOS re-runs the steps in flight when a worker dies) leaves one row;
`writes` counts how often it was written, which makes those re-runs visible.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.storage import Base, utcnow

__all__ = ["ITEM_STATUSES", "JOB_STATUSES", "Job", "JobItem", "JobResult"]

#: A job's life: its file is read (ingesting), its items wait or run, then it ends.
JOB_STATUSES = ("ingesting", "running", "completed", "cancelled", "failed")
#: An item's life; `failed` and `cancelled` carry a reason.
ITEM_STATUSES = ("queued", "running", "graded", "failed", "cancelled")


class Job(Base):
    """One uploaded file of transcripts, graded item by item."""

    __tablename__ = "jobs"
    __table_args__ = (UniqueConstraint("tenant_id", "idempotency_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="ingesting")
    idempotency_key: Mapped[str | None] = mapped_column(String(200), default=None)
    body_sha256: Mapped[str] = mapped_column(String(64))
    body_bytes: Mapped[int] = mapped_column(Integer, default=0)
    format: Mapped[str] = mapped_column(String(16))
    filename: Mapped[str] = mapped_column(String(300), default="")
    model: Mapped[str] = mapped_column(String(200))
    fallback_model: Mapped[str | None] = mapped_column(String(200), default=None)
    total: Mapped[int] = mapped_column(Integer, default=0)
    #: 0 for the first pass; each re-run of the failed items is the next round.
    round: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ingested_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)


class JobItem(Base):
    """One transcript of a job (or one record that could not be read, failed with why)."""

    __tablename__ = "job_items"
    __table_args__ = (Index("ix_job_items_job_status", "job_id", "status"),)

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    item_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(63))
    transcript_id: Mapped[str | None] = mapped_column(String(300), default=None)
    #: Where in the upload it came from: "line 7", "row 12".
    record: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    round: Mapped[int] = mapped_column(Integer, default=0)
    #: The transcript as validated JSON; None for a record that could not be read.
    payload: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobResult(Base):
    """The grade of one item, with what producing it cost; one row per (job, item)."""

    __tablename__ = "job_results"
    __table_args__ = (
        ForeignKeyConstraint(
            ["job_id", "item_index"],
            ["job_items.job_id", "job_items.item_index"],
            ondelete="CASCADE",
        ),
    )

    job_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    item_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(63))
    transcript_id: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16))
    overall: Mapped[float | None] = mapped_column(Float, default=None)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(64))
    rubric_version: Mapped[str] = mapped_column(String(64))
    prompt_tokens: Mapped[int] = mapped_column(Integer, default=0)
    completion_tokens: Mapped[int] = mapped_column(Integer, default=0)
    cost: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    #: Which worker process wrote it last (DBOS executor id).
    executor: Mapped[str] = mapped_column(String(100), default="")
    #: How many times it was written (above 1: a step re-ran after a crash).
    writes: Mapped[int] = mapped_column(Integer, default=1)
    grade: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
