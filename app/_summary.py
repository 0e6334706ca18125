"""Aggregates over grades: per dimension, per element, flags and usage.

The CLI draws these as tables after a run, the API returns them for a tenant's grades.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from statistics import mean

from pydantic import BaseModel

from grader._results import Grade
from grader._rubric import Rubric

__all__ = ["DimensionSummary", "ElementSummary", "GradeSummary", "UsageSummary", "summarize"]


class DimensionSummary(BaseModel):
    """A dimension's mean score (0-100) over graded transcripts that scored it."""

    dimension_id: str
    name: str
    mean: float | None
    scored_in: int


class ElementSummary(BaseModel):
    """An element's mean level, how often it was N/A (or uncertain), how often 0."""

    element_id: str
    critical: bool
    max_level: int
    mean: float | None
    not_scored: int
    zeros: int


class UsageSummary(BaseModel):
    """What the grades cost."""

    calls: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    seconds_per_transcript: float | None = None


class GradeSummary(BaseModel):
    """Everything a run or a dashboard shows about a set of grades."""

    transcripts: int
    graded: int
    overall_mean: float | None
    dimensions: list[DimensionSummary]
    elements: list[ElementSummary]
    flags: dict[str, int]
    usage: UsageSummary


def _mean(values: list[float]) -> float | None:
    return round(mean(values), 2) if values else None


def summarize(grades: Iterable[Grade], rubric: Rubric) -> GradeSummary:
    """The aggregate of `grades` against `rubric` (elements it lacks are ignored)."""
    grades = list(grades)
    graded = [g for g in grades if g.status == "graded"]
    dimensions = []
    for d in rubric.dimensions:
        scores = [s.score for g in graded for s in g.dimensions
                  if s.dimension_id == d.id and s.score is not None]  # fmt: skip
        dimensions.append(DimensionSummary(dimension_id=d.id, name=d.name, mean=_mean(scores),
                                           scored_in=len(scores)))  # fmt: skip
    elements = []
    for el in rubric.elements:
        verdicts = [v for g in graded for v in g.verdicts if v.element_id == el.id]
        scored = [float(v.score) for v in verdicts if v.score is not None]
        elements.append(
            ElementSummary(
                element_id=el.id, critical=el.critical, max_level=el.max_level,
                mean=_mean(scored), not_scored=len(verdicts) - len(scored),
                zeros=scored.count(0),
            )
        )  # fmt: skip
    seconds = [g.seconds for g in graded if not g.cached]
    usage = UsageSummary(
        calls=sum(g.usage.calls for g in grades),
        cached=sum(g.cached for g in grades),
        prompt_tokens=sum(g.usage.prompt_tokens for g in grades),
        completion_tokens=sum(g.usage.completion_tokens for g in grades),
        cost_usd=round(sum(g.usage.cost_usd for g in grades), 6),
        seconds_per_transcript=_mean(seconds),
    )
    overall = [g.overall for g in graded if g.overall is not None]
    flags = Counter(f for g in grades for f in g.flags)
    return GradeSummary(
        transcripts=len(grades), graded=len(graded), overall_mean=_mean(overall),
        dimensions=dimensions, elements=elements, flags=dict(flags.most_common()), usage=usage,
    )  # fmt: skip
