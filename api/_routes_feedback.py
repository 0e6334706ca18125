"""The sidebar's own calls: tone rewrites of a reply, and what the agent did with a suggestion."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from api._deps import CoachCaller, SessionDep, SettingsDep
from api._errors import AUTH, responses
from app._suggestion_feedback import (
    FeedbackCounts,
    FeedbackIn,
    feedback_counts,
    list_feedback,
    record_feedback,
)
from grader._transcript import Turn

__all__ = ["router"]

router = APIRouter(tags=["coach"])

Operation = Literal["friendlier", "more_professional", "shorten", "fix_grammar", "improve"]


class RewriteIn(BaseModel):
    """A reply to edit in one everyday way; the conversation only helps the model understand."""

    text: str = Field(min_length=2, max_length=3000)
    operation: Operation
    context: list[Turn] = Field(default_factory=list, max_length=200)


class RewritePublic(BaseModel):
    """The edited reply, or the original unchanged with the error when the model failed."""

    operation: str
    original: str
    text: str
    status: Literal["ok", "failed"]
    error: str | None = None


class FeedbackPublic(BaseModel):
    """One stored decision."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    outcome: str
    suggestion_id: str | None
    conversation_id: str | None
    suggested: str
    final: str | None
    edit_distance: int | None
    created_at: datetime


class FeedbacksPublic(BaseModel):
    """A page of decisions, newest first, with the tenant's totals."""

    items: list[FeedbackPublic]
    total: int
    counts: FeedbackCounts


@router.post("/rewrites", responses=responses(*AUTH, 422, 504))
async def rewrite_reply(
    body: RewriteIn, caller: CoachCaller, settings: SettingsDep
) -> RewritePublic:
    """Friendlier, more professional, shorter or grammar-fixed; facts and next step kept."""
    from retrieval import rewrite

    done = await rewrite(body.text, body.operation, settings.build_llm(), context=body.context)
    return RewritePublic.model_validate(done.model_dump())


@router.post("/suggestions/feedback", status_code=201, responses=responses(*AUTH, 422))
def add_feedback(body: FeedbackIn, caller: CoachCaller, session: SessionDep) -> FeedbackPublic:
    """Record whether the agent used the suggestion as is, edited it, or rejected it."""
    record = record_feedback(session, caller.tenant_id, body, key_id=caller.key_id)
    return FeedbackPublic.model_validate(record)


@router.get("/suggestions/feedback", responses=responses(*AUTH, 422))
def read_feedback(
    caller: CoachCaller,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> FeedbacksPublic:
    """The tenant's suggestion feedback, newest first."""
    rows, total = list_feedback(session, caller.tenant_id, limit=limit, offset=offset)
    return FeedbacksPublic(
        items=[FeedbackPublic.model_validate(r) for r in rows],
        total=total,
        counts=feedback_counts(session, caller.tenant_id),
    )
