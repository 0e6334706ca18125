"""Durable bulk jobs on DBOS: upload a file of transcripts, grade every item exactly once.

    start_jobs(settings, db)                       # DBOS in this process (a worker, by default)
    job, new = await submit_job(db, settings, tenant, body_chunks, format="jsonl")
    get_job(db, tenant, job.id).progress           # queued / running / graded / failed
    for text in export_results(db, tenant, job.id, "csv", dimensions=[...]): ...

The upload is streamed to disk and read lazily; items and results live in the service's
database (`app.jobs` tables), the queue and workflow state in DBOS's system database.
"""

from app.jobs._export import EXPORT_FORMATS, export_results
from app.jobs._ingest import UPLOAD_FORMATS, UploadTooLargeError
from app.jobs._runtime import (
    APP_VERSION,
    QUEUE,
    JobRuntime,
    current_runtime,
    ensure_jobs,
    rate_limit_for,
    start_jobs,
    stop_jobs,
    system_database_url,
)
from app.jobs._schemas import ItemPublic, ItemsPage, JobProgress, JobPublic
from app.jobs._service import (
    IdempotencyKeyReusedError,
    cancel_job,
    get_job,
    list_items,
    rerun_failed,
    submit_job,
)
from app.jobs._tables import ITEM_STATUSES, JOB_STATUSES, Job, JobItem, JobResult

__all__ = [
    "APP_VERSION",
    "EXPORT_FORMATS",
    "ITEM_STATUSES",
    "JOB_STATUSES",
    "QUEUE",
    "UPLOAD_FORMATS",
    "IdempotencyKeyReusedError",
    "ItemPublic",
    "ItemsPage",
    "Job",
    "JobItem",
    "JobProgress",
    "JobPublic",
    "JobResult",
    "JobRuntime",
    "UploadTooLargeError",
    "cancel_job",
    "current_runtime",
    "ensure_jobs",
    "export_results",
    "get_job",
    "list_items",
    "rate_limit_for",
    "rerun_failed",
    "start_jobs",
    "stop_jobs",
    "submit_job",
    "system_database_url",
]
