"""A stored learned calibration at grading time: saved next to its rubric, applied to grades.

The fit is JSON at ``<dir>/<rubric id>/<rubric version>.learned-<tenant>.json``, beside the
isotonic calibration of the same rubric version, so an edited rubric never picks up a stale
fit. `apply_learned` fills `grade.calibrated` (predicted human scores and the exemplars
nearest the conversation, with their human scores) and leaves the raw verdicts untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from evals._calibration import calibration_path
from evals._features import cue_features, signal_features, text_matrix, turn_vectors
from evals._learned import LearnedCalibration, predict_targets
from evals._sets import CalibrationSet
from evals._targets import human_targets
from grader._errors import ConfigurationError
from grader._grading import GradeFn
from grader._results import CalibratedScores, ExemplarRef, Grade
from grader._rubric import Rubric
from grader._transcript import Transcript
from retrieval._exemplars import Exemplar, ExemplarHit, ExemplarStore, weighted_scores

__all__ = [
    "apply_learned",
    "exemplars_of",
    "learned_calibration_path",
    "learned_grader",
    "load_learned",
    "save_learned",
]

#: Exemplars shown with a calibrated grade.
SHOWN = 5


def learned_calibration_path(directory: Path, rubric: Rubric, tenant: str = "default") -> Path:
    """Where the learned calibration of this rubric version and tenant lives."""
    isotonic = calibration_path(directory, rubric)
    return isotonic.with_name(f"{isotonic.stem}.learned-{tenant}.json")


def save_learned(calibration: LearnedCalibration, directory: Path, rubric: Rubric) -> Path:
    """Write the calibration next to its rubric version; returns the file."""
    path = learned_calibration_path(directory, rubric, calibration.tenant)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(calibration.model_dump_json(indent=1), encoding="utf-8")
    return path


def load_learned(
    directory: Path, rubric: Rubric, tenant: str = "default"
) -> LearnedCalibration | None:
    """The stored learned calibration for this rubric version and tenant, or None."""
    path = learned_calibration_path(directory, rubric, tenant)
    if not path.is_file():
        return None
    try:
        return LearnedCalibration.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as exc:
        raise ConfigurationError(
            f"{path}: not a learned calibration ({exc.error_count()} errors)"
        ) from exc


def exemplars_of(cset: CalibrationSet, rubric: Rubric) -> list[Exemplar]:
    """A calibration set's conversations as exemplars with their mean human scores."""
    return [
        Exemplar.of(item.transcript, human_targets(item, rubric), source=cset.name)
        for item in cset.items
    ]


def _verdict_features(grade: Grade) -> dict[str, float]:
    """The grader's scores by feature name, as `evals._features.verdict_features` names them."""
    if grade.status != "graded":
        return {}
    out = {
        f"llm.element.{v.element_id}": v.score / v.max_score
        for v in grade.verdicts
        if v.score is not None
    }
    out |= {
        f"llm.dimension.{d.dimension_id}": d.score / 100
        for d in grade.dimensions
        if d.score is not None
    }
    if grade.overall is not None:
        out["llm.overall"] = grade.overall / 100
    return out


def _neighbour_score(hits: Sequence[ExemplarHit], target: str, k: int, power: float) -> float:
    labelled = [(h.similarity, h.exemplar.human) for h in hits if target in h.exemplar.human]
    value = weighted_scores(labelled[:k], target, power)
    return float("nan") if value is None else value


def apply_learned(
    grade: Grade, transcript: Transcript, calibration: LearnedCalibration, store: ExemplarStore
) -> Grade:
    """The grade with `calibrated` filled by the learned calibration; raw verdicts unchanged.

    An unscored grade is calibrated too (from the text, signals and exemplars alone).
    """
    if (calibration.rubric_id, calibration.rubric_version) != (
        grade.rubric_id,
        grade.rubric_version,
    ):
        raise ConfigurationError(
            f"learned calibration is for {calibration.rubric_id} {calibration.rubric_version}, "
            f"the grade for {grade.rubric_id} {grade.rubric_version}"
        )
    if store.tenant != calibration.tenant:
        raise ConfigurationError(
            f"calibration of tenant '{calibration.tenant}' used with the exemplars of "
            f"'{store.tenant}'"
        )
    vectors = turn_vectors([transcript], store.cache)[0]
    named = signal_features(transcript, grade.signals) | cue_features(transcript)
    named |= _verdict_features(grade)
    hits = store.nearest(transcript, k=max(calibration.max_neighbours, SHOWN))

    def neighbours(target: str, k: int) -> NDArray[np.float64]:
        return np.array([_neighbour_score(hits, target, k, calibration.power)])

    preds = {
        t: float(v[0])
        for t, v in predict_targets(
            calibration,
            text_matrix([vectors]),
            {k: np.array([v], dtype=np.float64) for k, v in named.items()},
            neighbours,
        ).items()
    }

    def part(prefix: str) -> dict[str, float]:
        return {t.removeprefix(prefix): v for t, v in preds.items() if t.startswith(prefix)}

    calibrated = CalibratedScores(
        method="learned",
        calibration_id=calibration.calibration_id,
        overall=preds.get("overall"),
        dimensions=dict(part("dimension.")),
        elements=dict(part("element.")),
        outcomes=part("outcome."),
        exemplars=[
            ExemplarRef(id=h.exemplar.id, similarity=round(h.similarity, 4), human=h.exemplar.human)
            for h in hits[:SHOWN]
        ],
    )
    return grade.model_copy(update={"calibrated": calibrated})


def learned_grader(
    grade: GradeFn, calibration: LearnedCalibration, store: ExemplarStore
) -> GradeFn:
    """`grade`, then the learned calibration applied to its result."""

    async def calibrated(transcript: Transcript) -> Grade:
        return apply_learned(await grade(transcript), transcript, calibration, store)

    return calibrated
