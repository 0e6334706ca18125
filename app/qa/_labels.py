"""Gold labels from the store: accepted reviews as a calibration set, and the grader's drift.

The export is the `evals/` JSONL format (`grader eval` and `grader calibrate` read it back);
a conversation whose transcript the service did not keep cannot be exported and is counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app._errors import NotFoundError
from app.qa._gold import AgreementPoint, GoldLabel, agreement_over_time, gold_records
from app.qa._items import Period
from app.qa._source import get_graded, qa_items
from app.qa._tables import ReviewRecord
from grader._transcript import Transcript

__all__ = ["GoldExport", "accepted_labels", "export_gold", "reviewer_agreement"]


def accepted_labels(session: Session, tenant_id: str) -> list[GoldLabel]:
    """Every element label of the tenant's accepted reviews, oldest decision first."""
    rows = session.scalars(
        select(ReviewRecord)
        .where(ReviewRecord.tenant_id == tenant_id, ReviewRecord.status == "accepted")
        .order_by(ReviewRecord.decided_at, ReviewRecord.id)
    )
    return [
        GoldLabel(
            transcript_id=r.transcript_id,
            element_id=element,
            reviewer=r.reviewer,
            score=score,
            grader_score=r.grader_scores.get(element),
            decided_at=r.decided_at or r.created_at,
            reason=r.reason,
        )
        for r in rows
        for element, score in r.labels.items()
    ]


@dataclass(frozen=True)
class GoldExport:
    """A gold calibration set: its lines, the grader's grades, what was left out.

    The grades (features for `grader calibrate --grades`) are the grader's own of the same
    conversations; a conversation without a kept transcript is left out and named.
    """

    lines: list[str]
    missing_transcripts: list[str]
    grades: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The JSONL file's content."""
        return "".join(line + "\n" for line in self.lines)


def export_gold(session: Session, tenant_id: str) -> GoldExport:
    """The tenant's gold labels as an `evals/` calibration set."""
    rows = session.scalars(
        select(ReviewRecord).where(
            ReviewRecord.tenant_id == tenant_id, ReviewRecord.status == "accepted"
        )
    ).all()
    transcripts: dict[str, Transcript] = {}
    grades: dict[str, str] = {}
    missing: list[str] = []
    for row in rows:
        if row.transcript_id in transcripts or row.transcript_id in missing:
            continue
        try:
            stored = get_graded(session, tenant_id, row.grade_key)
        except NotFoundError:
            stored = None
        if stored is not None and stored.transcript is not None:
            transcripts[row.transcript_id] = stored.transcript
            grades[row.transcript_id] = stored.grade.model_dump_json()
        else:
            missing.append(row.transcript_id)
    rated = {
        i.transcript_id: {
            k: v for k, v in (("csat", i.feedback.csat), ("nps", i.feedback.nps)) if v is not None
        }
        for i in qa_items(session, tenant_id)
        if i.transcript_id in transcripts and i.feedback is not None
    }
    lines = gold_records(
        accepted_labels(session, tenant_id), transcripts, source=f"qa:{tenant_id}", outcomes=rated
    )
    return GoldExport(lines, sorted(missing), [grades[t] for t in sorted(grades)])


def reviewer_agreement(
    session: Session, tenant_id: str, *, period: Period = "week"
) -> list[AgreementPoint]:
    """How often accepted reviews agreed with the grader, per element and period."""
    return agreement_over_time(accepted_labels(session, tenant_id), period=period)
