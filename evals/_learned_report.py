"""A learned calibration's cross-validated numbers, in the eval's reports and its own tables.

`learned_set_report` folds a `LearnedCheck` into the eval's `SetReport`, so `grader
calibrate` writes the same report.json / .md / .html / junit.xml as `grader eval`: every
target gets three rank correlations with the human mean, named `raw` (the grader's own score,
where it graded), `baseline` (embedding ridge) and `calibrated`, all out of fold, which also
makes them gate metrics (`outcome.customer_satisfaction.calibrated.spearman`).
`learned_tables` add what the eval has no column for: split-half reliability, the gain over
the baseline and the features the inner cross-validation chose.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from evals._agreement import Estimate, ordinal_alpha, rank_correlations
from evals._compare import Correlation, OutcomeResult
from evals._learned import LearnedCalibration, LearningSet
from evals._learned_cv import LearnedCheck, TargetCheck
from evals._run import ItemRow, SetReport, flat_metrics
from evals._sets import CalibrationSet
from evals._tables import Table, fmt, fmt_estimate
from evals._targets import human_targets
from grader._results import Grade
from grader._rubric import Rubric

__all__ = ["add_learned_results", "learned_markdown", "learned_set_report", "learned_tables"]

Rows = list[list[float | None]]


def _values(column: NDArray[np.float64]) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in column]


def _kendall(check: LearnedCheck, name: str, target: str, human: list[float | None]) -> Estimate:
    preds = check.predictions.get(f"{name}.{target}", [])
    pairs = [(p, h) for p, h in zip(preds, human, strict=False) if p is not None and h is not None]
    stats = rank_correlations([p for p, _ in pairs], [h for _, h in pairs], resamples=0)
    return stats["kendall"]


def _correlations(
    check: LearnedCheck, t: TargetCheck, human: list[float | None], prefix: str
) -> list[Correlation]:
    out = []
    if t.raw is not None:
        out.append(Correlation(target=f"{prefix}raw", spearman=t.raw, kendall=Estimate.undefined(
            "not computed for calibration"), human_vs_rest=t.one_human))  # fmt: skip
    for name, estimate in (("baseline", t.baseline), ("calibrated", t.calibrated)):
        out.append(
            Correlation(
                target=f"{prefix}{name}",
                spearman=estimate,
                kendall=_kendall(check, name, t.target, human),
                human_vs_rest=t.one_human,
            )
        )
    return out


def learned_set_report(
    cset: CalibrationSet,
    check: LearnedCheck,
    lset: LearningSet,
    raters: dict[str, Rows],
) -> SetReport:
    """The eval's set report for a cross-validated learned calibration of `cset`."""
    human = {t: _values(y) for t, y in lset.targets.items()}
    raw = _values(lset.named.get("llm.overall", np.full(len(lset), np.nan)) * 100)
    raw_overall = dict(zip(lset.ids, raw, strict=True))
    scores, outcomes = [], []
    for t in check.targets:
        if t.target.startswith("outcome."):
            name = t.target.removeprefix("outcome.")
            rows = raters.get(t.target, [])
            low, high = cset.outcome_scale(name)
            domain = sorted({v for row in rows for v in row if v is not None} | {low, high})
            outcomes.append(
                OutcomeResult(
                    outcome=name,
                    scale=(low, high),
                    raters=len(rows),
                    items=t.items,
                    alpha_humans=ordinal_alpha(rows, domain),
                    human_vs_rest=t.one_human or Estimate.undefined("no rater rows"),
                    correlations=_correlations(check, t, human[t.target], ""),
                )
            )
        else:
            scores += _correlations(check, t, human[t.target], f"{t.target}.")
    rows_out = [
        ItemRow(
            id=item.id,
            status="graded" if raw_overall.get(item.id) is not None else "not graded",
            grader_overall=raw_overall.get(item.id),
            outcomes={
                o: float(np.mean(item.outcomes[o]))
                for o in cset.outcome_names
                if item.outcomes.get(o)
            },
        )
        for item in cset.items
    ]
    report = SetReport(
        name=cset.name,
        source=cset.source,
        description=f"{cset.description} Learned calibration, {check.folds}-fold cross-validated: "
        "'baseline' is embedding ridge, 'calibrated' the learned calibration, 'raw' the "
        "grader's own score; each predicted out of fold.".strip(),
        items=check.items,
        graded=check.graded,
        raters=cset.raters,
        elements=[],
        scores=scores,
        outcomes=outcomes,
        stability=None,
        calibration=None,
        rows=rows_out,
    )
    report.metrics, report.undefined = flat_metrics(report)
    return report


def _in_sample(estimate: Estimate, fitted: bool) -> Estimate:
    if not fitted:
        return estimate
    note = "in-sample: the calibration was fitted on this set; `grader calibrate` is out of fold"
    return estimate.model_copy(update={"note": note})


def add_learned_results(
    report: SetReport,
    cset: CalibrationSet,
    grades: Mapping[str, Grade],
    calibration: LearnedCalibration,
    rubric: Rubric,
    *,
    resamples: int = 1000,
    seed: int = 0,
) -> SetReport:
    """An eval's set report with a `calibrated` correlation per outcome and score.

    The grades carry the predictions in `grade.calibrated` (`learned_grader` puts them
    there). When the calibration was fitted on this very set the numbers are in-sample, and
    each says so in its note.
    """
    fitted = cset.name in calibration.fitted_on
    pairs: dict[str, list[tuple[float, float]]] = {}
    for item in cset.items:
        grade = grades.get(item.id)
        if grade is None or grade.calibrated is None or grade.calibrated.method != "learned":
            continue
        c = grade.calibrated
        predicted = {f"outcome.{k}": v for k, v in c.outcomes.items()}
        predicted |= {f"dimension.{k}": v for k, v in c.dimensions.items() if v is not None}
        predicted["overall"] = c.overall if c.overall is not None else float("nan")
        for target, human in human_targets(item, rubric).items():
            value = predicted.get(target)
            if value is not None and not np.isnan(value):
                pairs.setdefault(target, []).append((value, human))

    def correlation(target: str, name: str, ceiling: Estimate | None) -> Correlation | None:
        got = pairs.get(target)
        if not got:
            return None
        stats = rank_correlations(
            [p for p, _ in got], [h for _, h in got], resamples=resamples, seed=seed
        )
        return Correlation(
            target=name,
            spearman=_in_sample(stats["spearman"], fitted),
            kendall=_in_sample(stats["kendall"], fitted),
            human_vs_rest=ceiling,
        )

    for o in report.outcomes:
        extra = correlation(f"outcome.{o.outcome}", "calibrated", o.human_vs_rest)
        if extra is not None:
            o.correlations.append(extra)
    for score in list(report.scores):  # the eval's "overall" and "dimension.<id>" rows
        extra = correlation(score.target, f"{score.target}.calibrated", score.human_vs_rest)
        if extra is not None:
            report.scores.append(extra)
    report.metrics, report.undefined = flat_metrics(report)
    return report


def learned_tables(name: str, check: LearnedCheck) -> list[Table]:
    """Before/after per target next to the people, and how each target's model was chosen."""
    header = [
        "target", "n", "one human", "split-half", "baseline [95% CI]",
        "calibrated [95% CI]", "gain [95% CI]", "raw grader",
    ]  # fmt: skip
    rows = [
        [
            t.target,
            str(t.items),
            fmt_estimate(t.one_human),
            fmt_estimate(t.split_half),
            fmt_estimate(t.baseline),
            fmt_estimate(t.calibrated),
            fmt_estimate(t.gain),
            f"{fmt_estimate(t.raw)} (n={t.raw.n})" if t.raw else "not graded",
        ]
        for t in check.targets
    ]
    tables = [
        Table(
            f"{name}: Spearman with the human mean, {check.folds}-fold cross-validated "
            f"({check.items} conversations, {check.graded} with grader verdicts)",
            header,
            rows,
        )
    ]
    tagged = [(t, tag, e) for t in check.targets for tag, e in t.by_tag.items()]
    if tagged:
        tables.append(
            Table(
                f"{name}: by tag",
                ["target", "tag", "baseline", "calibrated"],
                [
                    [t.target, tag, fmt_estimate(e["baseline"]), fmt_estimate(e["calibrated"])]
                    for t, tag, e in tagged
                ],
            )
        )
    chosen = [
        [t.target, ", ".join(f"{k} ×{v}" for k, v in sorted(t.chosen.items()))]
        for t in check.targets
    ]
    tables.append(
        Table(f"{name}: feature sets chosen by the inner CV", ["target", "chosen (folds)"], chosen)
    )
    return tables


def _coefficients(calibration: LearnedCalibration, top: int = 8) -> list[str]:
    lines = []
    for target, m in calibration.targets.items():
        ranked = sorted(zip(m.final.features, m.final.coef, strict=True), key=lambda p: -abs(p[1]))
        terms = ", ".join(f"{name} {coef:+.3f}" for name, coef in ranked[:top])
        lines.append(
            f"- **{target}** (n={m.items}; k={m.neighbours}; ridge α={fmt(m.final.alpha, 3)}; "
            f"groups {'+'.join(m.groups)}): {terms}"
        )
    return lines


def learned_markdown(
    checks: dict[str, LearnedCheck], calibration: LearnedCalibration | None
) -> str:
    """`learned.md`: the before/after tables, then the stored fit's largest coefficients."""
    lines = ["# Learned calibration", ""]
    for name, check in checks.items():
        for table in learned_tables(name, check):
            lines += [f"**{table.title}**", "", "| " + " | ".join(table.header) + " |"]
            lines += ["|" + "---|" * len(table.header)]
            lines += ["| " + " | ".join(r) + " |" for r in table.rows] + [""]
    if calibration is not None:
        lines += [
            f"## Stored fit `{calibration.calibration_id}`",
            "",
            f"Tenant {calibration.tenant}, rubric {calibration.rubric_id} "
            f"{calibration.rubric_version}, {calibration.items} conversations "
            f"({', '.join(calibration.fitted_on)}). Largest standardised coefficients:",
            "",
            *_coefficients(calibration),
            "",
        ]
    return "\n".join(lines)
