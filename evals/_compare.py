"""The grader next to the people: per-element agreement, score and outcome correlations.

Humans label elements, not scores, so a rater's overall and dimension scores are computed
from their labels with the grader's own scoring code (`score_verdicts`) under the weight
profile the grader chose for that transcript: any difference is then in the labels, not in
the arithmetic. With several samples per transcript the grader's element score is the
consensus of its samples and its scores are their mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import BaseModel

from evals._agreement import (
    Estimate,
    NaAgreement,
    consensus,
    mean_or_none,
    na_agreement,
    one_vs_rest,
    ordinal_alpha,
    rank_correlations,
    score_confusion,
    weighted_kappa,
)
from evals._sets import CalibrationItem, CalibrationSet
from grader._results import Grade, Verdict
from grader._rubric import Rubric, WeightProfile
from grader._scoring import Scores, score_verdicts

__all__ = [
    "Correlation",
    "ElementResult",
    "GraderView",
    "HumanView",
    "OutcomeResult",
    "element_results",
    "grader_view",
    "human_view",
    "outcome_results",
    "score_results",
]


@dataclass
class GraderView:
    """What the grader said about one transcript, folded over its samples."""

    elements: dict[str, int | None]
    overall: float | None
    dimensions: dict[str, float | None]
    profile_id: str | None
    #: Each element's combined judge value before rounding to a level (0..top), for ranks.
    values: dict[str, float | None] = field(default_factory=dict)


@dataclass
class HumanView:
    """What the raters said about one transcript, on the grader's scales."""

    consensus: dict[str, int | None]
    labels: dict[str, dict[str, int | None]]
    overall_by_rater: dict[str, float | None] = field(default_factory=dict)
    dimensions_by_rater: dict[str, dict[str, float | None]] = field(default_factory=dict)

    @property
    def overall(self) -> float | None:
        """Mean of the raters' overall scores."""
        return mean_or_none([v for v in self.overall_by_rater.values() if v is not None])

    def dimension(self, dimension_id: str) -> float | None:
        """Mean of the raters' scores for one dimension."""
        values = [d.get(dimension_id) for d in self.dimensions_by_rater.values()]
        return mean_or_none([v for v in values if v is not None])


class ElementResult(BaseModel):
    """Agreement on one element between the grader and the raters."""

    element_id: str
    dimension_id: str
    max_level: int
    n: int
    kappa: Estimate
    kappa_by_rater: dict[str, Estimate]
    exact: float | None
    within_one: float | None
    mae: float | None
    bias: float | None
    grader_mean: float | None
    human_mean: float | None
    confusion: list[list[int]]
    na: NaAgreement | None
    alpha_humans: Estimate
    alpha_with_grader: Estimate


class Correlation(BaseModel):
    """Rank agreement between one grader score and the human mean, with the human ceiling."""

    target: str
    spearman: Estimate
    kendall: Estimate
    human_vs_rest: Estimate | None = None
    mae: float | None = None


class OutcomeResult(BaseModel):
    """One outcome rating (e.g. customer satisfaction) against the grader's scores."""

    outcome: str
    scale: tuple[float, float]
    raters: int
    items: int
    alpha_humans: Estimate
    human_vs_rest: Estimate
    correlations: list[Correlation]


def grader_view(samples: Sequence[Grade], rubric: Rubric) -> GraderView | None:
    """The grader's answer for one transcript, or None when no sample was graded."""
    graded = [g for g in samples if g.status == "graded"]
    if not graded:
        return None
    elements = {}
    values: dict[str, float | None] = {}
    for element in rubric.elements:
        mine = [v for g in graded for v in g.verdicts if v.element_id == element.id]
        scores = [v.score for v in mine]
        if scores:
            elements[element.id] = consensus(scores)
            values[element.id] = mean_or_none([v.value for v in mine if v.value is not None])
    dimensions = {
        d.id: mean_or_none(
            [
                s.score
                for g in graded
                for s in g.dimensions
                if s.dimension_id == d.id and s.score is not None
            ]
        )
        for d in rubric.dimensions
    }
    overall = mean_or_none([g.overall for g in graded if g.overall is not None])
    return GraderView(elements, overall, dimensions, graded[0].weight_profile, values)


def _profile(rubric: Rubric, profile_id: str | None) -> WeightProfile:
    by_id = {p.id: p for p in rubric.weight_profiles}
    default = next(p for p in rubric.weight_profiles if not p.when)
    return by_id.get(profile_id or "", default)


def score_labels(rubric: Rubric, profile: WeightProfile, labels: dict[str, int | None]) -> Scores:
    """A rater's labels scored exactly as the grader's verdicts would be."""
    verdicts = [
        Verdict(
            element_id=e.id,
            dimension_id=rubric.dimension_of(e.id).id,
            score=labels[e.id],
            max_score=e.max_level,
            rationale="human label",
            evidence=[],
            weight=e.weight * profile.elements.get(e.id, 1.0),
        )
        for e in rubric.elements
        if e.id in labels
    ]
    return score_verdicts(rubric, profile, verdicts)


def human_view(item: CalibrationItem, rubric: Rubric, profile_id: str | None) -> HumanView:
    """The raters' consensus per element and their scores under the grader's profile."""
    view = HumanView(
        consensus={
            e.id: consensus(list(labels.values()))
            for e in rubric.elements
            if (labels := item.element_labels(e.id))
        },
        labels=item.labels,
    )
    profile = _profile(rubric, profile_id)
    for rater, labels in item.labels.items():
        scores = score_labels(rubric, profile, labels)
        view.overall_by_rater[rater] = scores.overall
        view.dimensions_by_rater[rater] = {d.dimension_id: d.score for d in scores.dimensions}
    return view


def _pairs(
    views: list[tuple[HumanView, GraderView]], element_id: str, rater: str | None = None
) -> tuple[list[int], list[int]]:
    human, grader = [], []
    for h, g in views:
        source = h.consensus if rater is None else h.labels.get(rater, {})
        hs, gs = source.get(element_id), g.elements.get(element_id)
        if hs is not None and gs is not None:
            human.append(hs)
            grader.append(gs)
    return human, grader


def element_results(
    rubric: Rubric, raters: list[str], views: list[tuple[HumanView, GraderView]]
) -> list[ElementResult]:
    """Every agreement statistic for every element some rater labelled."""
    out = []
    for element in rubric.elements:
        labelled = [(h, g) for h, g in views if element.id in h.consensus]
        if not labelled:
            continue
        human, grader = _pairs(labelled, element.id)
        diffs = np.subtract(grader, human) if human else np.array([])
        domain = list(range(element.max_level + 1))
        rows = [[h.labels.get(r, {}).get(element.id) for h, _ in labelled] for r in raters]
        with_grader = [*rows, [g.elements.get(element.id) for _, g in labelled]]
        na = None
        if element.na_when:
            both = [(h, g) for h, g in labelled if element.id in g.elements]
            na = na_agreement(
                [h.consensus[element.id] is None for h, _ in both],
                [g.elements[element.id] is None for _, g in both],
            )
        out.append(
            ElementResult(
                element_id=element.id,
                dimension_id=rubric.dimension_of(element.id).id,
                max_level=element.max_level,
                n=len(human),
                kappa=weighted_kappa(human, grader, element.max_level),
                kappa_by_rater={
                    r: weighted_kappa(*_pairs(labelled, element.id, r), element.max_level)
                    for r in raters
                },
                exact=float(np.mean(diffs == 0)) if human else None,
                within_one=float(np.mean(np.abs(diffs) <= 1)) if human else None,
                mae=float(np.mean(np.abs(diffs))) if human else None,
                bias=float(np.mean(diffs)) if human else None,
                grader_mean=mean_or_none(grader),
                human_mean=mean_or_none(human),
                confusion=score_confusion(human, grader, element.max_level),
                na=na,
                alpha_humans=ordinal_alpha(rows, domain),
                alpha_with_grader=ordinal_alpha(with_grader, domain),
            )
        )
    return out


def _correlation(
    target: str,
    grader: list[float | None],
    human: list[float | None],
    rater_rows: list[list[float | None]] | None,
    resamples: int,
    seed: int,
) -> Correlation:
    pairs = [(g, h) for g, h in zip(grader, human, strict=True) if g is not None and h is not None]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    stats = rank_correlations(xs, ys, resamples=resamples, seed=seed)
    return Correlation(
        target=target,
        spearman=stats["spearman"],
        kendall=stats["kendall"],
        human_vs_rest=one_vs_rest(rater_rows) if rater_rows is not None else None,
        mae=float(np.mean(np.abs(np.subtract(xs, ys)))) if pairs else None,
    )


def score_results(
    rubric: Rubric,
    raters: list[str],
    views: list[tuple[HumanView, GraderView]],
    *,
    resamples: int,
    seed: int,
) -> list[Correlation]:
    """Overall and per-dimension scores (0-100) against the raters' mean."""
    out = [
        _correlation(
            "overall",
            [g.overall for _, g in views],
            [h.overall for h, _ in views],
            [[h.overall_by_rater.get(r) for h, _ in views] for r in raters],
            resamples,
            seed,
        )
    ]
    for d in rubric.dimensions:
        out.append(
            _correlation(
                f"dimension.{d.id}",
                [g.dimensions.get(d.id) for _, g in views],
                [h.dimension(d.id) for h, _ in views],
                [[h.dimensions_by_rater.get(r, {}).get(d.id) for h, _ in views] for r in raters],
                resamples,
                seed,
            )
        )
    return out


def outcome_results(
    cset: CalibrationSet,
    rubric: Rubric,
    pairs: list[tuple[CalibrationItem, GraderView]],
    *,
    resamples: int,
    seed: int,
) -> list[OutcomeResult]:
    """Each outcome's human mean against the grader's overall, dimension and focus scores.

    A focus element is correlated twice: as the level the grade shows (`element.<id>`) and
    as the judges' combined value it was rounded from (`element_value.<id>`). Rank
    correlation only: the grader's 0-100 and a -2..2 rating need no common scale.
    """
    out = []
    for name in cset.outcome_names:
        rated = [(item, g) for item, g in pairs if item.outcomes.get(name)]
        width = max((len(item.outcomes[name]) for item, _ in rated), default=0)
        rows: list[list[float | None]] = [
            [item.outcomes[name][r] if r < len(item.outcomes[name]) else None for item, _ in rated]
            for r in range(width)
        ]
        human: list[float | None] = [float(np.mean(item.outcomes[name])) for item, _ in rated]
        targets: list[tuple[str, list[float | None]]] = [("overall", [g.overall for _, g in rated])]
        targets += [
            (f"dimension.{d.id}", [g.dimensions.get(d.id) for _, g in rated])
            for d in rubric.dimensions
        ]
        targets += [
            (f"element.{e}", [_as_float(g.elements.get(e)) for _, g in rated])
            for e in cset.focus_elements
        ]
        # the same verdicts unrounded: a 0..3 level ties most of a corpus, its value does not
        targets += [
            (f"element_value.{e}", [g.values.get(e) for _, g in rated]) for e in cset.focus_elements
        ]
        low, high = cset.outcome_scale(name)
        domain = sorted({v for row in rows for v in row if v is not None} | {low, high})
        out.append(
            OutcomeResult(
                outcome=name,
                scale=(low, high),
                raters=width,
                items=len(rated),
                alpha_humans=ordinal_alpha(rows, domain),
                human_vs_rest=one_vs_rest(rows),
                correlations=[
                    _correlation(t, values, human, None, resamples, seed) for t, values in targets
                ],
            )
        )
    return out


def _as_float(value: int | None) -> float | None:
    return None if value is None else float(value)
