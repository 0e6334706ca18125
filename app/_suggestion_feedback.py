"""What agents did with the coach's suggestions: used as is, edited (and how much), rejected.

The sidebar posts one row per decision. Edit distance is computed here, not trusted from the
page: it measures how far the sent reply moved from the suggestion, the coach's own
"how usable was it" figure. Rows are append-only like every other record of a decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator
from rapidfuzz.distance import Levenshtein
from sqlalchemy import ForeignKey, Index, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.storage._base import Base, new_id, utcnow

__all__ = [
    "FeedbackCounts",
    "FeedbackIn",
    "Outcome",
    "SuggestionFeedbackRecord",
    "feedback_counts",
    "list_feedback",
    "record_feedback",
]

Outcome = Literal["accepted", "edited", "rejected"]
_TEXT = 8000


class SuggestionFeedbackRecord(Base):
    """One agent decision on one suggestion."""

    __tablename__ = "suggestion_feedback"
    __table_args__ = (Index("ix_suggestion_feedback_tenant_created", "tenant_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    key_id: Mapped[str | None] = mapped_column(String(40), default=None)
    suggestion_id: Mapped[str | None] = mapped_column(String(80), default=None)
    conversation_id: Mapped[str | None] = mapped_column(String(200), default=None)
    outcome: Mapped[str] = mapped_column(String(16))
    draft: Mapped[str] = mapped_column(Text, default="")
    suggested: Mapped[str] = mapped_column(Text)
    final: Mapped[str | None] = mapped_column(Text, default=None)
    edit_distance: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackIn(BaseModel):
    """The sidebar's report: what was suggested, what the agent sent, and the verdict."""

    outcome: Outcome
    suggested: str = Field(min_length=1, max_length=_TEXT)
    final: str | None = Field(default=None, max_length=_TEXT)
    draft: str = Field(default="", max_length=_TEXT)
    suggestion_id: str | None = Field(default=None, max_length=80)
    conversation_id: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _final_matches_outcome(self) -> FeedbackIn:
        """Edited needs the sent text and a change; accepted means the text was sent unchanged."""
        if self.outcome == "edited":
            if not self.final or not self.final.strip():
                raise ValueError("outcome 'edited' needs `final`: the reply the agent sent")
            if self.final == self.suggested:
                raise ValueError("outcome 'edited' but `final` equals `suggested`: use 'accepted'")
        if self.outcome == "accepted" and self.final not in (None, self.suggested):
            raise ValueError("outcome 'accepted' with a different `final`: use 'edited'")
        return self


class FeedbackCounts(BaseModel):
    """How the tenant's agents used the suggestions."""

    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    mean_edit_distance: float | None = None


def record_feedback(
    session: Session, tenant_id: str, feedback: FeedbackIn, *, key_id: str | None = None
) -> SuggestionFeedbackRecord:
    """Store one decision; edited ones get their Levenshtein distance in characters."""
    final = feedback.suggested if feedback.outcome == "accepted" else feedback.final
    distance = (
        Levenshtein.distance(feedback.suggested, final)
        if feedback.outcome != "rejected" and final is not None
        else None
    )
    record = SuggestionFeedbackRecord(
        id=new_id("sfb"), tenant_id=tenant_id, key_id=key_id,
        suggestion_id=feedback.suggestion_id, conversation_id=feedback.conversation_id,
        outcome=feedback.outcome, draft=feedback.draft, suggested=feedback.suggested,
        final=final if feedback.outcome != "rejected" else None, edit_distance=distance,
    )  # fmt: skip
    session.add(record)
    session.flush()
    return record


def list_feedback(
    session: Session, tenant_id: str, *, limit: int = 50, offset: int = 0
) -> tuple[list[SuggestionFeedbackRecord], int]:
    """The tenant's decisions, newest first, and how many there are."""
    base = select(SuggestionFeedbackRecord).where(SuggestionFeedbackRecord.tenant_id == tenant_id)
    total = session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = session.scalars(
        base.order_by(SuggestionFeedbackRecord.created_at.desc()).limit(limit).offset(offset)
    )
    return list(rows), total


def feedback_counts(session: Session, tenant_id: str) -> FeedbackCounts:
    """Accepted / edited / rejected counts and the mean edit distance of the edited ones."""
    table = SuggestionFeedbackRecord
    rows = session.execute(
        select(table.outcome, func.count(), func.avg(table.edit_distance))
        .where(table.tenant_id == tenant_id)
        .group_by(table.outcome)
    ).all()
    counts = FeedbackCounts()
    for outcome, n, mean in rows:
        setattr(counts, outcome, int(n))
        if outcome == "edited" and mean is not None:
            counts.mean_edit_distance = round(float(mean), 1)
    return counts
