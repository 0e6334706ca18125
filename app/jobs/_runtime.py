"""Durable execution of bulk jobs on DBOS: one round workflow per pass, one per chunk of items.

```
POST /v1/jobs ─▶ spool file ─▶ run_round(job, 0, spool)         (started in the API process)
                                 ├─ step ingest: file → job_items
                                 └─ enqueue grade_chunk(job, [i..i+k]) × n on QUEUE
worker(s) ─▶ QUEUE (worker_concurrency, rate limit) ─▶ grade_chunk ─▶ step: grade, upsert result
```

A chunk, not an item, is the unit DBOS queues: its bookkeeping (a few rows per workflow)
then costs a fraction of a millisecond per transcript. Items are the unit of progress: a
chunk re-run after a crash takes only its items still open, and a grade is an upsert keyed
by (job, item). Workers share the queue through the system database (SQLite in one
process, PostgreSQL across processes); a restarted worker with the same executor id
recovers the chunks it had in flight.
"""

from __future__ import annotations

import asyncio
import math
import threading
from dataclasses import dataclass, field

from dbos import DBOS, DBOSConfig, SetWorkflowID
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app.jobs._grader import ItemGrader
from app.jobs._store import claim_items, close_if_done, ingest, round_indices
from app.jobs._tables import Job
from app.storage import Database
from grader._settings import Settings

__all__ = [
    "APP_VERSION",
    "QUEUE",
    "JobRuntime",
    "current_runtime",
    "ensure_jobs",
    "rate_limit_for",
    "start_jobs",
    "start_round",
    "stop_jobs",
    "system_database_url",
]

QUEUE = "grader-jobs"
#: Fixed, so every process (API, workers, a restart) may recover every workflow.
APP_VERSION = "grader-jobs-1"


@dataclass
class JobRuntime:
    """What the workflows of this process grade with and write to."""

    settings: Settings
    db: Database
    executor: str
    grading: bool
    items: ItemGrader = field(init=False)

    def __post_init__(self) -> None:
        self.items = ItemGrader(self.settings, self.db, self.executor)


_runtime: JobRuntime | None = None


def _rt() -> JobRuntime:
    if _runtime is None:
        raise RuntimeError("bulk jobs are not started in this process (app.jobs.start_jobs)")
    return _runtime


def system_database_url(settings: Settings) -> str:
    """DBOS's own database: beside a SQLite file, or the same PostgreSQL database."""
    if settings.jobs_database_url:
        return settings.jobs_database_url
    url = make_url(settings.database)
    if url.get_backend_name() == "sqlite":
        path = url.database or "grader.db"
        return f"sqlite:///{path.removesuffix('.db')}-dbos.sqlite"
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def rate_limit_for(settings: Settings, model: str) -> int | None:
    """Requests per minute for `model`: its own entry, else its provider prefix's."""
    limits = settings.rate_limits
    return limits.get(model) or limits.get(model.split("/", 1)[0])


def start_jobs(
    settings: Settings, db: Database, *, executor_id: str = "local", grading: bool = True
) -> JobRuntime:
    """Launch DBOS in this process; with `grading`, it also takes chunks from the queue."""
    global _runtime
    _runtime = JobRuntime(settings, db, executor_id, grading)
    config: DBOSConfig = {
        "name": "interaction-grader",
        "system_database_url": system_database_url(settings),
        "application_version": APP_VERSION,
        "executor_id": executor_id,
        "log_level": "WARNING",
    }
    DBOS(config=config)
    if not grading:
        DBOS.listen_queues([])
    DBOS.launch()
    chunk = settings.job_chunk_size
    limit = rate_limit_for(settings, settings.model)
    DBOS.register_queue(
        QUEUE,
        # Twice the chunks the semaphore can serve, so a finishing chunk leaves no slot idle.
        worker_concurrency=2 * math.ceil(settings.job_concurrency / chunk) + 1,
        limiter={"limit": max(1, limit // chunk), "period": 60.0} if limit else None,
        polling_interval_sec=settings.job_poll_interval,
        on_conflict="always_update" if grading else "never_update",
    )
    _resume_open_jobs(db)
    return _runtime


_start_lock = threading.Lock()


def ensure_jobs(settings: Settings, db: Database, *, executor_id: str = "local") -> JobRuntime:
    """The runtime for `settings`, started on first use (restarted if the database changed).

    The API calls this before any job route; `grader serve` calls it at start so that jobs
    a crash interrupted resume without waiting for a request.
    """
    with _start_lock:
        if _runtime is not None and _runtime.settings.database == settings.database:
            return _runtime
        if _runtime is not None:
            stop_jobs()
        return start_jobs(
            settings, db, executor_id=executor_id, grading=settings.job_in_process_worker
        )


def stop_jobs(*, database: str | None = None) -> None:
    """Shut DBOS down in this process (workflows stay registered for a later start).

    With `database`, only a runtime running on that database is stopped: the API's shutdown
    stops what its own requests started lazily, and leaves another app's runtime alone.
    """
    global _runtime
    if _runtime is None or (database is not None and _runtime.settings.database != database):
        return
    DBOS.destroy()
    _runtime = None


def current_runtime() -> JobRuntime | None:
    """The runtime started in this process, if any (`ensure_jobs`, `start_jobs`)."""
    return _runtime


def start_round(job_id: str, round: int, spool: str | None = None) -> None:
    """Start (or find already started) the workflow of one pass over a job."""
    with SetWorkflowID(f"{job_id}:r{round}"):
        DBOS.start_workflow(run_round, job_id, round, spool)


def _resume_open_jobs(db: Database) -> None:
    """Start the round of every job left running (a no-op for rounds already started)."""
    with db.session() as session:
        rows = session.execute(select(Job.id, Job.round).where(Job.status == "running")).all()
    for job_id, round in rows:
        start_round(job_id, round)


@DBOS.step()
def _ingest_step(job_id: str, spool: str) -> int:
    from pathlib import Path

    return ingest(_rt().db, job_id, Path(spool))


@DBOS.step()
def _chunks_step(job_id: str, round: int) -> list[list[int]]:
    indices = round_indices(_rt().db, job_id, round)
    size = _rt().settings.job_chunk_size
    return [indices[i : i + size] for i in range(0, len(indices), size)]


@DBOS.step()
def _close_step(job_id: str) -> bool:
    return close_if_done(_rt().db, job_id)


@DBOS.workflow()
def run_round(job_id: str, round: int, spool: str | None) -> int:
    """Ingest the upload (first round), then queue the round's items in chunks."""
    if spool is not None:
        _ingest_step(job_id, spool)
    chunks = _chunks_step(job_id, round)
    queue = DBOS.retrieve_queue(QUEUE)
    if queue is None:  # pragma: no cover - registered by start_jobs
        raise RuntimeError(f"queue {QUEUE} is not registered")
    for number, chunk in enumerate(chunks):
        with SetWorkflowID(f"{job_id}:r{round}:c{number}"):
            queue.enqueue(grade_chunk, job_id, chunk)
    _close_step(job_id)
    return sum(len(c) for c in chunks)


@DBOS.step()
async def _grade_chunk_step(job_id: str, indices: list[int]) -> int:
    rt = _rt()
    tenant_id, claimed = await asyncio.to_thread(claim_items, rt.db, job_id, indices)
    if claimed:
        await rt.items.grade_many(job_id, tenant_id, claimed)
    await asyncio.to_thread(close_if_done, rt.db, job_id)
    return len(claimed)


@DBOS.workflow()
async def grade_chunk(job_id: str, indices: list[int]) -> int:
    """Grade the chunk's items still open; returns how many it took."""
    return await _grade_chunk_step(job_id, indices)
