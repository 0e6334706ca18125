"""Graded conversations of one tenant, from both places grades live, as QA items.

A grade made one at a time is a `GradeRecord` (key: its id); a bulk-job item's is a
`JobResult` (key: ``<job id>:<index>``), whose job item also keeps the transcript. Feedback
stored for a conversation (uploads, helpdesk CSAT) is joined by transcript id; without
it, the transcript's own `metadata.csat` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app._errors import NotFoundError
from app.jobs._tables import JobItem, JobResult
from app.qa._items import Feedback, QAItem
from app.qa._tables import FeedbackRecord
from app.storage import GradeRecord
from grader._results import Grade
from grader._transcript import Transcript

__all__ = ["StoredGrade", "get_graded", "load_graded", "qa_items"]


@dataclass(frozen=True)
class StoredGrade:
    """A stored grade, its key, and its transcript when the service kept it."""

    key: str
    grade: Grade
    graded_at: datetime
    transcript: Transcript | None = None
    agent: str | None = None
    team: str | None = None
    location: str | None = None


def _of_record(record: GradeRecord) -> StoredGrade:
    return StoredGrade(
        key=record.id, grade=Grade.model_validate(record.grade), graded_at=record.created_at,
        agent=record.agent, team=record.team, location=record.location,
    )  # fmt: skip


def _of_result(result: JobResult, payload: str | None) -> StoredGrade:
    transcript = Transcript.model_validate_json(payload) if payload else None
    meta = transcript.metadata if transcript else None
    return StoredGrade(
        key=f"{result.job_id}:{result.item_index}", grade=Grade.model_validate(result.grade),
        graded_at=result.updated_at, transcript=transcript,
        agent=meta.agent if meta else None, team=meta.team if meta else None,
        location=meta.location if meta else None,
    )  # fmt: skip


def load_graded(
    session: Session,
    tenant_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[StoredGrade]:
    """Every grade of the tenant in [since, until), oldest first."""
    records = select(GradeRecord).where(GradeRecord.tenant_id == tenant_id)
    results = (
        select(JobResult, JobItem.payload)
        .join(
            JobItem,
            (JobItem.job_id == JobResult.job_id) & (JobItem.item_index == JobResult.item_index),
        )
        .where(JobResult.tenant_id == tenant_id)
    )
    if since is not None:
        records = records.where(GradeRecord.created_at >= since)
        results = results.where(JobResult.updated_at >= since)
    if until is not None:
        records = records.where(GradeRecord.created_at < until)
        results = results.where(JobResult.updated_at < until)
    out = [_of_record(r) for r in session.scalars(records)]
    out += [_of_result(r, payload) for r, payload in session.execute(results)]
    out.sort(key=lambda g: (g.graded_at, g.key))
    return out


def get_graded(session: Session, tenant_id: str, key: str) -> StoredGrade:
    """One of the tenant's grades by key, or `NotFoundError` (another tenant's too)."""
    job_id, _, index = key.partition(":")
    if index:
        if not index.isdigit():
            raise NotFoundError("grade", key)
        row = session.execute(
            select(JobResult, JobItem.payload)
            .join(
                JobItem,
                (JobItem.job_id == JobResult.job_id) & (JobItem.item_index == JobResult.item_index),
            )
            .where(
                JobResult.tenant_id == tenant_id,
                JobResult.job_id == job_id,
                JobResult.item_index == int(index),
            )
        ).first()
        if row is None:
            raise NotFoundError("grade", key)
        return _of_result(row[0], row[1])
    record = session.scalar(
        select(GradeRecord).where(GradeRecord.tenant_id == tenant_id, GradeRecord.id == key)
    )
    if record is None:
        raise NotFoundError("grade", key)
    return _of_record(record)


def _metadata_csat(stored: StoredGrade) -> float | None:
    """The transcript's own CSAT on 1..5 (Zendesk's good/bad arrive as 1/0 from the importer)."""
    if stored.transcript is None or stored.transcript.metadata.csat is None:
        return None
    value = stored.transcript.metadata.csat
    if stored.transcript.id.startswith("zendesk-") and value in (0.0, 1.0):
        return 5.0 if value == 1.0 else 1.0
    return value if 1 <= value <= 5 else None


def _feedback(session: Session, tenant_id: str) -> dict[str, Feedback]:
    rows = session.scalars(
        select(FeedbackRecord)
        .where(FeedbackRecord.tenant_id == tenant_id)
        .order_by(FeedbackRecord.received_at)
    )
    merged: dict[str, Feedback] = {}
    for row in rows:  # later rows win, rating by rating
        old = merged.get(row.transcript_id, Feedback(source=row.source))
        merged[row.transcript_id] = Feedback(
            csat=row.csat if row.csat is not None else old.csat,
            nps=row.nps if row.nps is not None else old.nps,
            comment=row.comment or old.comment,
            source=row.source,
        )
    return merged


def qa_items(
    session: Session,
    tenant_id: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[QAItem]:
    """The tenant's grades as QA items, with the customers' feedback joined."""
    feedback = _feedback(session, tenant_id)
    items = []
    for stored in load_graded(session, tenant_id, since=since, until=until):
        given = feedback.get(stored.grade.transcript_id)
        csat = _metadata_csat(stored)
        if given is None and csat is not None:
            given = Feedback(csat=csat, source="metadata")
        elif given is not None and given.csat is None and csat is not None:
            given = Feedback(csat=csat, nps=given.nps, comment=given.comment, source=given.source)
        tags = tuple(stored.transcript.metadata.tags) if stored.transcript else ()
        items.append(
            QAItem(
                grade_id=stored.key,
                grade=stored.grade,
                graded_at=stored.graded_at,
                agent=stored.agent,
                team=stored.team,
                location=stored.location,
                feedback=given,
                tags=tags,
            )
        )
    return items
