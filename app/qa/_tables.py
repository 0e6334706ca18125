"""The QA tables: reviews, disputes, audit trail, assignments, feedback, webhooks.

Customer feedback, webhook settings, deliveries, buffered messages and live conversations
sit here too.

A grade is named by its `grade_key`: a stored grade's id (``grd_...``) or a bulk-job item
(``job_<id>:<index>``), so QA covers grades made either way. The audit trail is
append-only: the ORM refuses to update or delete its rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from app._errors import ConflictError
from app.storage import Base, utcnow

__all__ = [
    "ASSIGNMENT_STATUSES",
    "AuditImmutableError",
    "AuditRecord",
    "DisputeRecord",
    "FeedbackRecord",
    "LiveConversation",
    "ReviewRecord",
    "SpotlightAssignment",
    "WebhookDelivery",
    "WebhookMessage",
    "WebhookSettings",
]

_TENANT = "tenants.id"
ASSIGNMENT_STATUSES = ("assigned", "in_review", "done", "dismissed")


def _tenant() -> Mapped[str]:
    return mapped_column(ForeignKey(_TENANT, ondelete="CASCADE"), index=True)


class ReviewRecord(Base):
    """A reviewer's scores for one grade: one element overridden, or a whole hand scoring."""

    __tablename__ = "qa_reviews"
    __table_args__ = (Index("ix_qa_reviews_tenant_grade", "tenant_id", "grade_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    grade_key: Mapped[str] = mapped_column(String(120))
    transcript_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    labels: Mapped[dict[str, Any]] = mapped_column(JSON)
    grader_scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewer: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    decided_by: Mapped[str | None] = mapped_column(String(200), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DisputeRecord(Base):
    """An agent's objection to a grade, and the lead's decision."""

    __tablename__ = "qa_disputes"
    __table_args__ = (Index("ix_qa_disputes_tenant_grade", "tenant_id", "grade_key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    grade_key: Mapped[str] = mapped_column(String(120))
    transcript_id: Mapped[str] = mapped_column(String(200))
    agent: Mapped[str | None] = mapped_column(String(200), default=None)
    raised_by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    element_ids: Mapped[list[str]] = mapped_column(JSON)
    proposed: Mapped[dict[str, Any]] = mapped_column(JSON)
    grader_scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="open")
    decided_by: Mapped[str | None] = mapped_column(String(200), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditRecord(Base):
    """Who did what to which object, when, with the values before and after. Never rewritten."""

    __tablename__ = "qa_audit"
    __table_args__ = (Index("ix_qa_audit_tenant_object", "tenant_id", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = _tenant()
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    object_kind: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str] = mapped_column(String(120))
    grade_key: Mapped[str | None] = mapped_column(String(120), default=None)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditImmutableError(ConflictError):
    """An audit row was about to be changed or deleted: the trail is append-only (409)."""


@event.listens_for(AuditRecord, "before_update")
@event.listens_for(AuditRecord, "before_delete")
def _refuse(_mapper: Mapper[Any], _connection: Any, target: AuditRecord) -> None:
    raise AuditImmutableError(f"audit entry {target.id} is append-only")


class SpotlightAssignment(Base):
    """Who is looking at a spotlighted grade, and how far they are."""

    __tablename__ = "qa_assignments"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey(_TENANT, ondelete="CASCADE"), primary_key=True
    )
    grade_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    assignee: Mapped[str | None] = mapped_column(String(200), default=None)
    status: Mapped[str] = mapped_column(String(16), default="assigned")
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackRecord(Base):
    """A customer's rating of a conversation (CSAT 1..5, NPS 0..10), from a webhook or upload."""

    __tablename__ = "qa_feedback"
    __table_args__ = (UniqueConstraint("tenant_id", "transcript_id", "source"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = _tenant()
    transcript_id: Mapped[str] = mapped_column(String(200))
    csat: Mapped[float | None] = mapped_column(Float, default=None)
    nps: Mapped[float | None] = mapped_column(Float, default=None)
    comment: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookSettings(Base):
    """A tenant's webhook secret per helpdesk, and the URL token for unsigned senders (off: None)."""

    __tablename__ = "qa_webhook_settings"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey(_TENANT, ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    secret: Mapped[str | None] = mapped_column(String(200), default=None)
    url_token: Mapped[str | None] = mapped_column(String(200), default=None)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One delivery seen (by the helpdesk's delivery id): a retry of it is dropped."""

    __tablename__ = "qa_webhook_deliveries"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey(_TENANT, ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    event: Mapped[str] = mapped_column(String(60))
    conversation_key: Mapped[str | None] = mapped_column(String(120), default=None)
    outcome: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookMessage(Base):
    """A message of a conversation still open, kept until it resolves."""

    __tablename__ = "qa_webhook_messages"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey(_TENANT, ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    conversation_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class LiveConversation(Base):
    """A helpdesk conversation queued for grading: one row, so it is graded once."""

    __tablename__ = "qa_live_conversations"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey(_TENANT, ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20), primary_key=True)
    conversation_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    transcript_id: Mapped[str] = mapped_column(String(200))
    job_id: Mapped[str | None] = mapped_column(String(40), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
