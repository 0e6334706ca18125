"""Grades kept per tenant: record one (idempotent per job item), read, list, aggregate.

Every query names the tenant; a grade id of another tenant is simply not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app._errors import NotFoundError
from app._summary import GradeSummary, summarize
from app.storage import GradeRecord, new_id
from grader._results import Grade
from grader._rubric import Rubric
from grader._transcript import Transcript

__all__ = [
    "GradeFilter",
    "get_grade",
    "grades_summary",
    "judge_strategy",
    "list_grades",
    "record_grade",
    "tokens_since",
]


def judge_strategy(grade: Grade) -> str:
    """Which judges voted, e.g. ``llm`` or ``detector+llm+signals`` (from the votes themselves)."""
    judges = {vote.judge.split(":")[0] for v in grade.verdicts for vote in getattr(v, "votes", [])}
    return "+".join(sorted(judges)) or "llm"


def record_grade(
    session: Session,
    tenant_id: str,
    grade: Grade,
    *,
    transcript: Transcript | None = None,
    rubric_version_id: str | None = None,
    job_id: str | None = None,
    item_id: str | None = None,
) -> GradeRecord:
    """Store a grade; for a (job, item) already stored, the stored one is returned unchanged."""
    if job_id is not None and item_id is not None:
        existing = session.scalar(
            select(GradeRecord).where(
                GradeRecord.tenant_id == tenant_id,
                GradeRecord.job_id == job_id,
                GradeRecord.item_id == item_id,
            )
        )
        if existing is not None:
            return existing
    meta = transcript.metadata if transcript is not None else None
    record = GradeRecord(
        id=new_id("grd"), tenant_id=tenant_id, transcript_id=grade.transcript_id,
        status=grade.status, overall=grade.overall, needs_review=grade.needs_review,
        model=grade.model, prompt_hash=grade.prompt_version, rubric_slug=grade.rubric_id,
        rubric_hash=grade.rubric_version, rubric_version_id=rubric_version_id,
        judge_strategy=judge_strategy(grade), prompt_tokens=grade.usage.prompt_tokens,
        completion_tokens=grade.usage.completion_tokens, cost_usd=grade.usage.cost_usd,
        latency_ms=round(grade.seconds * 1000), cached=grade.cached,
        channel=transcript.channel.value if transcript is not None else None,
        agent=meta.agent if meta else None, team=meta.team if meta else None,
        location=meta.location if meta else None, queue=meta.queue if meta else None,
        job_id=job_id, item_id=item_id, grade=grade.model_dump(mode="json"),
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


def get_grade(session: Session, tenant_id: str, grade_id: str) -> GradeRecord:
    """The tenant's grade, or `NotFoundError` (whoever else's it may be)."""
    record = session.scalar(
        select(GradeRecord).where(GradeRecord.tenant_id == tenant_id, GradeRecord.id == grade_id)
    )
    if record is None:
        raise NotFoundError("grade", grade_id)
    return record


@dataclass(frozen=True)
class GradeFilter:
    """What a QA lead narrows grades by."""

    agent: str | None = None
    team: str | None = None
    location: str | None = None
    status: str | None = None
    transcript_id: str | None = None
    since: datetime | None = None

    def apply(self, query: Select[GradeRecord], tenant_id: str) -> Select[GradeRecord]:
        """The query restricted to the tenant and these fields."""
        query = query.where(GradeRecord.tenant_id == tenant_id)
        for column, value in (
            (GradeRecord.agent, self.agent), (GradeRecord.team, self.team),
            (GradeRecord.location, self.location), (GradeRecord.status, self.status),
            (GradeRecord.transcript_id, self.transcript_id),
        ):  # fmt: skip
            if value is not None:
                query = query.where(column == value)
        if self.since is not None:
            query = query.where(GradeRecord.created_at >= self.since)
        return query


def list_grades(
    session: Session,
    tenant_id: str,
    where: GradeFilter | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[GradeRecord], int]:
    """A page of the tenant's grades, newest first, and how many match in all."""
    where = where or GradeFilter()
    query = where.apply(select(GradeRecord), tenant_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = session.scalars(
        query.order_by(GradeRecord.created_at.desc(), GradeRecord.id).limit(limit).offset(offset)
    ).all()
    return page, total


def grades_summary(
    session: Session, tenant_id: str, rubric: Rubric, where: GradeFilter | None = None
) -> GradeSummary:
    """The aggregate of the tenant's matching grades made with `rubric` (by its id)."""
    query = (where or GradeFilter()).apply(select(GradeRecord), tenant_id)
    query = query.where(GradeRecord.rubric_slug == rubric.id)
    grades = (Grade.model_validate(r.grade) for r in session.scalars(query))
    return summarize(grades, rubric)


def tokens_since(session: Session, tenant_id: str, since: datetime | None = None) -> int:
    """Model tokens the tenant's grades used since `since` (default: this UTC day's start)."""
    start = since or datetime.combine(datetime.now(UTC).date(), time(), tzinfo=UTC)
    used = session.scalar(
        select(func.sum(GradeRecord.prompt_tokens + GradeRecord.completion_tokens)).where(
            GradeRecord.tenant_id == tenant_id, GradeRecord.created_at >= start
        )
    )
    return int(used or 0)
