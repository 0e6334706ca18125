"""Dashboard figures from graded conversations; every figure carries the count behind it.

Scores are on 0-100: the grade's overall and dimension scores as graded, an element's score
as a percent of its scale. Means skip what did not apply (N/A, uncertain), so `n` says how
many conversations a mean stands on, and a figure on one conversation reads as such.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from statistics import fmean, pstdev
from typing import Literal

from pydantic import BaseModel, Field

from app.qa._items import Grouping, Period, QAItem, period_start

__all__ = [
    "ConsistencyRow",
    "Figure",
    "GroupFigure",
    "GroupRow",
    "Improvement",
    "Measure",
    "TrendPoint",
    "breakdown",
    "consistency",
    "most_improved",
    "scores_over_time",
]

Measure = Literal["overall", "dimension", "element"]


class Figure(BaseModel):
    """A mean and how many values it is the mean of (None when there were none)."""

    mean: float | None
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Figure:
        """The mean of `values`, rounded to 0.01."""
        return cls(mean=round(fmean(values), 2) if values else None, n=len(values))


class TrendPoint(BaseModel):
    """One measure's mean in one period."""

    period: datetime
    key: str = Field(description="'overall', a dimension id or an element id.")
    mean: float
    n: int


def _values(item: QAItem, measure: Measure) -> dict[str, float]:
    if measure == "overall":
        return {"overall": item.grade.overall} if item.grade.overall is not None else {}
    return item.dimensions if measure == "dimension" else item.elements


def scores_over_time(
    items: Iterable[QAItem], *, measure: Measure = "dimension", period: Period = "week"
) -> list[TrendPoint]:
    """Mean score per period and key, oldest period first."""
    cells: dict[tuple[datetime, str], list[float]] = defaultdict(list)
    for item in items:
        start = period_start(item.graded_at, period)
        for key, value in _values(item, measure).items():
            cells[(start, key)].append(value)
    return [
        TrendPoint(period=start, key=key, mean=round(fmean(vals), 2), n=len(vals))
        for (start, key), vals in sorted(cells.items())
    ]


class GroupRow(BaseModel):
    """One agent, team or location: its scores, failure rates and customer ratings."""

    group: str
    conversations: int
    overall: Figure
    dimensions: dict[str, Figure]
    elements: dict[str, Figure]
    auto_failed: int
    needs_review: int
    csat: Figure
    nps: Figure


def _grouped(items: Iterable[QAItem], by: Grouping) -> dict[str, list[QAItem]]:
    groups: dict[str, list[QAItem]] = defaultdict(list)
    for item in items:
        key = item.group(by)
        if key:
            groups[key].append(item)
    return dict(sorted(groups.items()))


def _rating(items: list[QAItem], pick: Callable[[QAItem], float | None]) -> Figure:
    return Figure.of([v for i in items if (v := pick(i)) is not None])


def breakdown(items: Iterable[QAItem], by: Grouping) -> list[GroupRow]:
    """Scores by agent, team or location (conversations without one are left out)."""
    rows = []
    for group, members in _grouped(items, by).items():
        dims: dict[str, list[float]] = defaultdict(list)
        elements: dict[str, list[float]] = defaultdict(list)
        for item in members:
            for key, value in item.dimensions.items():
                dims[key].append(value)
            for key, value in item.elements.items():
                elements[key].append(value)
        rows.append(
            GroupRow(
                group=group,
                conversations=len(members),
                overall=_rating(members, lambda i: i.grade.overall),
                dimensions={k: Figure.of(v) for k, v in sorted(dims.items())},
                elements={k: Figure.of(v) for k, v in sorted(elements.items())},
                auto_failed=sum(i.grade.auto_failed for i in members),
                needs_review=sum(i.grade.needs_review for i in members),
                csat=_rating(members, lambda i: i.feedback.csat if i.feedback else None),
                nps=_rating(members, lambda i: i.feedback.nps if i.feedback else None),
            )
        )
    return rows


class GroupFigure(BaseModel):
    """A group's mean on one measure, and how far it sits from everyone's."""

    group: str
    mean: float
    n: int
    z: float | None = Field(
        description="(group mean - overall mean) / (sd of all scores / sqrt(n)); None if sd is 0."
    )
    outlier: bool


class ConsistencyRow(BaseModel):
    """How consistent one measure is across the groups."""

    measure: str
    mean: float
    sd: float = Field(description="Standard deviation of all conversations' scores.")
    n: int
    groups: list[GroupFigure]
    spread: float | None = Field(description="Highest minus lowest group mean (groups >= min_n).")
    between_sd: float | None = Field(description="Standard deviation of those group means.")
    outliers: list[str]


def _consistency_row(
    measure: str, by_group: dict[str, list[float]], *, min_n: int, z_limit: float
) -> ConsistencyRow:
    everything = [v for vals in by_group.values() for v in vals]
    mean, sd = fmean(everything), pstdev(everything)
    figures = []
    for group, vals in by_group.items():
        g_mean = fmean(vals)
        z = (g_mean - mean) / (sd / math.sqrt(len(vals))) if sd > 0 else None
        outlier = z is not None and len(vals) >= min_n and abs(z) >= z_limit
        figures.append(
            GroupFigure(
                group=group,
                mean=round(g_mean, 2),
                n=len(vals),
                z=None if z is None else round(z, 2),
                outlier=outlier,
            )
        )
    counted = [fmean(v) for v in by_group.values() if len(v) >= min_n]
    return ConsistencyRow(
        measure=measure,
        mean=round(mean, 2),
        sd=round(sd, 2),
        n=len(everything),
        groups=figures,
        spread=round(max(counted) - min(counted), 2) if counted else None,
        between_sd=round(pstdev(counted), 2) if counted else None,
        outliers=[f.group for f in figures if f.outlier],
    )


def consistency(
    items: Iterable[QAItem], by: Grouping, *, min_n: int = 5, z_limit: float = 2.0
) -> list[ConsistencyRow]:
    """Overall and each dimension across teams or locations: spread, and groups that stand out."""
    cells: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for group, members in _grouped(items, by).items():
        for item in members:
            for key, value in _values(item, "overall").items():
                cells[key][group].append(value)
            for key, value in item.dimensions.items():
                cells[key][group].append(value)
    order = ["overall", *sorted(k for k in cells if k != "overall")]
    return [
        _consistency_row(m, dict(cells[m]), min_n=min_n, z_limit=z_limit)
        for m in order
        if m in cells
    ]


class Improvement(BaseModel):
    """A group's mean overall score before and after, and the change."""

    group: str
    before: Figure
    after: Figure
    change: float


def most_improved(
    items: Iterable[QAItem],
    by: Grouping,
    *,
    before: tuple[datetime, datetime],
    after: tuple[datetime, datetime],
    min_n: int = 3,
    limit: int | None = 10,
) -> list[Improvement]:
    """Groups whose mean overall rose most from the `before` window to the `after` one.

    Windows are half-open [start, end); a group needs `min_n` graded conversations in each.
    """
    windows: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for item in items:
        key, overall = item.group(by), item.grade.overall
        if not key or overall is None:
            continue
        if before[0] <= item.graded_at < before[1]:
            windows[key][0].append(overall)
        elif after[0] <= item.graded_at < after[1]:
            windows[key][1].append(overall)
    rows = [
        Improvement(
            group=group,
            before=Figure.of(old),
            after=Figure.of(new),
            change=round(fmean(new) - fmean(old), 2),
        )
        for group, (old, new) in windows.items()
        if len(old) >= min_n and len(new) >= min_n
    ]
    rows.sort(key=lambda r: (-r.change, r.group))
    return rows[:limit] if limit else rows
