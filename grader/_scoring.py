"""Scores from verdicts, in code: element → dimension → overall, with auto-fail.

Element scores are normalised to 0..1 by their scale; a dimension is the weighted mean of
its applicable elements (weights re-normalised over them); the overall is the weighted
mean of scored dimensions under the scenario's profile, on 0..100. Uncertain elements drop
out like N/A.

A critical element scored 0 sets the overall to 0 and says why, but only on a confident
verdict (`judging.critical_confidence`) citing agent-side evidence it found (an examined
sentence cited for want of a finding does not count); a verdict without votes
(a human label) is taken as given. A critical 0 short of that, or a judge voting 0 on a
critical element the others outvoted, asks for review instead of zeroing the grade.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader._results import DimensionScore, Verdict
from grader._rubric import Rubric, WeightProfile
from grader._transcript import AGENT_SIDE

__all__ = ["Scores", "score_verdicts"]

#: A dimension a profile does not name keeps this weight.
DEFAULT_DIMENSION_WEIGHT = 1.0


@dataclass(frozen=True)
class Scores:
    """Dimension scores, the overall score and any auto-fail reasons."""

    dimensions: list[DimensionScore]
    overall: float | None
    auto_fail_reasons: list[str]
    review_reasons: list[str] = field(default_factory=list)


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
            [(p / v.max_score, v.weight) for v in applicable if (p := v.points) is not None]
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
    reasons: list[str] = []
    review: list[str] = []
    floor = rubric.judging.confidence_floor
    for e in rubric.elements:
        v = by_id.get(e.id)
        if not e.critical or v is None:
            continue
        if v.score == 0 and _confident_fail(v, rubric.judging.critical_confidence):
            reasons.append(f"{e.id}: critical element scored 0 ({v.rationale or e.levels[0]})")
        elif v.score == 0:
            review.append(
                f"{e.id}: critical element scored 0 without a confident verdict on agent-side "
                f"evidence (confidence {v.confidence:.2f}); not auto-failed"
            )
        elif zero := [x.judge for x in v.votes if x.score == 0 and x.confidence >= floor]:
            review.append(f"{e.id}: {', '.join(zero)} voted 0 on a critical element; outvoted")
    if reasons:
        overall = 0.0
    return Scores(dimensions, None if overall is None else round(overall, 2), reasons, review)


def _confident_fail(v: Verdict, threshold: float) -> bool:
    if not v.votes:  # a label given by a person (or an old grade): taken as given
        return True
    found = [ev for ev in v.evidence if not ev.examined]  # a finding, not a sentence looked at
    return v.confidence >= threshold and any(ev.role in AGENT_SIDE for ev in found)
