"""The spotlight queue: graded conversations in the order a lead should open them, each with why.

Every reason carries a weight and the entry's priority is their sum, so a conversation that
was escalated *and* left the customer unhappy comes before one that was only escalated.
The weights put critical failures, unrecovered customers and escalations first, then
suspected injections and grades the grader itself doubts, then plain low scores.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from app.qa._items import QAItem

__all__ = ["REASON_WEIGHTS", "ReasonKind", "SpotlightEntry", "SpotlightReason", "spotlight"]

ReasonKind = Literal[
    "critical_failure",
    "unhappy_unrecovered",
    "unhappy_unknown",
    "escalated",
    "transfer",
    "suspected_injection",
    "unscored",
    "needs_review",
    "unstable",
    "low_score",
    "unhappy_recovered",
]
REASON_WEIGHTS: dict[ReasonKind, float] = {
    "critical_failure": 100,
    "unhappy_unrecovered": 80,
    "escalated": 60,
    "unhappy_unknown": 50,
    "suspected_injection": 50,
    "unscored": 45,
    "transfer": 40,
    "needs_review": 35,
    "unstable": 25,
    "unhappy_recovered": 15,
    "low_score": 10,  # plus up to 30 more the lower the score
}
_UNHAPPY_STATES = frozenset({"frustrated", "angry"})
#: Agreement under this between judges makes a verdict unstable.
_UNSTABLE_AGREEMENT = 0.5


class SpotlightReason(BaseModel):
    """One reason a conversation is in the queue."""

    kind: ReasonKind
    detail: str
    weight: float


class SpotlightEntry(BaseModel):
    """A conversation in the queue: how urgent, and why."""

    grade_id: str
    transcript_id: str
    priority: float
    reasons: list[SpotlightReason]
    overall: float | None
    agent: str | None = None
    team: str | None = None
    location: str | None = None
    graded_at: datetime
    assignee: str | None = Field(default=None, description="The reviewer it is assigned to.")
    status: str = Field(
        default="open", description="open | assigned | in_review | done | dismissed"
    )


def _reason(kind: ReasonKind, detail: str, extra: float = 0.0) -> SpotlightReason:
    return SpotlightReason(kind=kind, detail=detail, weight=round(REASON_WEIGHTS[kind] + extra, 2))


def _unhappy(item: QAItem) -> SpotlightReason | None:
    """Unhappy by scenario, recovery verdict or the customer's rating, and whether recovered."""
    grade = item.grade
    state = grade.scenario.customer_state if grade.scenario else None
    recovery = next((v for v in grade.verdicts if v.element_id == "recovery"), None)
    csat = item.feedback.csat if item.feedback else None
    nps = item.feedback.nps if item.feedback else None
    rated_low = (csat is not None and csat <= 2) or (nps is not None and nps <= 6)
    rated_high = (csat is not None and csat >= 4) or (nps is not None and nps >= 9)
    unhappy = state in _UNHAPPY_STATES or (recovery is not None and recovery.status == "scored")
    if not unhappy and not rated_low:
        return None
    said = f"customer was {state}" if state in _UNHAPPY_STATES else "customer was unhappy"
    if rated_low:
        rating = f"CSAT {csat:g}" if csat is not None else f"NPS {nps:g}"
        return _reason("unhappy_unrecovered", f"{said}; rated the service {rating}")
    if rated_high:
        return _reason("unhappy_recovered", f"{said}, then rated it well (recovered)")
    if recovery is not None and recovery.score is not None:
        share = recovery.score / recovery.max_score
        level = f"recovery {recovery.score}/{recovery.max_score}"
        if share >= 2 / 3:
            return _reason("unhappy_recovered", f"{said}; recovered ({level})")
        return _reason("unhappy_unrecovered", f"{said}; not recovered ({level})")
    return _reason("unhappy_unknown", f"{said}; whether they were recovered is unknown")


def _escalations(item: QAItem) -> list[SpotlightReason]:
    signals = item.grade.signals
    if signals is None:
        return []
    kinds = {e.kind for e in signals.escalations}
    out = []
    if "bot_to_human" in kinds:
        out.append(_reason("escalated", "escalated from the bot to a human agent"))
    if "to_supervisor" in kinds:
        out.append(_reason("escalated", "escalated from tier 1 to a senior (supervisor joined)"))
    if "transfer_announced" in kinds and not out:
        out.append(_reason("transfer", "a transfer or escalation was announced"))
    return out


def reasons_for(item: QAItem, *, low_score: float = 60.0) -> list[SpotlightReason]:
    """Every reason this conversation deserves a look (empty: it does not)."""
    grade = item.grade
    reasons: list[SpotlightReason] = []
    if grade.auto_failed:
        why = "; ".join(grade.auto_fail_reasons) or "a critical element scored 0"
        reasons.append(_reason("critical_failure", f"critical failure: {why}"))
    if (unhappy := _unhappy(item)) is not None:
        reasons.append(unhappy)
    reasons += _escalations(item)
    if grade.injection:
        reasons.append(
            _reason("suspected_injection", f"suspected prompt injection: {grade.injection[0]}")
        )
    if grade.status == "unscored":
        reasons.append(
            _reason("unscored", f"could not be graded: {grade.error or 'no reason given'}")
        )
    other = [r for r in grade.review_reasons if "injection" not in r]
    if grade.needs_review and other:
        reasons.append(_reason("needs_review", "the grader asks for review: " + "; ".join(other)))
    unstable = [
        v.element_id
        for v in grade.verdicts
        if v.status == "uncertain"
        or (v.agreement is not None and v.agreement < _UNSTABLE_AGREEMENT)
    ]
    if unstable:
        reasons.append(
            _reason("unstable", "judges disagree or are unsure on " + ", ".join(unstable))
        )
    if grade.overall is not None and grade.overall < low_score:
        extra = 30 * (low_score - grade.overall) / low_score
        reasons.append(_reason("low_score", f"low score {grade.overall:.0f}/100", extra))
    return reasons


def _order(entry: SpotlightEntry) -> tuple[float, float, float]:
    overall = entry.overall if entry.overall is not None else 101.0
    return (-entry.priority, overall, -entry.graded_at.timestamp())


def spotlight(
    items: Iterable[QAItem], *, low_score: float = 60.0, limit: int | None = None
) -> list[SpotlightEntry]:
    """The queue: conversations with at least one reason, most urgent first."""
    entries = []
    for item in items:
        reasons = reasons_for(item, low_score=low_score)
        if not reasons:
            continue
        reasons.sort(key=lambda r: -r.weight)
        entries.append(
            SpotlightEntry(
                grade_id=item.grade_id,
                transcript_id=item.transcript_id,
                priority=round(sum(r.weight for r in reasons), 2),
                reasons=reasons,
                overall=item.grade.overall,
                agent=item.agent,
                team=item.team,
                location=item.location,
                graded_at=item.graded_at,
            )
        )
    entries.sort(key=_order)
    return entries[:limit] if limit else entries
