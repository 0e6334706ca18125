"""Scores from verdicts, in code: element → dimension → overall, with auto-fail.

Element scores are normalised to 0..1 by their scale; a dimension is the weighted mean of
its applicable elements (weights re-normalised over them); the overall is the weighted
mean of scored dimensions under the scenario's profile, on 0..100. A critical element
scored 0 sets the overall to 0 and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader._results import DimensionScore, Verdict
from grader._rubric import Rubric, WeightProfile

__all__ = ["Scores", "score_verdicts"]

#: A dimension a profile does not name keeps this weight.
DEFAULT_DIMENSION_WEIGHT = 1.0


@dataclass(frozen=True)
class Scores:
    """Dimension scores, the overall score and any auto-fail reasons."""

    dimensions: list[DimensionScore]
    overall: float | None
    auto_fail_reasons: list[str]


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for _, w in pairs)
    return None if total <= 0 else sum(v * w for v, w in pairs) / total


def score_verdicts(rubric: Rubric, profile: WeightProfile, verdicts: list[Verdict]) -> Scores:
    """Compute every score from verdicts (which carry their effective weights)."""
    by_id = {v.element_id: v for v in verdicts}
    dimensions: list[DimensionScore] = []
    for dim in rubric.dimensions:
        applicable = [by_id[e.id] for e in dim.elements if e.id in by_id and by_id[e.id].applicable]
        mean = _weighted_mean(
            [(v.score / v.max_score, v.weight) for v in applicable if v.score is not None]
        )
        dimensions.append(
            DimensionScore(
                dimension_id=dim.id,
                name=dim.name,
                score=None if mean is None else round(100 * mean, 2),
                weight=profile.dimensions.get(dim.id, DEFAULT_DIMENSION_WEIGHT),
                applicable_elements=len(applicable),
            )
        )
    overall = _weighted_mean([(d.score, d.weight) for d in dimensions if d.score is not None])
    reasons = [
        f"{e.id}: critical element scored 0 ({by_id[e.id].rationale or e.levels[0]})"
        for e in rubric.elements
        if e.critical and e.id in by_id and by_id[e.id].score == 0
    ]
    if reasons:
        overall = 0.0
    return Scores(dimensions, None if overall is None else round(overall, 2), reasons)
