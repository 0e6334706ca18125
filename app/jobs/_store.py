"""The job tables' writes that workers make: ingest, claim, record a grade, close a job.

Each is safe to repeat. DBOS re-runs a step that was in flight when its process died, so
ingest starts over cleanly, a claim only takes items still open, a grade is an upsert on
(job_id, item_index), and closing a job checks that nothing is left open.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, and_, delete, exists, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.jobs._ingest import iter_records
from app.jobs._tables import Job, JobItem, JobResult
from app.storage import Database, utcnow
from grader._errors import GraderError
from grader._results import Grade

__all__ = [
    "OPEN",
    "cancel_open_items",
    "claim_items",
    "close_if_done",
    "count_by_status",
    "ingest",
    "record_outcomes",
    "round_indices",
]

#: Item statuses a worker may still take.
OPEN = ("queued", "running")
_INSERT_BATCH = 1000


def ingest(db: Database, job_id: str, path: Path) -> int:
    """Read the spooled upload into items (again from the start if a try was cut short)."""
    with db.session() as session:
        job = session.get(Job, job_id)
        if job is None or job.ingested_at is not None:
            return 0 if job is None else job.total
        tenant_id, format = job.tenant_id, job.format
        session.execute(delete(JobItem).where(JobItem.job_id == job_id))
    count = 0
    batch: list[dict[str, Any]] = []
    try:
        for record in iter_records(path, format, source=job.filename or "upload"):
            transcript = record.transcript
            batch.append(
                {
                    "job_id": job_id,
                    "item_index": count,
                    "tenant_id": tenant_id,
                    "transcript_id": transcript.id if transcript else None,
                    "record": record.record,
                    "status": "queued" if transcript else "failed",
                    "reason": record.problem,
                    "payload": transcript.model_dump_json() if transcript else None,
                    "updated_at": utcnow(),
                }
            )
            count += 1
            if len(batch) >= _INSERT_BATCH:
                _insert(db, batch)
                batch = []
        _insert(db, batch)
    except (GraderError, UnicodeDecodeError) as exc:
        with db.session() as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id)
                .values(status="failed", error=f"upload could not be read: {exc}", total=count)
            )
        return count
    with db.session() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(total=count, ingested_at=utcnow())
        )
        session.execute(  # unless it was cancelled meanwhile
            update(Job).where(Job.id == job_id, Job.status == "ingesting").values(status="running")
        )
        if session.scalar(select(Job.status).where(Job.id == job_id)) == "cancelled":
            cancel_open_items(session, job_id)
    path.unlink(missing_ok=True)
    return count


def _insert(db: Database, rows: list[dict[str, Any]]) -> None:
    if rows:
        with db.session() as session:
            session.execute(insert(JobItem), rows)


def round_indices(db: Database, job_id: str, round: int) -> list[int]:
    """The items a round grades: those queued for it."""
    with db.session() as session:
        return list(
            session.scalars(
                select(JobItem.item_index)
                .where(
                    JobItem.job_id == job_id,
                    JobItem.round == round,
                    JobItem.status.in_(OPEN),
                )
                .order_by(JobItem.item_index)
            )
        )


def claim_items(db: Database, job_id: str, indices: list[int]) -> tuple[str, list[tuple[int, str]]]:
    """Mark the still-open items among `indices` running; (tenant, their (index, payload)).

    A cancelled job yields nothing. Items found `running` were in flight when a worker died,
    and are taken again.
    """
    where = and_(
        JobItem.job_id == job_id,
        JobItem.item_index.in_(indices),
        JobItem.status.in_(OPEN),
        JobItem.payload.is_not(None),
    )
    with db.session() as session:
        status, tenant_id = session.execute(
            select(Job.status, Job.tenant_id).where(Job.id == job_id)
        ).one()
        if status != "running":
            return tenant_id, []
        rows = session.execute(select(JobItem.item_index, JobItem.payload).where(where)).all()
        session.execute(
            update(JobItem)
            .where(where)
            .values(status="running", attempts=JobItem.attempts + 1, updated_at=utcnow())
        )
    return tenant_id, [(index, payload) for index, payload in rows if payload is not None]


def _upsert(engine: Engine) -> Any:
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


def _result_row(
    job_id: str, tenant_id: str, index: int, grade: Grade, executor: str
) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "item_index": index,
        "tenant_id": tenant_id,
        "transcript_id": grade.transcript_id,
        "status": grade.status,
        "overall": grade.overall,
        "model": grade.model,
        "prompt_version": grade.prompt_version,
        "rubric_version": grade.rubric_version,
        "prompt_tokens": grade.usage.prompt_tokens,
        "completion_tokens": grade.usage.completion_tokens,
        "cost": grade.usage.cost_usd,
        "seconds": grade.seconds,
        "executor": executor,
        "writes": 1,
        "grade": grade.model_dump(mode="json"),
        "updated_at": utcnow(),
    }


def _item_update(job_id: str, index: int, outcome: Grade | str) -> dict[str, Any]:
    if isinstance(outcome, Grade):
        graded = outcome.status == "graded"
        reason = None if graded else outcome.error or "unscored"
    else:
        graded, reason = False, outcome
    return {
        "job_id": job_id,
        "item_index": index,
        "status": "graded" if graded else "failed",
        "reason": reason,
        "updated_at": utcnow(),
    }


def record_outcomes(
    db: Database,
    job_id: str,
    tenant_id: str,
    outcomes: list[tuple[int, Grade | str]],
    executor: str,
) -> None:
    """Write a chunk's grades and close its items, in one transaction.

    A grade is an upsert on (job_id, item_index): a second write replaces the first and is
    counted in `writes`. An item ends graded, or failed with the grade's error or the reason.
    """
    rows = [
        _result_row(job_id, tenant_id, i, o, executor) for i, o in outcomes if isinstance(o, Grade)
    ]
    with db.session() as session:
        if rows:
            statement = _upsert(db.engine)(JobResult)
            replaced = {
                name: statement.excluded[name]
                for name in rows[0]
                if name not in ("job_id", "item_index", "writes")
            }
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["job_id", "item_index"],
                    set_={**replaced, "writes": JobResult.writes + 1},
                ),
                rows,
            )
        if outcomes:
            session.execute(update(JobItem), [_item_update(job_id, i, o) for i, o in outcomes])


def close_if_done(db: Database, job_id: str) -> bool:
    """Mark a running job completed once no item is open; True if this call closed it."""
    still_open = exists().where(JobItem.job_id == job_id, JobItem.status.in_(OPEN))
    with db.session() as session:
        done = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "running", ~still_open)
            .values(status="completed", finished_at=utcnow())
        )
        return bool(done.rowcount)  # type: ignore[attr-defined]


def cancel_open_items(session: Session, job_id: str) -> int:
    """Close the job's open items as cancelled; how many were."""
    done = session.execute(
        update(JobItem)
        .where(JobItem.job_id == job_id, JobItem.status.in_(OPEN))
        .values(status="cancelled", reason="job cancelled", updated_at=utcnow())
    )
    return int(done.rowcount)  # type: ignore[attr-defined]


def count_by_status(db: Database, job_id: str) -> dict[str, int]:
    """How many items of the job are in each status."""
    with db.session() as session:
        rows = session.execute(
            select(JobItem.status, func.count())
            .where(JobItem.job_id == job_id)
            .group_by(JobItem.status)
        ).all()
    return {status: int(n) for status, n in rows}
