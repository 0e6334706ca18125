"""QA workflow routes: spotlight, dashboards, reviews, disputes, audit, webhooks.

Also the conversation view, the feedback upload and the gold-label export.

Reading and reviewing need the `review` scope; accepting or rejecting (a lead's call) needs
`admin`; an agent may dispute with a `coach` key. Webhooks carry no API key: the helpdesk's
signature (or the tenant's URL token, where enabled) says who sent them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

import app.qa as qa
from api._deps import AdminCaller, CallerDep, DatabaseDep, ReviewCaller, SessionDep, SettingsDep
from api._errors import AUTH, BodyTooLargeError, responses
from app._errors import ScopeError
from app._tenancy import Caller
from app.storage import ApiKey
from grader._embedding_cache import EmbeddingCache
from grader._results import Grade
from grader._transcript import Transcript

__all__ = ["router"]

router = APIRouter(tags=["qa"])
MAX_BODY = 5 * 1024 * 1024
Since = Annotated[datetime | None, Query(description="Grades made at or after (ISO 8601).")]
Until = Annotated[datetime | None, Query(description="Grades made before (ISO 8601).")]
By = Annotated[qa.Grouping, Query(description="Group by agent, team or location.")]
Decision = Literal["accept", "reject"]


def _actor(session: Session, caller: Caller) -> str:
    """Who the audit trail names: the key's name, else its id (never a name the body claims)."""
    key = session.get(ApiKey, caller.key_id)
    return key.name if key is not None and key.name else f"key:{caller.key_id}"


async def _body(request: Request) -> bytes:
    chunks, total = [], 0
    async for chunk in request.stream():
        total += len(chunk)
        if total > MAX_BODY:
            raise BodyTooLargeError(f"body over {MAX_BODY} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/qa/spotlight", responses=responses(*AUTH))
def read_spotlight(
    caller: ReviewCaller,
    session: SessionDep,
    since: Since = None,
    low_score: Annotated[float, Query(ge=0, le=100)] = 60.0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    include_closed: bool = False,
) -> list[qa.SpotlightEntry]:
    """Conversations a lead should look at, most urgent first, each with its reasons."""
    return qa.spotlight_queue(
        session,
        caller.tenant_id,
        since=since,
        low_score=low_score,
        limit=limit,
        include_closed=include_closed,
    )


class AssignmentIn(BaseModel):
    """Who takes a spotlighted conversation, and how far it is."""

    assignee: str | None = Field(default=None, max_length=200)
    status: Literal["assigned", "in_review", "done", "dismissed"] = "assigned"


@router.put("/qa/spotlight/{grade_id}", responses=responses(*AUTH, 404, 422))
def assign_spotlight(
    grade_id: str, body: AssignmentIn, caller: ReviewCaller, session: SessionDep
) -> qa.AssignmentPublic:
    """Assign a conversation to a reviewer or move it along."""
    return qa.assign(
        session,
        caller.tenant_id,
        grade_id,
        assignee=body.assignee,
        status=body.status,
        actor=_actor(session, caller),
    )


@router.get("/qa/dashboards/trends", responses=responses(*AUTH))
def read_trends(
    caller: ReviewCaller,
    session: SessionDep,
    measure: qa.Measure = "dimension",
    period: qa.Period = "week",
    since: Since = None,
    until: Until = None,
) -> list[qa.TrendPoint]:
    """Mean scores per period: overall, by dimension, or by element (each with its count)."""
    items = qa.qa_items(session, caller.tenant_id, since=since, until=until)
    return qa.scores_over_time(items, measure=measure, period=period)


@router.get("/qa/dashboards/breakdown", responses=responses(*AUTH))
def read_breakdown(
    caller: ReviewCaller,
    session: SessionDep,
    by: By = "team",
    since: Since = None,
    until: Until = None,
) -> list[qa.GroupRow]:
    """Scores, failures and customer ratings by agent, team or location."""
    return qa.breakdown(qa.qa_items(session, caller.tenant_id, since=since, until=until), by)


@router.get("/qa/dashboards/consistency", responses=responses(*AUTH))
def read_consistency(
    caller: ReviewCaller,
    session: SessionDep,
    by: By = "location",
    min_n: Annotated[int, Query(ge=1)] = 5,
    z: Annotated[float, Query(gt=0)] = 2.0,
    since: Since = None,
    until: Until = None,
) -> list[qa.ConsistencyRow]:
    """How consistent scores are across teams or locations: spread and outliers, with counts."""
    items = qa.qa_items(session, caller.tenant_id, since=since, until=until)
    return qa.consistency(items, by, min_n=min_n, z_limit=z)


@router.get("/qa/dashboards/improved", responses=responses(*AUTH))
def read_improved(
    caller: ReviewCaller,
    session: SessionDep,
    by: By = "agent",
    days: Annotated[int, Query(ge=1, le=365)] = 14,
    until: Until = None,
    min_n: Annotated[int, Query(ge=1)] = 3,
) -> list[qa.Improvement]:
    """Most improved: the last `days` days before `until` against the `days` before those."""
    end = until or datetime.now(UTC)
    middle, start = end - timedelta(days=days), end - timedelta(days=2 * days)
    items = qa.qa_items(session, caller.tenant_id, since=start, until=end)
    return qa.most_improved(items, by, before=(start, middle), after=(middle, end), min_n=min_n)


@router.get("/qa/dashboards/patterns", responses=responses(*AUTH))
def read_patterns(
    caller: ReviewCaller,
    session: SessionDep,
    settings: SettingsDep,
    since: Since = None,
    until: Until = None,
    min_count: Annotated[int, Query(ge=1)] = 2,
) -> qa.PatternReport:
    """Recurring failures: co-failing elements, policy phrases, clustered evidence, examples."""
    items = qa.qa_items(session, caller.tenant_id, since=since, until=until)
    vectors = EmbeddingCache(settings.cache_dir / "embeddings")  # a sentence is embedded once
    return qa.failure_patterns(items, vectors, min_count=min_count)


@router.get("/qa/dashboards/feedback", responses=responses(*AUTH))
def read_feedback(
    caller: ReviewCaller, session: SessionDep, since: Since = None, until: Until = None
) -> qa.FeedbackReport:
    """Grades joined with customers' CSAT/NPS, and their rank correlation per dimension."""
    return qa.feedback_report(qa.qa_items(session, caller.tenant_id, since=since, until=until))


@router.get("/qa/dashboards/agreement", responses=responses(*AUTH))
def read_agreement(
    caller: ReviewCaller, session: SessionDep, period: qa.Period = "week"
) -> list[qa.AgreementPoint]:
    """Reviewers against the grader per element over time (the grader's drift)."""
    return qa.reviewer_agreement(session, caller.tenant_id, period=period)


class ConversationView(BaseModel):
    """Everything the conversation page shows."""

    grade_id: str
    grade: Grade
    transcript: Transcript | None
    reviews: list[qa.ReviewPublic]
    disputes: list[qa.DisputePublic]
    assignment: qa.AssignmentPublic | None


@router.get("/qa/conversations/{grade_id}", responses=responses(*AUTH, 404))
def read_conversation(grade_id: str, caller: ReviewCaller, session: SessionDep) -> ConversationView:
    """A grade with its transcript (when kept), reviews, disputes and assignment."""
    stored = qa.get_graded(session, caller.tenant_id, grade_id)
    held = qa.assignments(session, caller.tenant_id).get(grade_id)
    return ConversationView(
        grade_id=grade_id,
        grade=stored.grade,
        transcript=stored.transcript,
        reviews=qa.list_reviews(session, caller.tenant_id, grade_key=grade_id),
        disputes=qa.list_disputes(session, caller.tenant_id, grade_key=grade_id),
        assignment=None
        if held is None
        else qa.AssignmentPublic(
            grade_id=grade_id,
            assignee=held.assignee,
            status=held.status,
            updated_by=held.updated_by,
            updated_at=held.updated_at,
        ),
    )


class OverrideIn(BaseModel):
    """One element's score as the reviewer sees it (null: does not apply)."""

    element_id: str
    score: int | None
    reason: str = Field(min_length=1, max_length=5000)


class ReviewIn(BaseModel):
    """A whole hand scoring: element -> score (null: does not apply)."""

    labels: dict[str, int | None]
    reason: str = Field(default="", max_length=5000)


class DecisionIn(BaseModel):
    """A lead's note on a decision."""

    note: str = Field(default="", max_length=5000)


@router.post(
    "/qa/conversations/{grade_id}/overrides", status_code=201, responses=responses(*AUTH, 404, 422)
)
def override_element(
    grade_id: str, body: OverrideIn, caller: ReviewCaller, session: SessionDep
) -> qa.ReviewPublic:
    """Override one element's verdict, with a reason; a lead then accepts or rejects it."""
    return qa.submit_review(
        session,
        caller.tenant_id,
        grade_id,
        {body.element_id: body.score},
        reviewer=_actor(session, caller),
        reason=body.reason,
        kind="override",
    )


@router.post(
    "/qa/conversations/{grade_id}/reviews", status_code=201, responses=responses(*AUTH, 404, 422)
)
def review_conversation(
    grade_id: str, body: ReviewIn, caller: ReviewCaller, session: SessionDep
) -> qa.ReviewPublic:
    """Score the conversation by hand (any number of elements)."""
    return qa.submit_review(
        session,
        caller.tenant_id,
        grade_id,
        body.labels,
        reviewer=_actor(session, caller),
        reason=body.reason,
        kind="review",
    )


@router.post("/qa/reviews/{review_id}/{decision}", responses=responses(*AUTH, 404, 409, 422))
def decide_review(review_id: str, decision: Decision, caller: AdminCaller, session: SessionDep,
                  body: DecisionIn | None = None) -> qa.ReviewPublic:  # fmt: skip
    """A lead accepts (a gold label) or rejects a review."""
    return qa.decide_review(
        session,
        caller.tenant_id,
        review_id,
        decision,
        lead=_actor(session, caller),
        note=body.note if body else "",
    )


class DisputeIn(BaseModel):
    """Why the agent thinks the grade is wrong, and optionally the scores they think fair."""

    reason: str = Field(min_length=1, max_length=5000)
    element_ids: list[str] = Field(default_factory=list)
    proposed: dict[str, int | None] = Field(default_factory=dict)


@router.post(
    "/qa/conversations/{grade_id}/disputes", status_code=201, responses=responses(*AUTH, 404, 422)
)
def dispute_grade(
    grade_id: str, body: DisputeIn, caller: CallerDep, session: SessionDep
) -> qa.DisputePublic:
    """An agent (a coach key) or a reviewer disputes a grade."""
    if not {"coach", "review", "admin"} & caller.scopes:
        raise ScopeError("coach")
    return qa.raise_dispute(
        session,
        caller.tenant_id,
        grade_id,
        reason=body.reason,
        raised_by=_actor(session, caller),
        element_ids=body.element_ids,
        proposed=body.proposed,
    )


@router.post("/qa/disputes/{dispute_id}/{decision}", responses=responses(*AUTH, 404, 409, 422))
def decide_dispute(dispute_id: str, decision: Decision, caller: AdminCaller, session: SessionDep,
                   body: DecisionIn | None = None) -> qa.DisputePublic:  # fmt: skip
    """A lead accepts or rejects a dispute (accepted proposed scores become gold labels)."""
    return qa.decide_dispute(
        session,
        caller.tenant_id,
        dispute_id,
        decision,
        lead=_actor(session, caller),
        note=body.note if body else "",
    )


@router.get("/qa/disputes", responses=responses(*AUTH))
def read_disputes(
    caller: ReviewCaller, session: SessionDep, status: str | None = None
) -> list[qa.DisputePublic]:
    """The tenant's disputes (open ones: `status=open`)."""
    return qa.list_disputes(session, caller.tenant_id, status=status)


@router.get("/qa/reviews", responses=responses(*AUTH))
def read_reviews(
    caller: ReviewCaller, session: SessionDep, status: str | None = None
) -> list[qa.ReviewPublic]:
    """The tenant's reviews (waiting for a lead: `status=submitted`)."""
    return qa.list_reviews(session, caller.tenant_id, status=status)


@router.get("/qa/audit", responses=responses(*AUTH))
def read_audit(caller: ReviewCaller, session: SessionDep, object_id: str | None = None,
               grade_id: str | None = None) -> list[qa.AuditEntry]:  # fmt: skip
    """Who changed what and when (append-only)."""
    return qa.list_audit(session, caller.tenant_id, object_id=object_id, grade_key=grade_id)


_FEEDBACK_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "Customer ratings: CSV with transcript_id,csat,nps[,comment], or JSON Lines.",
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
    }
}


class FeedbackStored(BaseModel):
    """How many ratings were stored."""

    stored: int


@router.post(
    "/qa/feedback",
    status_code=201,
    openapi_extra=_FEEDBACK_DOC,
    responses=responses(*AUTH, 413, 422),
)
async def upload_feedback(
    request: Request, caller: ReviewCaller, session: SessionDep
) -> FeedbackStored:
    """Customers' CSAT/NPS for graded conversations (a new upload replaces earlier ratings)."""
    kind = (request.headers.get("content-type") or "").split(";")[0].strip()
    fmt = "csv" if kind in ("text/csv", "application/csv") else "jsonl"
    text = (await _body(request)).decode("utf-8", errors="replace")
    rows = qa.parse_feedback(text, fmt=fmt, source="upload")
    return FeedbackStored(
        stored=qa.store_feedback(session, caller.tenant_id, rows, source="upload")
    )


@router.get("/qa/gold.jsonl", response_class=PlainTextResponse, responses=responses(*AUTH))
def export_gold(caller: ReviewCaller, session: SessionDep) -> PlainTextResponse:
    """Accepted reviews as an `evals/` calibration set (`grader eval`, `grader calibrate`)."""
    export = qa.export_gold(session, caller.tenant_id)
    return PlainTextResponse(
        export.text,
        media_type="application/x-ndjson",
        headers={"X-Missing-Transcripts": str(len(export.missing_transcripts))},
    )


@router.post(
    "/webhooks/{provider}/{tenant_id}", status_code=202, responses=responses(401, 404, 413, 422)
)
async def helpdesk_webhook(
    provider: qa.Provider,
    tenant_id: str,
    request: Request,
    database: DatabaseDep,
    settings: SettingsDep,
    token: Annotated[
        str | None, Query(description="The tenant's URL token, for unsigned senders.")
    ] = None,
) -> qa.WebhookOutcome:
    """A Chatwoot or Zendesk webhook: verified, de-duplicated, and queued as a durable job."""
    body = await _body(request)
    return await qa.receive_webhook(
        database, settings, tenant_id, provider, dict(request.headers), body, token=token
    )
