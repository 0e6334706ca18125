"""Calibration from a team's own labels: a monotone map from the grader's levels to theirs.

Per element, isotonic regression from the grader's raw level to the raters' mean level on a
calibration set. `apply_calibration` relabels each verdict with the mapped level (rounded
to the nearest level, because a verdict names an anchored level) and scores the grade again
with the rubric's own scoring, so a calibrated grade is consistent throughout; at grading
time (`isotonic_grader`, used by `grader grade`) that result goes in `grade.calibrated`,
beside the raw verdicts. A monotone map never reorders transcripts: it fixes leniency and strictness
(MAE, bias, exact agreement, kappa), not ranking.

The fit is stored as JSON at `<dir>/<rubric id>/<rubric version>.json`, so an edited rubric
never picks up a stale map. `cross_validate` measures the gain out of fold only: each
transcript is calibrated by a map fitted without it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError
from sklearn.isotonic import IsotonicRegression
from sklearn.model_selection import KFold

from evals._compare import ElementResult, element_results, grader_view, human_view, score_results
from evals._sets import CalibrationItem
from grader._errors import ConfigurationError
from grader._grading import GradeFn
from grader._results import CalibratedScores, Grade
from grader._rubric import Rubric
from grader._scoring import score_verdicts
from grader._transcript import Transcript

__all__ = [
    "Calibration",
    "CalibrationCheck",
    "ElementMap",
    "apply_calibration",
    "calibration_path",
    "cross_validate",
    "fit_calibration",
    "isotonic_grader",
    "load_calibration",
    "save_calibration",
    "with_isotonic",
]

#: Fewest (grader, human) pairs an element map is fitted on; below it the element is left raw.
MIN_POINTS = 5


class ElementMap(BaseModel):
    """A fitted isotonic map as its thresholds: linear between them, flat beyond."""

    x: list[float]
    y: list[float]
    n: int

    def __call__(self, level: float) -> float:
        """The calibrated (continuous) level for a raw one."""
        return float(np.interp(level, self.x, self.y))


class Calibration(BaseModel):
    """Element maps for one rubric version, and what they were fitted on."""

    rubric_id: str
    rubric_version: str
    prompt_version: str = ""
    model: str = ""
    fitted_on: list[str] = Field(default_factory=list)
    items: int = 0
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    elements: dict[str, ElementMap] = Field(default_factory=dict)


def _points(
    rubric: Rubric, pairs: Sequence[tuple[CalibrationItem, Grade]], element_id: str
) -> tuple[list[float], list[float]]:
    xs, ys = [], []
    for item, grade in pairs:
        raw = next((v.score for v in grade.verdicts if v.element_id == element_id), None)
        human = [s for s in item.element_labels(element_id).values() if s is not None]
        if grade.status == "graded" and raw is not None and human:
            xs.append(float(raw))
            ys.append(float(np.mean(human)))
    return xs, ys


def fit_calibration(
    rubric: Rubric, pairs: Sequence[tuple[CalibrationItem, Grade]], *, fitted_on: Sequence[str] = ()
) -> Calibration:
    """Fit one isotonic map per element with enough labelled, graded transcripts."""
    graded = [g for _, g in pairs if g.status == "graded"]
    calibration = Calibration(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        prompt_version=graded[0].prompt_version if graded else "",
        model=graded[0].model if graded else "",
        fitted_on=list(fitted_on),
        items=len(graded),
    )
    for element in rubric.elements:
        xs, ys = _points(rubric, pairs, element.id)
        if len(xs) < MIN_POINTS or len(set(xs)) < 2:
            continue
        fit = IsotonicRegression(
            y_min=0, y_max=element.max_level, increasing=True, out_of_bounds="clip"
        ).fit(xs, ys)
        calibration.elements[element.id] = ElementMap(
            x=[float(v) for v in fit.X_thresholds_],
            y=[float(v) for v in fit.y_thresholds_],
            n=len(xs),
        )
    return calibration


def apply_calibration(grade: Grade, calibration: Calibration, rubric: Rubric) -> Grade:
    """The grade with calibrated verdict levels and its scores recomputed; unscored stays as is.

    Meant for grading time (`grader grade` can call it when a calibration file exists).
    """
    if (calibration.rubric_id, calibration.rubric_version) != (
        grade.rubric_id,
        grade.rubric_version,
    ):
        raise ConfigurationError(
            f"calibration is for {calibration.rubric_id} {calibration.rubric_version}, "
            f"the grade for {grade.rubric_id} {grade.rubric_version}"
        )
    if grade.status != "graded":
        return grade
    verdicts = []
    for verdict in grade.verdicts:
        mapping = calibration.elements.get(verdict.element_id)
        if mapping is not None and verdict.score is not None:
            level = math.floor(mapping(verdict.score) + 0.5)
            verdict = verdict.model_copy(update={"score": min(max(level, 0), verdict.max_score)})
        verdicts.append(verdict)
    profiles = {p.id: p for p in rubric.weight_profiles}
    profile = profiles.get(grade.weight_profile or "") or next(
        p for p in rubric.weight_profiles if not p.when
    )
    scores = score_verdicts(rubric, profile, verdicts)
    return grade.model_copy(
        update={
            "verdicts": verdicts,
            "dimensions": scores.dimensions,
            "overall": scores.overall,
            "auto_failed": bool(scores.auto_fail_reasons),
            "auto_fail_reasons": scores.auto_fail_reasons,
        }
    )


def with_isotonic(grade: Grade, calibration: Calibration, rubric: Rubric) -> Grade:
    """The grade, raw verdicts untouched, with the isotonic result in `grade.calibrated`."""
    if grade.status != "graded":
        return grade
    mapped = apply_calibration(grade, calibration, rubric)
    tag = calibration.created_at.strftime("%Y%m%dT%H%M%S")
    scores = CalibratedScores(
        method="isotonic",
        calibration_id=f"isotonic:{calibration.rubric_version}:{tag}",
        overall=mapped.overall,
        dimensions={d.dimension_id: d.score for d in mapped.dimensions},
        elements={v.element_id: v.score for v in mapped.verdicts},
    )
    return grade.model_copy(update={"calibrated": scores})


def isotonic_grader(grade: GradeFn, calibration: Calibration, rubric: Rubric) -> GradeFn:
    """`grade`, then the stored isotonic calibration shown beside the raw verdicts."""

    async def calibrated(transcript: Transcript) -> Grade:
        return with_isotonic(await grade(transcript), calibration, rubric)

    return calibrated


class ElementGain(BaseModel):
    """One element's agreement with the raters, raw and calibrated out of fold."""

    element_id: str
    calibrated: bool
    before: dict[str, float | None]
    after: dict[str, float | None]


class CalibrationCheck(BaseModel):
    """Before/after calibration, every transcript calibrated by a map not fitted on it."""

    folds: int
    items: int
    elements: list[ElementGain] = Field(default_factory=list)
    overall_before: dict[str, float | None] = Field(default_factory=dict)
    overall_after: dict[str, float | None] = Field(default_factory=dict)
    reason: str | None = None


def _summary(result: ElementResult) -> dict[str, float | None]:
    return {
        "kappa": result.kappa.value,
        "exact": result.exact,
        "mae": result.mae,
        "bias": result.bias,
    }


def out_of_fold(
    rubric: Rubric, pairs: Sequence[tuple[CalibrationItem, Grade]], *, folds: int, seed: int
) -> list[Grade]:
    """Each grade calibrated by a map fitted on the other folds only."""
    calibrated: list[Grade | None] = [None] * len(pairs)
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.arange(len(pairs))):
        fitted = fit_calibration(rubric, [pairs[i] for i in train])
        for i in test:
            calibrated[i] = apply_calibration(pairs[i][1], fitted, rubric)
    return [g for g in calibrated if g is not None]


def cross_validate(
    rubric: Rubric,
    raters: list[str],
    pairs: Sequence[tuple[CalibrationItem, Grade]],
    *,
    folds: int = 5,
    seed: int = 0,
) -> CalibrationCheck:
    """Agreement before and after calibration, measured out of fold."""
    labelled = [(item, g) for item, g in pairs if item.labels and g.status == "graded"]
    if len(labelled) < 2 * folds:
        return CalibrationCheck(
            folds=folds,
            items=len(labelled),
            reason=f"needs {2 * folds} labelled, graded transcripts",
        )
    after = out_of_fold(rubric, labelled, folds=folds, seed=seed)
    check = CalibrationCheck(folds=folds, items=len(labelled))
    fitted_any = fit_calibration(rubric, labelled)
    results = {}
    for label, grades in (("before", [g for _, g in labelled]), ("after", after)):
        views = []
        for (item, _), grade in zip(labelled, grades, strict=True):
            view = grader_view([grade], rubric)
            if view is not None:
                views.append((human_view(item, rubric, grade.weight_profile), view))
        overall = score_results(rubric, raters, views, resamples=0, seed=seed)[0]
        results[label] = (
            {r.element_id: r for r in element_results(rubric, raters, views)},
            {"spearman": overall.spearman.value, "mae": overall.mae},
        )
    for element_id, before in results["before"][0].items():
        check.elements.append(
            ElementGain(
                element_id=element_id,
                calibrated=element_id in fitted_any.elements,
                before=_summary(before),
                after=_summary(results["after"][0][element_id]),
            )
        )
    check.overall_before, check.overall_after = results["before"][1], results["after"][1]
    return check


def calibration_path(directory: Path, rubric: Rubric) -> Path:
    """Where the calibration for this rubric version lives."""
    return directory / rubric.id / f"{rubric.version.replace(':', '-')}.json"


def save_calibration(calibration: Calibration, directory: Path, rubric: Rubric) -> Path:
    """Write the calibration next to its rubric version; returns the file."""
    path = calibration_path(directory, rubric)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(calibration.model_dump_json(indent=2), encoding="utf-8")
    return path


def load_calibration(directory: Path, rubric: Rubric) -> Calibration | None:
    """The stored calibration for this rubric version, or None when there is none."""
    path = calibration_path(directory, rubric)
    if not path.is_file():
        return None
    try:
        return Calibration.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise ConfigurationError(
            f"{path}: not a calibration file ({exc.error_count()} errors)"
        ) from exc
