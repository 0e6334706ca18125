"""The spotlight queue as a lead works it: the ordering, plus who has each entry and how far.

Assigning writes the audit trail like every other change a person makes.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.qa._reviews import audit
from app.qa._source import get_graded, qa_items
from app.qa._spotlight import SpotlightEntry, spotlight
from app.qa._tables import ASSIGNMENT_STATUSES, ReviewRecord, SpotlightAssignment
from app.storage import utcnow
from grader._errors import InputError

__all__ = ["AssignmentPublic", "assign", "assignments", "spotlight_queue"]


class AssignmentPublic(BaseModel):
    """Who has a spotlighted grade, and its status."""

    grade_id: str
    assignee: str | None
    status: str
    updated_by: str
    updated_at: datetime


def assign(
    session: Session,
    tenant_id: str,
    grade_key: str,
    *,
    assignee: str | None,
    status: str,
    actor: str,
) -> AssignmentPublic:
    """Assign a spotlighted grade to a reviewer, or move it along (assigned, in_review, done, dismissed)."""
    if status not in ASSIGNMENT_STATUSES:
        raise InputError(f"unknown status {status!r}; use {', '.join(ASSIGNMENT_STATUSES)}")
    get_graded(session, tenant_id, grade_key)
    record = session.get(SpotlightAssignment, (tenant_id, grade_key))
    before = None if record is None else {"assignee": record.assignee, "status": record.status}
    if record is None:
        record = SpotlightAssignment(tenant_id=tenant_id, grade_key=grade_key, updated_by=actor)
        session.add(record)
    record.assignee, record.status, record.updated_by, record.updated_at = (
        assignee,
        status,
        actor,
        utcnow(),
    )
    session.flush()
    audit(session, tenant_id, actor, "assignment.set", record, before=before,
          after={"assignee": assignee, "status": status})  # fmt: skip
    return AssignmentPublic(
        grade_id=grade_key,
        assignee=record.assignee,
        status=record.status,
        updated_by=record.updated_by,
        updated_at=record.updated_at,
    )


def assignments(session: Session, tenant_id: str) -> dict[str, SpotlightAssignment]:
    """Grade key -> assignment, for the spotlight queue."""
    rows = session.scalars(
        select(SpotlightAssignment).where(SpotlightAssignment.tenant_id == tenant_id)
    )
    return {r.grade_key: r for r in rows}


def spotlight_queue(
    session: Session,
    tenant_id: str,
    *,
    since: datetime | None = None,
    low_score: float = 60.0,
    limit: int | None = 50,
    include_closed: bool = False,
) -> list[SpotlightEntry]:
    """The tenant's queue, most urgent first.

    Entries done or dismissed, and grades a lead has already accepted a review of, drop
    out unless `include_closed`.
    """
    taken = assignments(session, tenant_id)
    reviewed = set(
        session.scalars(
            select(ReviewRecord.grade_key).where(
                ReviewRecord.tenant_id == tenant_id, ReviewRecord.status == "accepted"
            )
        )
    )
    out = []
    for entry in spotlight(qa_items(session, tenant_id, since=since), low_score=low_score):
        held = taken.get(entry.grade_id)
        if entry.grade_id in reviewed and (
            held is None or held.status not in ("done", "dismissed")
        ):
            if not include_closed:
                continue
            entry = entry.model_copy(update={"status": "reviewed"})
        elif held is not None:
            if held.status in ("done", "dismissed") and not include_closed:
                continue
            entry = entry.model_copy(update={"assignee": held.assignee, "status": held.status})
        out.append(entry)
    return out[:limit] if limit else out
