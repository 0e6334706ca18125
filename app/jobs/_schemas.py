"""What a job looks like from outside: its progress, its items, a page of them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from app.jobs._tables import Job, JobItem

__all__ = ["ItemPublic", "ItemsPage", "JobProgress", "JobPublic"]


class JobProgress(BaseModel):
    """Items per status, and the share of them that reached an end (graded or failed)."""

    total: int = 0
    queued: int = 0
    running: int = 0
    graded: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def remaining(self) -> int:
        """Items still waiting or being graded."""
        return self.queued + self.running

    @property
    def fraction_done(self) -> float:
        """0..1; 1.0 for an empty job."""
        return 1.0 if not self.total else round((self.total - self.remaining) / self.total, 4)


class JobPublic(BaseModel):
    """A job as the API returns it."""

    id: str
    status: str = Field(description="ingesting, running, completed, cancelled or failed")
    format: str
    filename: str
    model: str
    fallback_model: str | None
    total: int
    round: int = Field(description="0, then 1, 2, ... for each re-run of the failed items")
    error: str | None
    created_at: datetime
    ingested_at: datetime | None
    finished_at: datetime | None
    cancelled_at: datetime | None
    progress: JobProgress
    fraction_done: float

    @classmethod
    def of(cls, job: Job, progress: JobProgress) -> JobPublic:
        """The public view of a row."""
        return cls(
            id=job.id,
            status=job.status,
            format=job.format,
            filename=job.filename,
            model=job.model,
            fallback_model=job.fallback_model,
            total=job.total,
            round=job.round,
            error=job.error,
            created_at=job.created_at,
            ingested_at=job.ingested_at,
            finished_at=job.finished_at,
            cancelled_at=job.cancelled_at,
            progress=progress,
            fraction_done=progress.fraction_done,
        )


class ItemPublic(BaseModel):
    """One item: where it came from, its status and why, and its grade once graded."""

    index: int
    transcript_id: str | None
    record: str
    status: str
    reason: str | None
    attempts: int
    overall: float | None = None
    grade: dict[str, Any] | None = None

    @classmethod
    def of(cls, item: JobItem, overall: float | None, grade: dict[str, Any] | None) -> ItemPublic:
        """The public view of a row and its result."""
        return cls(
            index=item.item_index,
            transcript_id=item.transcript_id,
            record=item.record,
            status=item.status,
            reason=item.reason,
            attempts=item.attempts,
            overall=overall,
            grade=grade,
        )


class ItemsPage(BaseModel):
    """A page of items in index order; pass `next_after` back as `after` for the next."""

    items: list[ItemPublic]
    next_after: int | None
