"""Bulk jobs: upload a file of transcripts, follow it, page through items, export, cancel, re-run.

The body is streamed to disk (raw, or the `file` part of a multipart form), never held in
memory; `Idempotency-Key` makes a retried upload return the job it already created.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import StreamingResponse
from starlette.datastructures import UploadFile

from api._deps import DatabaseDep, GradeCaller, SettingsDep
from api._errors import AUTH, BodyTooLargeError, responses
from app.jobs import (
    ItemsPage,
    JobPublic,
    UploadTooLargeError,
    cancel_job,
    ensure_jobs,
    export_results,
    get_job,
    list_items,
    rerun_failed,
    submit_job,
)
from app.storage import Database
from grader._errors import InputError
from grader._rubric import default_rubric, load_rubric
from grader._settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/jobs", tags=["jobs"])

_TYPES = {
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/json-lines": "jsonl",
    "application/jsonlines": "jsonl",
    "text/jsonl": "jsonl",
    "text/csv": "csv",
    "application/csv": "csv",
}
_BLOCK = 1 << 16

_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "Transcripts as JSON Lines (native or Zendesk tickets, one per line) "
        "or CSV (one message per row, grouped by conversation_id), raw or as the `file` "
        "field of a multipart form. Streamed to disk: any size up to the configured limit.",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}

Format = Annotated[
    Literal["jsonl", "csv"] | None,
    Query(description="jsonl or csv (default: from the content type or the file name)."),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=200,
        description="Same key and same body: the same job. Same key, other body: 422.",
    ),
]


def _jobs_database(settings: SettingsDep, database: DatabaseDep) -> Database:
    """The database, with DBOS started on it, before the caller's session opens.

    DBOS's first start builds indexes concurrently, which on PostgreSQL waits for every
    open transaction, the caller's included.
    """
    ensure_jobs(settings, database)
    return database


#: Listed first among a route's parameters, so it resolves before `GradeCaller`.
JobsDatabase = Annotated[Database, Depends(_jobs_database)]


def _format_of(content_type: str, filename: str, given: str | None) -> str:
    if given:
        return given
    if content_type in _TYPES:
        return _TYPES[content_type]
    for suffix, format in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv")):
        if filename.lower().endswith(suffix):
            return format
    raise InputError(
        f"cannot tell the upload format from content type {content_type or '(none)'!r}; "
        "send application/x-ndjson or text/csv, or pass ?format=jsonl|csv"
    )


async def _file_chunks(file: UploadFile) -> AsyncIterator[bytes]:
    while block := await file.read(_BLOCK):
        yield block


async def _submit(
    db: Database,
    request: Request,
    tenant_id: str,
    settings: Settings,
    format: str | None,
    idempotency_key: str | None,
) -> tuple[JobPublic, bool]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "multipart/form-data":
        job, new = await submit_job(
            db,
            settings,
            tenant_id,
            request.stream(),
            format=_format_of(content_type, "", format),
            idempotency_key=idempotency_key,
        )
    else:
        async with request.form(max_files=1, max_fields=10) as form:
            file = form.get("file")
            if not isinstance(file, UploadFile):
                raise InputError("multipart upload needs its transcripts in a `file` field")
            filename = file.filename or ""
            job, new = await submit_job(
                db,
                settings,
                tenant_id,
                _file_chunks(file),
                format=_format_of((file.content_type or "").lower(), filename, format),
                filename=filename,
                idempotency_key=idempotency_key,
            )
    return job, new


@router.post(
    "",
    status_code=202,
    openapi_extra=_UPLOAD_DOC,
    responses={
        **responses(*AUTH, 413, 422),
        200: {"model": JobPublic, "description": "The job this key already created."},
    },
)
async def upload(
    db: JobsDatabase,
    request: Request,
    response: Response,
    caller: GradeCaller,
    settings: SettingsDep,
    format: Format = None,
    idempotency_key: IdempotencyKey = None,
) -> JobPublic:
    """Start a bulk job from an uploaded file; grading happens in the background."""
    try:
        job, new = await _submit(db, request, caller.tenant_id, settings, format, idempotency_key)
    except UploadTooLargeError as exc:
        raise BodyTooLargeError(str(exc)) from exc
    response.status_code = 202 if new else 200
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return job


@router.get("/{job_id}", responses=responses(*AUTH, 404))
def read(
    db: JobsDatabase,
    job_id: str,
    caller: GradeCaller,
    settings: SettingsDep,
) -> JobPublic:
    """The job and its progress (items per status)."""
    return get_job(db, caller.tenant_id, job_id)


@router.get("/{job_id}/items", responses=responses(*AUTH, 404, 422))
def items(
    db: JobsDatabase,
    job_id: str,
    caller: GradeCaller,
    settings: SettingsDep,
    status: Annotated[
        Literal["queued", "running", "graded", "failed", "cancelled"] | None,
        Query(description="Only items in this status."),
    ] = None,
    after: Annotated[int, Query(ge=-1, description="The `next_after` of the page before.")] = -1,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    grades: Annotated[bool, Query(description="Include each item's full grade.")] = False,
) -> ItemsPage:
    """A page of items in upload order, each with its status, reason and score."""
    return list_items(
        db,
        caller.tenant_id,
        job_id,
        status=status,
        after=after,
        limit=limit,
        grades=grades,
    )


@router.get(
    "/{job_id}/results",
    response_class=StreamingResponse,
    responses={
        **responses(*AUTH, 404, 422),
        200: {
            "description": "One line (JSONL) or row (CSV) per item, failed ones with the reason.",
            "content": {"application/x-ndjson": {}, "text/csv": {}},
        },
    },
)
def export(
    db: JobsDatabase,
    job_id: str,
    caller: GradeCaller,
    settings: SettingsDep,
    format: Annotated[Literal["jsonl", "csv"], Query()] = "jsonl",
) -> StreamingResponse:
    """Every item's result, streamed."""
    rubric = load_rubric(settings.rubric_path) if settings.rubric_path else default_rubric()
    pieces = export_results(
        db,
        caller.tenant_id,
        job_id,
        format,
        dimensions=[d.id for d in rubric.dimensions],
    )
    first = next(pieces, "")  # raises NotFoundError before the response starts

    def body() -> Any:
        yield first
        yield from pieces

    media = "application/x-ndjson" if format == "jsonl" else "text/csv"
    disposition = f'attachment; filename="{job_id}.{format}"'
    return StreamingResponse(body(), media_type=media, headers={"Content-Disposition": disposition})


@router.post("/{job_id}/cancel", responses=responses(*AUTH, 404, 409))
def cancel(
    db: JobsDatabase,
    job_id: str,
    caller: GradeCaller,
    settings: SettingsDep,
) -> JobPublic:
    """Stop the job: items not graded yet are cancelled."""
    return cancel_job(db, caller.tenant_id, job_id)


@router.post("/{job_id}/rerun-failed", responses=responses(*AUTH, 404, 409))
def rerun(
    db: JobsDatabase,
    job_id: str,
    caller: GradeCaller,
    settings: SettingsDep,
) -> JobPublic:
    """Grade the failed items again, as the job's next round."""
    return rerun_failed(db, caller.tenant_id, job_id)
