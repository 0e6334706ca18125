"""Reviews, disputes and their audit trail: the use cases behind `grader review` and /v1/qa.

A reviewer overrides one element or scores the whole conversation by hand; an agent
disputes a grade; a lead accepts or rejects either. Accepted reviews are gold labels, and
an accepted dispute that proposed scores becomes one too. Every change writes an audit
entry with the values before and after, in the same transaction, and entries are never
rewritten. Everything is filtered by tenant: another tenant's review is not found.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from app._errors import ConflictError, NotFoundError
from app.qa._source import StoredGrade, get_graded
from app.qa._tables import (
    AuditRecord,
    DisputeRecord,
    ReviewRecord,
)
from app.storage import new_id, utcnow
from grader._errors import InputError
from grader._results import Grade
from grader._rubric import Rubric, default_rubric

__all__ = [
    "AuditEntry",
    "DisputePublic",
    "ReviewPublic",
    "audit",
    "decide_dispute",
    "decide_review",
    "list_audit",
    "list_disputes",
    "list_reviews",
    "raise_dispute",
    "submit_review",
]

Decision = Literal["accept", "reject"]


class ReviewPublic(BaseModel):
    """A review as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    grade_id: str
    transcript_id: str
    kind: str
    labels: dict[str, int | None]
    grader_scores: dict[str, int | None]
    reason: str
    reviewer: str
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str
    created_at: datetime

    @classmethod
    def of(cls, record: ReviewRecord) -> ReviewPublic:
        """From the row (its grade_key is the grade id)."""
        return cls.model_validate({**_columns(record), "grade_id": record.grade_key})


class DisputePublic(BaseModel):
    """A dispute as the API shows it."""

    id: str
    grade_id: str
    transcript_id: str
    agent: str | None
    raised_by: str
    reason: str
    element_ids: list[str]
    proposed: dict[str, int | None]
    grader_scores: dict[str, int | None]
    status: str
    decided_by: str | None
    decided_at: datetime | None
    note: str
    created_at: datetime

    @classmethod
    def of(cls, record: DisputeRecord) -> DisputePublic:
        """From the row."""
        return cls.model_validate({**_columns(record), "grade_id": record.grade_key})


class AuditEntry(BaseModel):
    """One entry of the audit trail."""

    id: int
    at: datetime
    actor: str
    action: str
    object_kind: str
    object_id: str
    grade_key: str | None
    detail: dict[str, Any]


def _columns(record: Any) -> dict[str, Any]:
    return {c.key: getattr(record, c.key) for c in record.__table__.columns}


def audit(
    session: Session, tenant_id: str, actor: str, action: str, obj: Any, **detail: Any
) -> None:
    """Append one entry to the trail (in the caller's transaction)."""
    kind = obj.__tablename__.removeprefix("qa_").rstrip("s")
    session.add(
        AuditRecord(
            tenant_id=tenant_id,
            actor=actor,
            action=action,
            object_kind=kind,
            object_id=str(getattr(obj, "id", None) or obj.grade_key),
            grade_key=getattr(obj, "grade_key", None),
            detail=detail,
        )
    )


def _scores(grade: Grade) -> dict[str, int | None]:
    return {v.element_id: v.score for v in grade.verdicts}


def _check_labels(
    stored: StoredGrade, labels: dict[str, int | None], rubric: Rubric | None
) -> None:
    """Each label names an element of the graded rubric, on its scale; N/A only where allowed."""
    if not labels:
        raise InputError("no scores given")
    rubric = rubric or (default_rubric() if stored.grade.rubric_id == default_rubric().id else None)
    elements = {e.id: e for e in rubric.elements} if rubric else {}
    verdicts = {v.element_id: v for v in stored.grade.verdicts}
    for element_id, score in labels.items():
        element = elements.get(element_id)
        verdict = verdicts.get(element_id)
        if element is None and verdict is None:
            known = ", ".join(sorted(set(elements) | set(verdicts)))
            raise InputError(
                f"element '{element_id}' is not in this grade's rubric (known: {known})"
            )
        top = element.max_level if element else verdict.max_score if verdict else 0
        if score is not None and not 0 <= score <= top:
            raise InputError(f"{element_id}={score} is off the element's scale 0..{top}")
        if score is None and element is not None and not element.na_when:
            raise InputError(
                f"element '{element_id}' is never N/A in rubric '{rubric.id if rubric else ''}'"
            )


def submit_review(
    session: Session,
    tenant_id: str,
    grade_key: str,
    labels: dict[str, int | None],
    *,
    reviewer: str,
    reason: str = "",
    kind: Literal["override", "review"] = "review",
    rubric: Rubric | None = None,
) -> ReviewPublic:
    """A reviewer's scores for a grade: an override (one element) or a full hand scoring."""
    stored = get_graded(session, tenant_id, grade_key)
    if kind == "override" and len(labels) != 1:
        raise InputError("an override changes exactly one element; use a review for more")
    _check_labels(stored, labels, rubric)
    if kind == "override" and not reason.strip():
        raise InputError("an override needs a reason")
    record = ReviewRecord(
        id=new_id("rev"),
        tenant_id=tenant_id,
        grade_key=grade_key,
        transcript_id=stored.grade.transcript_id,
        kind=kind,
        labels=labels,
        grader_scores={k: _scores(stored.grade).get(k) for k in labels},
        reason=reason.strip(),
        reviewer=reviewer,
    )
    session.add(record)
    session.flush()
    audit(session, tenant_id, reviewer, f"{kind}.submitted", record, labels=labels, reason=record.reason,
          grader=record.grader_scores)  # fmt: skip
    return ReviewPublic.of(record)


def _owned(session: Session, model: Any, tenant_id: str, object_id: str, kind: str) -> Any:
    record = session.scalar(
        select(model).where(model.tenant_id == tenant_id, model.id == object_id)
    )
    if record is None:
        raise NotFoundError(kind, object_id)
    return record


def decide_review(
    session: Session,
    tenant_id: str,
    review_id: str,
    decision: Decision,
    *,
    lead: str,
    note: str = "",
) -> ReviewPublic:
    """A lead accepts (gold label) or rejects a submitted review; decided once."""
    record: ReviewRecord = _owned(session, ReviewRecord, tenant_id, review_id, "review")
    if record.status != "submitted":
        raise ConflictError(f"review {review_id} is already {record.status}")
    before = record.status
    record.status = "accepted" if decision == "accept" else "rejected"
    record.decided_by, record.decided_at, record.note = lead, utcnow(), note.strip()
    audit(session, tenant_id, lead, f"review.{record.status}", record, before=before, after=record.status,
          note=record.note)  # fmt: skip
    return ReviewPublic.of(record)


def raise_dispute(
    session: Session,
    tenant_id: str,
    grade_key: str,
    *,
    reason: str,
    raised_by: str,
    element_ids: list[str] | None = None,
    proposed: dict[str, int | None] | None = None,
    rubric: Rubric | None = None,
) -> DisputePublic:
    """An agent disputes a grade (optionally naming elements and the scores they think fair)."""
    stored = get_graded(session, tenant_id, grade_key)
    if not reason.strip():
        raise InputError("a dispute needs a reason")
    if proposed:
        _check_labels(stored, proposed, rubric)
    named = sorted(set(element_ids or []) | set(proposed or {}))
    unknown = [e for e in named if e not in _scores(stored.grade)]
    if unknown:
        raise InputError(f"element(s) {', '.join(unknown)} not in this grade")
    record = DisputeRecord(
        id=new_id("dsp"),
        tenant_id=tenant_id,
        grade_key=grade_key,
        transcript_id=stored.grade.transcript_id,
        agent=stored.agent,
        raised_by=raised_by,
        reason=reason.strip(),
        element_ids=named,
        proposed=proposed or {},
        grader_scores={e: _scores(stored.grade).get(e) for e in named},
    )
    session.add(record)
    session.flush()
    audit(session, tenant_id, raised_by, "dispute.raised", record, reason=record.reason, elements=named,
          proposed=record.proposed)  # fmt: skip
    return DisputePublic.of(record)


def decide_dispute(
    session: Session,
    tenant_id: str,
    dispute_id: str,
    decision: Decision,
    *,
    lead: str,
    note: str = "",
) -> DisputePublic:
    """A lead accepts or rejects an open dispute; accepted proposed scores become gold labels."""
    record: DisputeRecord = _owned(session, DisputeRecord, tenant_id, dispute_id, "dispute")
    if record.status != "open":
        raise ConflictError(f"dispute {dispute_id} is already {record.status}")
    record.status = "accepted" if decision == "accept" else "rejected"
    record.decided_by, record.decided_at, record.note = lead, utcnow(), note.strip()
    audit(session, tenant_id, lead, f"dispute.{record.status}", record, before="open", after=record.status,
          note=record.note)  # fmt: skip
    if record.status == "accepted" and record.proposed:
        gold = ReviewRecord(
            id=new_id("rev"),
            tenant_id=tenant_id,
            grade_key=record.grade_key,
            transcript_id=record.transcript_id,
            kind="dispute",
            labels=record.proposed,
            grader_scores=record.grader_scores,
            reason=f"dispute {record.id}: {record.reason}",
            reviewer=record.raised_by,
            status="accepted",
            decided_by=lead,
            decided_at=record.decided_at,
            note=record.note,
        )
        session.add(gold)
        session.flush()
        audit(
            session,
            tenant_id,
            lead,
            "review.accepted",
            gold,
            from_dispute=record.id,
            labels=gold.labels,
        )
    return DisputePublic.of(record)


_Row = TypeVar("_Row", ReviewRecord, DisputeRecord, AuditRecord)


def _tenant_rows(
    session: Session, model: type[_Row], tenant_id: str, order: tuple[Any, ...], **equal: object
) -> Sequence[_Row]:
    """The tenant's rows of `model` whose named columns equal the given values (None: any)."""
    query = select(model).where(model.tenant_id == tenant_id)
    for column, value in equal.items():
        if value is not None:
            query = query.where(getattr(model, column) == value)
    return session.scalars(query.order_by(*order)).all()


def list_reviews(
    session: Session, tenant_id: str, *, grade_key: str | None = None, status: str | None = None
) -> list[ReviewPublic]:
    """The tenant's reviews, oldest first, of one grade and/or status."""
    order = (ReviewRecord.created_at, ReviewRecord.id)
    rows = _tenant_rows(session, ReviewRecord, tenant_id, order, grade_key=grade_key, status=status)
    return [ReviewPublic.of(r) for r in rows]


def list_disputes(
    session: Session, tenant_id: str, *, grade_key: str | None = None, status: str | None = None
) -> list[DisputePublic]:
    """The tenant's disputes, oldest first."""
    order = (DisputeRecord.created_at, DisputeRecord.id)
    rows = _tenant_rows(
        session, DisputeRecord, tenant_id, order, grade_key=grade_key, status=status
    )
    return [DisputePublic.of(r) for r in rows]


def list_audit(
    session: Session, tenant_id: str, *, object_id: str | None = None, grade_key: str | None = None
) -> list[AuditEntry]:
    """The trail, in the order it was written."""
    rows = _tenant_rows(
        session, AuditRecord, tenant_id, (AuditRecord.id,), object_id=object_id, grade_key=grade_key
    )
    return [AuditEntry.model_validate(_columns(r)) for r in rows]
