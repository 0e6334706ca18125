"""The QA view of one stored grade: the grade, who handled the conversation, and the customer's word.

Spotlight, dashboards and patterns all read `QAItem`s, so they work the same on rows from
the database and on grades held in memory (tests, the CLI on a grades file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from grader._results import Grade, Verdict

__all__ = [
    "GROUPINGS",
    "PERIODS",
    "Feedback",
    "Grouping",
    "Period",
    "QAItem",
    "element_percent",
    "failed_verdicts",
    "period_start",
]

Grouping = Literal["agent", "team", "location"]
GROUPINGS: tuple[Grouping, ...] = ("agent", "team", "location")
Period = Literal["day", "week", "month"]
PERIODS: tuple[Period, ...] = ("day", "week", "month")
#: A verdict at or under this share of its scale is a failure (1 of 3 on cx_core).
FAIL_SHARE = 1 / 3


@dataclass(frozen=True)
class Feedback:
    """What the customer said: CSAT on 1..5 and/or NPS on 0..10."""

    csat: float | None = None
    nps: float | None = None
    comment: str = ""
    source: str = "metadata"


@dataclass(frozen=True)
class QAItem:
    """One graded conversation as QA reads it."""

    grade_id: str
    grade: Grade
    graded_at: datetime
    agent: str | None = None
    team: str | None = None
    location: str | None = None
    feedback: Feedback | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def transcript_id(self) -> str:
        """The conversation's id."""
        return self.grade.transcript_id

    def group(self, by: Grouping) -> str | None:
        """The agent, team or location this conversation counts for."""
        value: str | None = getattr(self, by)
        return value

    @property
    def dimensions(self) -> dict[str, float]:
        """Dimension id -> score on 0-100, for the dimensions that applied."""
        return {d.dimension_id: d.score for d in self.grade.dimensions if d.score is not None}

    @property
    def elements(self) -> dict[str, float]:
        """Element id -> score as a percent of its scale, for scored verdicts."""
        return {
            v.element_id: pct
            for v in self.grade.verdicts
            if (pct := element_percent(v)) is not None
        }


def element_percent(verdict: Verdict) -> float | None:
    """A scored verdict on 0-100 (its score over its scale); None when N/A or uncertain."""
    if verdict.score is None or verdict.max_score <= 0:
        return None
    return 100.0 * verdict.score / verdict.max_score


def failed_verdicts(grade: Grade) -> list[Verdict]:
    """Scored verdicts at or under a third of their scale: what a lead calls a failure."""
    return [
        v
        for v in grade.verdicts
        if v.score is not None and v.max_score > 0 and v.score / v.max_score <= FAIL_SHARE
    ]


def period_start(when: datetime, period: Period) -> datetime:
    """The start (UTC midnight) of the day, ISO week (Monday) or month holding `when`."""
    day = when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)
