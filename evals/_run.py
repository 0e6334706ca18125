"""An eval run is composition: calibration set + grader + metrics.

    report = await run_eval([load_set("evals/sets/example", rubric)], rubric_grader(rubric, llm),
                            rubric=rubric, model=llm.model)

Each set's transcripts are graded `samples` times; the metrics compare the grader with the
people (`_compare`), measure its stability (`_stability`) and what calibration would gain
(`_calibration`), and every number is also flattened into `metrics`, the names a gate uses.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from pydantic import BaseModel, Field

import prompts
from evals._agreement import Estimate
from evals._calibration import CalibrationCheck, cross_validate
from evals._compare import (
    Correlation,
    ElementResult,
    GraderView,
    HumanView,
    OutcomeResult,
    element_results,
    grader_view,
    human_view,
    outcome_results,
    score_results,
)
from evals._gate import GateCheck
from evals._pairwise import ContrastReport
from evals._sets import CalibrationSet
from evals._stability import Stability, stability
from grader._grading import GradeFn, grade_all
from grader._results import Grade
from grader._rubric import Rubric
from grader.model import Usage, UsageMeter

__all__ = ["EvalReport", "ItemRow", "SetReport", "run_eval"]


class ItemRow(BaseModel):
    """One transcript: the grader's and the people's numbers side by side."""

    id: str
    status: str
    error: str | None = None
    grader_overall: float | None = None
    human_overall: float | None = None
    grader_dimensions: dict[str, float | None] = Field(default_factory=dict)
    human_dimensions: dict[str, float | None] = Field(default_factory=dict)
    grader_elements: dict[str, int | None] = Field(default_factory=dict)
    human_elements: dict[str, int | None] = Field(default_factory=dict)
    outcomes: dict[str, float] = Field(default_factory=dict)
    sample_overall: list[float | None] = Field(default_factory=list)
    unstable: list[str] = Field(default_factory=list)


class SetReport(BaseModel):
    """Everything measured on one calibration set."""

    name: str
    source: str
    description: str = ""
    items: int
    graded: int
    raters: list[str]
    elements: list[ElementResult]
    scores: list[Correlation]
    outcomes: list[OutcomeResult]
    stability: Stability | None
    calibration: CalibrationCheck | None
    rows: list[ItemRow]
    metrics: dict[str, float | None] = Field(default_factory=dict)
    undefined: dict[str, str] = Field(default_factory=dict)
    gate: list[GateCheck] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every gate check passed (True when no threshold is set)."""
        return all(c.passed for c in self.gate)


class EvalReport(BaseModel):
    """A whole eval run: what was graded with what, and each set's report."""

    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    model: str
    prompt_version: str
    rubric_id: str
    rubric_version: str
    samples: int
    seed: int
    usage: Usage
    seconds: float
    sets: list[SetReport]
    contrast: list[ContrastReport] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every set (calibration and contrast) passed its gate."""
        return all(s.passed for s in self.sets) and all(c.passed for c in self.contrast)


def _put(
    metrics: dict[str, float | None],
    undefined: dict[str, str],
    name: str,
    value: Estimate | float | None,
    reason: str = "no data",
) -> None:
    if isinstance(value, Estimate):
        reason, value = value.reason or reason, value.value
    metrics[name] = value
    if value is None:
        undefined[name] = reason


def _element_stat(e: ElementResult, stat: str) -> float | None:
    if stat == "kappa":
        return e.kappa.value
    if stat == "abs_bias":
        return None if e.bias is None else abs(e.bias)
    value: float | None = getattr(e, stat)
    return value


def flat_metrics(report: SetReport) -> tuple[dict[str, float | None], dict[str, str]]:
    """Every number a gate may name, e.g. `overall.spearman`, `element.courtesy.kappa`."""
    m: dict[str, float | None] = {}
    u: dict[str, str] = {}
    _put(m, u, "graded_fraction", report.graded / report.items if report.items else None)
    for c in report.scores:
        for stat in ("spearman", "kendall"):
            _put(m, u, f"{c.target}.{stat}", getattr(c, stat))
        _put(m, u, f"{c.target}.human_vs_rest", c.human_vs_rest)
        _put(m, u, f"{c.target}.mae", c.mae)
    for stat in ("kappa", "exact", "within_one", "mae", "abs_bias"):
        values = [_element_stat(e, stat) for e in report.elements]
        defined = [v for v in values if v is not None]
        _put(m, u, f"element_mean.{stat}", sum(defined) / len(defined) if defined else None)
    for e in report.elements:
        p = f"element.{e.element_id}"
        _put(m, u, f"{p}.kappa", e.kappa)
        for rater, kappa in e.kappa_by_rater.items():
            _put(m, u, f"{p}.kappa.{rater}", kappa)
        for stat in ("exact", "within_one", "mae", "bias"):
            _put(m, u, f"{p}.{stat}", getattr(e, stat))
        _put(m, u, f"{p}.abs_bias", None if e.bias is None else abs(e.bias))
        if e.na is not None:
            _put(m, u, f"{p}.na_agreement", e.na.agreement, "no transcript to compare")
        _put(m, u, f"{p}.alpha_humans", e.alpha_humans)
        _put(m, u, f"{p}.alpha_with_grader", e.alpha_with_grader)
    for o in report.outcomes:
        p = f"outcome.{o.outcome}"
        _put(m, u, f"{p}.alpha_humans", o.alpha_humans)
        _put(m, u, f"{p}.human_vs_rest", o.human_vs_rest)
        for c in o.correlations:
            _put(m, u, f"{p}.{c.target}.spearman", c.spearman)
            _put(m, u, f"{p}.{c.target}.kendall", c.kendall)
    if report.stability is not None:
        for s in report.stability.elements:
            _put(m, u, f"element.{s.element_id}.variance", s.variance, "fewer than 2 samples")
            _put(m, u, f"element.{s.element_id}.flip_rate", s.flip_rate, "fewer than 2 samples")
        _put(m, u, "overall.sd", report.stability.overall_sd, "fewer than 2 samples")
    if report.calibration is not None and report.calibration.reason is None:
        for g in report.calibration.elements:
            for stat, value in g.after.items():
                _put(m, u, f"calibrated.element.{g.element_id}.{stat}", value)
        for stat, value in report.calibration.overall_after.items():
            _put(m, u, f"calibrated.overall.{stat}", value)
    return m, u


def _row(
    item_id: str,
    samples: Sequence[Grade],
    view: GraderView | None,
    human: HumanView | None,
    outcomes: dict[str, float],
    unstable: list[str],
) -> ItemRow:
    failed = next((g for g in samples if g.status != "graded"), None)
    row = ItemRow(
        id=item_id,
        status="graded" if view else "unscored",
        error=failed.error if failed else None,
        outcomes=outcomes,
        sample_overall=[g.overall for g in samples],
        unstable=unstable,
    )
    if view is not None:
        row.grader_overall, row.grader_dimensions = view.overall, view.dimensions
        row.grader_elements = view.elements
    if human is not None:
        row.human_overall, row.human_elements = human.overall, human.consensus
        row.human_dimensions = {d: human.dimension(d) for d in view.dimensions} if view else {}
    return row


def measure_set(
    cset: CalibrationSet,
    rubric: Rubric,
    grades: dict[str, list[Grade]],
    *,
    resamples: int = 1000,
    seed: int = 0,
    folds: int = 5,
) -> SetReport:
    """Every metric for one set, from each transcript's graded samples."""
    views: list[tuple[HumanView, GraderView]] = []
    graded_pairs = []
    rows = []
    stable = stability(rubric, grades) if max(map(len, grades.values()), default=0) > 1 else None
    for item in cset.items:
        samples = grades.get(item.id, [])
        view = grader_view(samples, rubric)
        human = human_view(item, rubric, view.profile_id) if view and item.labels else None
        if view is not None:
            graded_pairs.append((item, view))
            if human is not None:
                views.append((human, view))
        outcome_means = {k: sum(v) / len(v) for k, v in item.outcomes.items() if v}
        unstable = stable.unstable.get(item.id, []) if stable else []
        rows.append(_row(item.id, samples, view, human, outcome_means, unstable))
    raters = cset.raters
    labelled = cset.has_element_labels
    first = [(item, grades[item.id][0]) for item in cset.items if grades.get(item.id)]
    report = SetReport(
        name=cset.name,
        source=cset.source,
        description=cset.description,
        items=len(cset.items),
        graded=len(graded_pairs),
        raters=raters,
        elements=element_results(rubric, raters, views) if labelled else [],
        scores=score_results(rubric, raters, views, resamples=resamples, seed=seed)
        if labelled
        else [],
        outcomes=outcome_results(cset, rubric, graded_pairs, resamples=resamples, seed=seed),
        stability=stable,
        calibration=cross_validate(rubric, raters, first, folds=folds, seed=seed)
        if labelled
        else None,
        rows=rows,
    )
    report.metrics, report.undefined = flat_metrics(report)
    return report


async def run_eval(
    sets: Sequence[CalibrationSet],
    grade: GradeFn,
    *,
    rubric: Rubric,
    model: str,
    samples: int = 1,
    resample: GradeFn | None = None,
    concurrency: int = 2,
    resamples: int = 1000,
    seed: int = 0,
    folds: int = 5,
    on_grade: Callable[[str, Grade], None] | None = None,
    meter: UsageMeter | None = None,
) -> EvalReport:
    """Grade every set's transcripts `samples` times and measure the grader against people.

    Samples after the first use `resample` when given (e.g. a grader with the cache off, so
    the sample is not the first answer replayed). Usage is the `meter`'s when given (the
    LLM's: it also counts re-asks and the calls of answers that ended unscored), else the
    sum over grades.
    """
    started = time.perf_counter()
    reports = []
    usage = Usage()
    for cset in sets:
        grades: dict[str, list[Grade]] = {item.id: [] for item in cset.items}
        for sample in range(max(1, samples)):
            fn = grade if sample == 0 or resample is None else resample
            transcripts = [item.transcript for item in cset.items]
            async for result in grade_all(
                transcripts, fn, rubric=rubric, model=model, concurrency=concurrency
            ):
                grades[result.transcript_id].append(result)
                usage = usage + result.usage
                if on_grade is not None:
                    on_grade(cset.name, result)
        reports.append(
            measure_set(cset, rubric, grades, resamples=resamples, seed=seed, folds=folds)
        )
    return EvalReport(
        model=model,
        prompt_version=prompts.prompt_version(),
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        samples=max(1, samples),
        seed=seed,
        usage=meter.usage if meter is not None else usage,
        seconds=round(time.perf_counter() - started, 2),
        sets=reports,
    )
