"""The gate: thresholds from gate.yaml and flags; `grader eval` exits 1 naming each failure."""

from __future__ import annotations

import json
import shutil
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

import pytest
from test_eval_fakes import (
    EXAMPLE_SET,
    RUBRIC,
    example_set,
    lenient_scores,
    make_grade,
    scripted_llm,
)
from typer.testing import CliRunner

import evals
from cli import app
from grader.model import register_provider

LIMIT = 12


@pytest.fixture
def set_dir(tmp_path: Path) -> Path:
    """The example set's records in a folder of their own (no gate.yaml)."""
    folder = tmp_path / "example"
    folder.mkdir()
    shutil.copy(EXAMPLE_SET / "set.jsonl", folder / "set.jsonl")
    cset = example_set()
    register_provider(
        "mockllm", scripted_llm([i.transcript for i in cset.items], lenient_scores(cset))
    )
    return folder


def _eval(*args: str) -> tuple[int, str, Path]:
    out = Path(args[args.index("--out") + 1])
    result = CliRunner().invoke(
        app,
        [
            "eval",
            *args,
            "--model",
            "mockllm/eval",
            "--no-cache",
            "--limit",
            str(LIMIT),
            "--bootstrap",
            "50",
        ],
    )
    return result.exit_code, result.output, out


def test_gate_passes_below_and_fails_above_the_measured_value(
    set_dir: Path, tmp_path: Path
) -> None:
    code, output, out = _eval(str(set_dir), "--out", str(tmp_path / "r1"), "--save-calibration",
                              "--calibration-dir", str(tmp_path / "cal"))  # fmt: skip
    assert code == 0, output
    saved = evals.load_calibration(tmp_path / "cal", RUBRIC)
    assert saved is not None and saved.items == LIMIT and saved.elements
    first = json.loads((out / "report.json").read_text())
    assert first["usage"]["calls"] == LIMIT and first["usage"]["prompt_tokens"] == 100 * LIMIT
    measured = first["sets"][0]["metrics"]
    spearman, kappa = measured["overall.spearman"], measured["element.clarity.kappa"]
    assert spearman is not None and kappa is not None

    # gate.yaml: both just below what was measured; a flag then raises one above it
    (set_dir / "gate.yaml").write_text(
        f"min:\n  overall.spearman: {spearman - 0.05:.4f}\n"
        f"  element.*.kappa: -1\n  element.clarity.kappa: {kappa - 0.05:.4f}\n"
    )
    code, output, out = _eval(
        str(set_dir),
        "--out",
        str(tmp_path / "r2"),
        "--min",
        f"overall.spearman={spearman + 0.01:.4f}",
    )
    assert code == 1
    assert "overall.spearman" in output and "--min" in output
    assert "element.clarity.kappa" not in output.split("below threshold", 1)[1]
    report = json.loads((out / "report.json").read_text())
    failed = [c["metric"] for c in report["sets"][0]["gate"] if not c["passed"]]
    assert failed == ["overall.spearman"]
    assert (out / "junit.xml").read_text().count("<failure") == 1


def test_gate_file_errors_are_bad_input(set_dir: Path, tmp_path: Path) -> None:
    (set_dir / "gate.yaml").write_text("min:\n  overall.spearman: high\n")
    code, output, _ = _eval(str(set_dir), "--out", str(tmp_path / "r"))
    assert code == 2
    assert "must be a number" in output
    code, output, _ = _eval(str(set_dir), "--out", str(tmp_path / "r"), "--min", "overall.spearman")
    assert code == 2


def test_unknown_label_is_bad_input(tmp_path: Path) -> None:
    record = json.loads((EXAMPLE_SET / "set.jsonl").read_text().splitlines()[0])
    record["labels"]["rater_a"]["politenes"] = 2
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = CliRunner().invoke(
        app, ["eval", str(path), "--model", "mockllm/eval", "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 2
    assert "politenes" in result.output and "bad.jsonl:1" in result.output


def _rule(pattern: str, value: float, bound: Literal["min", "max"] = "min") -> evals.Rule:
    return evals.Rule(pattern=pattern, bound=bound, value=value, source="test")


def test_most_specific_rule_wins_and_flags_override() -> None:
    metrics = {"element.a.kappa": 0.3, "element.b.kappa": 0.5}
    rules = [_rule("element.*.kappa", 0.2), _rule("element.b.kappa", 0.6)]
    checks = {c.metric: c for c in evals.check_gate(metrics, rules)}
    assert checks["element.a.kappa"].passed
    assert not checks["element.b.kappa"].passed
    assert checks["element.b.kappa"].threshold == 0.6
    merged = evals.merge_rules(rules, [evals.parse_rule("element.b.kappa=0.4", "min")])
    assert all(c.passed for c in evals.check_gate(metrics, merged))


def test_undefined_metric_and_unknown_name_fail() -> None:
    checks = evals.check_gate(
        {"overall.spearman": None},
        [_rule("overall.spearman", 0.1), _rule("overal.spearman", 0.1)],
        {"overall.spearman": "every value is 0.0"},
    )
    assert [c.passed for c in checks] == [False, False]
    assert "every value" in (checks[0].reason or "")
    assert "no metric" in (checks[1].reason or "")


def test_undefined_metric_under_a_wildcard_is_skipped() -> None:
    checks = evals.check_gate(
        {"element.a.kappa": None, "element.b.kappa": 0.1},
        [_rule("element.*.kappa", 0.2)],
        {"element.a.kappa": "only 2 items"},
    )
    by_metric = {c.metric: c for c in checks}
    assert by_metric["element.a.kappa"].skipped and by_metric["element.a.kappa"].passed
    assert not by_metric["element.b.kappa"].passed


def test_max_bound() -> None:
    checks = evals.check_gate(
        {"element.a.abs_bias": 0.8}, [_rule("element.*.abs_bias", 0.5, "max")]
    )
    assert not checks[0].passed
    assert "<= 0.5" in checks[0].describe()


def test_shipped_gate_file_names_real_metrics() -> None:
    rules = evals.load_gate(EXAMPLE_SET / "gate.yaml")
    assert rules
    cset = example_set()
    grades = {i.id: [make_grade(i.id, {"courtesy": 2, "recovery": None})] for i in cset.items}
    metrics = evals.measure_set(cset, RUBRIC, grades, resamples=0).metrics
    for rule in rules:
        assert any(fnmatchcase(name, rule.pattern) for name in metrics), rule.pattern
