"""Grade one transcript synchronously; read, list and aggregate the tenant's grades."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from api._deps import GradeCaller, SessionDep, SettingsDep, TenantDep
from api._errors import AUTH, BodyTooLargeError, responses
from api._schemas import GradePublic, GradesPublic
from app import GradeSummary, read_body
from app._grade_service import grade_and_store, single_transcript
from app._grade_store import GradeFilter, get_grade, grades_summary, list_grades
from app._rubrics import rubric_for_grading
from grader._transcript import Transcript
from grader.importers import FORMATS

router = APIRouter(prefix="/grades", tags=["grades"])

#: One transcript; bulk jobs take files of any size.
MAX_BODY = 5 * 1024 * 1024

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One transcript: native JSON, Chatwoot or Zendesk JSON, JSONL, or CSV "
        "rows (one message per row). The importer follows the content type or `format`.",
        "content": {
            "application/json": {"schema": Transcript.model_json_schema()},
            "application/x-ndjson": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}

Format = Annotated[
    str | None, Query(description=f"Importer: {', '.join(FORMATS)} (default: from content type).")
]
RubricId = Annotated[
    str | None, Query(description="A stored rubric (id or slug); default: shipped.")
]
Version = Annotated[int | None, Query(ge=1, description="Its version number (default: latest).")]


async def _body(request: Request) -> bytes:
    size = int(request.headers.get("content-length") or 0)
    if size > MAX_BODY:
        raise BodyTooLargeError(f"body of {size} bytes; one transcript may be {MAX_BODY} bytes")
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > MAX_BODY:
            raise BodyTooLargeError(f"body over {MAX_BODY} bytes; use a bulk job")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post(
    "", status_code=201, openapi_extra=_BODY_DOC, responses=responses(*AUTH, 404, 413, 422)
)
async def grade_transcript(
    request: Request,
    caller: GradeCaller,
    tenant: TenantDep,
    session: SessionDep,
    settings: SettingsDep,
    format: Format = None,
    rubric: RubricId = None,
    version: Version = None,
) -> GradePublic:
    """Grade one transcript now and store the grade (an unscored grade says why)."""
    imported = read_body(await _body(request), request.headers.get("content-type"), format)
    transcript = single_transcript(imported)
    record = await grade_and_store(
        session, settings, tenant, transcript, rubric_id=rubric, rubric_version=version
    )
    return GradePublic.of(record)


@router.get("", responses=responses(*AUTH, 422))
def read_grades(
    caller: GradeCaller,
    session: SessionDep,
    agent: str | None = None,
    team: str | None = None,
    location: str | None = None,
    status: str | None = None,
    transcript_id: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> GradesPublic:
    """The tenant's grades, newest first, filtered by agent, team, location, status."""
    where = GradeFilter(agent=agent, team=team, location=location, status=status,
                        transcript_id=transcript_id)  # fmt: skip
    page, total = list_grades(session, caller.tenant_id, where, limit=limit, offset=offset)
    data = [GradePublic.of(r) for r in page]
    return GradesPublic(data=data, count=total, limit=limit, offset=offset)


@router.get("/summary", responses=responses(*AUTH, 404, 422))
def summarize_grades(
    caller: GradeCaller,
    session: SessionDep,
    rubric: RubricId = None,
    version: Version = None,
    agent: str | None = None,
    team: str | None = None,
    location: str | None = None,
) -> GradeSummary:
    """Dimensions, elements, flags and usage over the tenant's grades with one rubric."""
    chosen, _ = rubric_for_grading(session, caller.tenant_id, rubric, version)
    where = GradeFilter(agent=agent, team=team, location=location)
    return grades_summary(session, caller.tenant_id, chosen, where)


@router.get("/{grade_id}", responses=responses(*AUTH, 404))
def read_grade(grade_id: str, caller: GradeCaller, session: SessionDep) -> GradePublic:
    """One of the tenant's grades."""
    return GradePublic.of(get_grade(session, caller.tenant_id, grade_id))
