"""Bulk jobs as use cases: submit an upload, read progress and items, export, cancel, re-run.

No HTTP here: the API and the CLI call these with a database, settings and a tenant id.
Every read is filtered by tenant; another tenant's job is `NotFoundError`, as a missing one.
An `Idempotency-Key` names one job per tenant: the same key with the same body (same
SHA-256) returns that job, with another body it is refused.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app._errors import ConflictError, NotFoundError
from app.jobs._ingest import Spooled, check_header, spool
from app.jobs._runtime import start_round
from app.jobs._schemas import ItemPublic, ItemsPage, JobProgress, JobPublic
from app.jobs._store import cancel_open_items, count_by_status
from app.jobs._tables import Job, JobItem, JobResult
from app.storage import Database, new_id, utcnow
from grader._errors import InputError
from grader._settings import Settings

__all__ = [
    "IdempotencyKeyReusedError",
    "cancel_job",
    "get_job",
    "list_items",
    "owned_job",
    "rerun_failed",
    "submit_job",
]


class IdempotencyKeyReusedError(InputError):
    """An Idempotency-Key already used for a different body."""


def _public(db: Database, job: Job) -> JobPublic:
    counts = count_by_status(db, job.id)
    progress = JobProgress(total=job.total, **counts)
    return JobPublic.of(job, progress)


def owned_job(db: Database, tenant_id: str, job_id: str) -> Job:
    with db.session() as session:
        job = session.scalar(select(Job).where(Job.id == job_id, Job.tenant_id == tenant_id))
    if job is None:
        raise NotFoundError("job", job_id)
    return job


def _existing(db: Database, tenant_id: str, key: str, spooled: Spooled) -> Job | None:
    with db.session() as session:
        job = session.scalar(
            select(Job).where(Job.tenant_id == tenant_id, Job.idempotency_key == key)
        )
    if job is None:
        return None
    spooled.path.unlink(missing_ok=True)
    if job.body_sha256 != spooled.sha256:
        raise IdempotencyKeyReusedError(
            f"Idempotency-Key {key!r} was used for another body (job {job.id}); "
            "use a new key for a new upload"
        )
    return job


async def submit_job(
    db: Database,
    settings: Settings,
    tenant_id: str,
    body: AsyncIterable[bytes],
    *,
    format: str,
    filename: str = "",
    idempotency_key: str | None = None,
) -> tuple[JobPublic, bool]:
    """Spool `body` to disk and start its job; (the job, whether it is new)."""
    spooled = await spool(
        body, settings.data_dir.expanduser() / "uploads", max_bytes=settings.job_max_upload_bytes
    )
    try:
        check_header(spooled.path, format)
    except InputError:
        spooled.path.unlink(missing_ok=True)
        raise
    if idempotency_key and (job := _existing(db, tenant_id, idempotency_key, spooled)):
        return _public(db, job), False
    job = Job(
        id=new_id("job"),
        tenant_id=tenant_id,
        status="ingesting",
        idempotency_key=idempotency_key or None,
        body_sha256=spooled.sha256,
        body_bytes=spooled.size,
        format=format,
        filename=Path(filename).name[:300],
        model=settings.model,
        fallback_model=settings.fallback_models.get(settings.model),
    )
    try:
        with db.session() as session:
            session.add(job)
    except IntegrityError:  # the same key raced in from another request
        if idempotency_key and (other := _existing(db, tenant_id, idempotency_key, spooled)):
            return _public(db, other), False
        raise
    await asyncio.to_thread(start_round, job.id, 0, str(spooled.path))
    return _public(db, job), True


def get_job(db: Database, tenant_id: str, job_id: str) -> JobPublic:
    """The job with its progress."""
    return _public(db, owned_job(db, tenant_id, job_id))


def list_items(
    db: Database,
    tenant_id: str,
    job_id: str,
    *,
    status: str | None = None,
    after: int = -1,
    limit: int = 100,
    grades: bool = False,
) -> ItemsPage:
    """Items in index order after `after`, optionally of one status, with their results."""
    owned_job(db, tenant_id, job_id)
    query = (
        select(JobItem, JobResult.overall, JobResult.grade if grades else JobResult.overall)
        .outerjoin(
            JobResult,
            (JobResult.job_id == JobItem.job_id) & (JobResult.item_index == JobItem.item_index),
        )
        .where(JobItem.job_id == job_id, JobItem.item_index > after)
        .order_by(JobItem.item_index)
        .limit(limit + 1)
    )
    if status is not None:
        query = query.where(JobItem.status == status)
    with db.session() as session:
        rows = session.execute(query).all()
    items = [
        ItemPublic.of(item, overall, grade if grades and isinstance(grade, dict) else None)
        for item, overall, grade in rows[:limit]
    ]
    more = len(rows) > limit
    return ItemsPage(items=items, next_after=items[-1].index if more and items else None)


def cancel_job(db: Database, tenant_id: str, job_id: str) -> JobPublic:
    """Stop a job: items not yet graded are cancelled; those in flight still finish."""
    job = owned_job(db, tenant_id, job_id)
    if job.status not in ("ingesting", "running"):
        raise ConflictError(
            f"job {job_id} is {job.status}; only a job in progress can be cancelled"
        )
    with db.session() as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(status="cancelled", cancelled_at=utcnow(), finished_at=utcnow())
        )
        cancel_open_items(session, job_id)
    return get_job(db, tenant_id, job_id)


def rerun_failed(db: Database, tenant_id: str, job_id: str) -> JobPublic:
    """Queue the failed items again as the next round (records that could not be read stay)."""
    job = owned_job(db, tenant_id, job_id)
    if job.status not in ("running", "completed"):
        raise ConflictError(f"job {job_id} is {job.status}; only its failed items can be re-run")
    with db.session() as session:
        failed = (
            (JobItem.job_id == job_id) & (JobItem.status == "failed") & JobItem.payload.is_not(None)
        )
        if session.scalar(select(JobItem.item_index).where(failed).limit(1)) is None:
            return _public(db, job)
        round = job.round + 1
        session.execute(
            update(JobItem)
            .where(failed)
            .values(status="queued", reason=None, round=round, updated_at=utcnow())
        )
        session.execute(
            update(Job)
            .where(Job.id == job_id)
            .values(round=round, status="running", finished_at=None)
        )
    start_round(job_id, round)
    return get_job(db, tenant_id, job_id)
