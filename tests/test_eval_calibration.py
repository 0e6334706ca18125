"""Isotonic calibration: fitted per element, applied at grading time, checked out of fold only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from test_eval_fakes import RUBRIC, example_set, make_grade

import evals
from grader import ConfigurationError, Grade, Transcript


def _item(tid: str, labels: dict[str, dict[str, int | None]]) -> evals.CalibrationItem:
    transcript = Transcript.model_validate(
        {
            "id": tid,
            "turns": [{"role": "customer", "text": "hi"}, {"role": "agent", "text": "hello"}],
        }
    )
    return evals.CalibrationItem(transcript=transcript, labels=labels)


def _strict_pairs(n: int = 20) -> list[tuple[evals.CalibrationItem, Grade]]:
    """The grader says one level more than both raters on courtesy (capped at 3)."""
    rng = np.random.default_rng(0)
    pairs = []
    for k in range(n):
        human = int(rng.integers(0, 3))
        item = _item(
            f"t{k}",
            {
                "rater_a": {"courtesy": human, "empathy": 2},
                "rater_b": {"courtesy": human, "empathy": 2},
            },
        )
        pairs.append((item, make_grade(f"t{k}", {"courtesy": human + 1, "empathy": 2})))
    return pairs


def test_fit_matches_sklearn_and_apply_relabels_and_rescored() -> None:
    pairs = _strict_pairs()
    calibration = evals.fit_calibration(RUBRIC, pairs)
    assert set(calibration.elements) == {"courtesy"}  # empathy: a single raw level, left raw
    xs = [float(g.verdicts[0].score or 0) for _, g in pairs]
    ys = [float(i.labels["rater_a"]["courtesy"] or 0) for i, _ in pairs]
    reference = IsotonicRegression(y_min=0, y_max=3, out_of_bounds="clip").fit(xs, ys)
    for raw in (0, 1, 2, 3):
        assert calibration.elements["courtesy"](raw) == pytest.approx(reference.predict([raw])[0])

    grade = make_grade("new", {"courtesy": 3, "empathy": 2})
    calibrated = evals.apply_calibration(grade, calibration, RUBRIC)
    assert next(v.score for v in calibrated.verdicts if v.element_id == "courtesy") == 2
    connection = next(d for d in calibrated.dimensions if d.dimension_id == "connection")
    assert connection.score == pytest.approx(100 * (2 / 3 + 2 / 3) / 2, abs=0.01)
    assert calibrated.overall == connection.score


def test_out_of_fold_never_uses_the_evaluated_item() -> None:
    pairs = _strict_pairs(20)
    baseline = evals.out_of_fold(RUBRIC, pairs, folds=5, seed=3)
    for target in range(len(pairs)):
        item, grade = pairs[target]
        flipped = {
            r: {**labels, "courtesy": 3 - (labels["courtesy"] or 0)}
            for r, labels in item.labels.items()
        }
        changed = list(pairs)
        changed[target] = (_item(item.id, flipped), grade)
        again = evals.out_of_fold(RUBRIC, changed, folds=5, seed=3)
        assert again[target].verdicts == baseline[target].verdicts
        # ...while a fit on everything does see it
    full = evals.fit_calibration(RUBRIC, pairs)
    assert full.elements["courtesy"].n == len(pairs)


def test_cross_validation_reports_before_and_after() -> None:
    pairs = _strict_pairs(20)
    check = evals.cross_validate(RUBRIC, ["rater_a", "rater_b"], pairs, folds=5)
    assert check.reason is None
    courtesy = next(g for g in check.elements if g.element_id == "courtesy")
    assert courtesy.calibrated
    assert courtesy.before["bias"] == pytest.approx(1.0)
    assert courtesy.after["mae"] is not None and courtesy.before["mae"] is not None
    assert courtesy.after["mae"] < courtesy.before["mae"]


def test_cross_validation_needs_enough_items() -> None:
    check = evals.cross_validate(RUBRIC, ["rater_a"], _strict_pairs(6), folds=5)
    assert check.reason and "10" in check.reason


def test_store_next_to_the_rubric_version(tmp_path: Path) -> None:
    calibration = evals.fit_calibration(RUBRIC, _strict_pairs())
    path = evals.save_calibration(calibration, tmp_path, RUBRIC)
    assert path.parent == tmp_path / RUBRIC.id
    assert RUBRIC.version.split(":")[1] in path.name
    loaded = evals.load_calibration(tmp_path, RUBRIC)
    assert loaded is not None and loaded.elements == calibration.elements
    assert evals.load_calibration(tmp_path / "none", RUBRIC) is None


def test_calibration_for_another_rubric_is_refused() -> None:
    calibration = evals.Calibration(rubric_id=RUBRIC.id, rubric_version="sha256:other")
    with pytest.raises(ConfigurationError):
        evals.apply_calibration(make_grade("t", {"courtesy": 2}), calibration, RUBRIC)


def test_unscored_grade_is_left_alone() -> None:
    grade = make_grade("t", {"courtesy": 2}).model_copy(update={"status": "unscored"})
    calibration = evals.fit_calibration(RUBRIC, _strict_pairs())
    assert evals.apply_calibration(grade, calibration, RUBRIC) is grade


def test_example_set_run_reports_calibration() -> None:
    cset = example_set()
    grades = {i.id: [make_grade(i.id, {e: 3 for e in ("clarity", "courtesy")})] for i in cset.items}
    report = evals.measure_set(cset, RUBRIC, grades, resamples=0)
    assert report.calibration is not None and report.calibration.reason is None
    assert "calibrated.element.clarity.mae" in report.metrics


def test_grade_shows_the_stored_isotonic_calibration_beside_raw_verdicts(tmp_path: Path) -> None:
    from factories import ROOT
    from typer.testing import CliRunner

    from cli import app

    calibration = evals.fit_calibration(RUBRIC, _strict_pairs(), fitted_on=["strict"])
    evals.save_calibration(calibration, tmp_path / "cal", RUBRIC)
    out = tmp_path / "grades.jsonl"
    result = CliRunner().invoke(app, [
        "grade", str(ROOT / "examples" / "01_where_is_my_package.json"), "--model",
        "mockllm/default", "--out", str(out), "--calibration-dir", str(tmp_path / "cal"),
        "--store", str(tmp_path / "store"),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "isotonic maps of 1 element(s), fitted on strict" in result.output
    (grade,) = [Grade.model_validate_json(line) for line in out.read_text().splitlines()]
    raw = next(v.score for v in grade.verdicts if v.element_id == "courtesy")
    assert grade.calibrated is not None and grade.calibrated.method == "isotonic"
    assert raw is not None
    expected = int(np.floor(calibration.elements["courtesy"](raw) + 0.5))
    assert grade.calibrated.elements["courtesy"] == expected
    relabelled = evals.apply_calibration(grade, calibration, RUBRIC)
    assert grade.calibrated.overall == relabelled.overall
    assert next(v.score for v in grade.verdicts if v.element_id == "courtesy") == raw
