"""`grader grade` applies a stored learned calibration: raw and calibrated side by side."""

from __future__ import annotations

from pathlib import Path

from test_learned import synthetic_items
from typer.testing import CliRunner

from cli import app
from grader import Grade


def test_grades_after_calibration_show_raw_calibrated_and_exemplars(tmp_path: Path) -> None:
    items = synthetic_items(24)
    data = tmp_path / "set.jsonl"
    data.write_text("".join(i.model_dump_json() + "\n" for i in items))
    cal, store = tmp_path / "cal", tmp_path / "store"
    fitted = CliRunner().invoke(app, [
        "calibrate", str(data), "--cv", "2", "--out", str(tmp_path / "rep"), "--bootstrap", "20",
        "--calibration-dir", str(cal), "--store", str(store), "--tenant", "acme",
    ])  # fmt: skip
    assert fitted.exit_code == 0, fitted.output
    new = tmp_path / "new.jsonl"
    new.write_text(synthetic_items(3, seed=7, prefix="n")[0].transcript.model_dump_json() + "\n")
    out = tmp_path / "grades.jsonl"
    args = ["grade", str(new), "--model", "mockllm/default", "--out", str(out),
            "--calibration-dir", str(cal), "--store", str(store)]  # fmt: skip
    result = CliRunner().invoke(app, [*args, "--tenant", "acme"])
    assert result.exit_code == 0, result.output
    (grade,) = [Grade.model_validate_json(line) for line in out.read_text().splitlines()]
    assert grade.overall is not None and grade.verdicts, "raw verdicts are kept"
    assert grade.calibrated is not None
    assert "customer_satisfaction" in " ".join(grade.calibrated.outcomes)
    assert grade.calibrated.exemplars and all(
        e.id.startswith("s") for e in grade.calibrated.exemplars
    )
    other = CliRunner().invoke(app, [*args, "--tenant", "other", "--no-cache"])
    assert other.exit_code == 0
    (plain,) = [Grade.model_validate_json(line) for line in out.read_text().splitlines()]
    assert plain.calibrated is None, "another tenant has no calibration: raw only"
