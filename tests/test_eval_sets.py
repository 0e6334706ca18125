"""Calibration-set format: loading, and clear errors naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_eval_fakes import EXAMPLE_SET, RUBRIC, example_set

import evals


def _record(**labels: Any) -> dict[str, Any]:
    return {
        "transcript": {
            "id": "t1",
            "turns": [
                {"role": "customer", "text": "Hi"},
                {"role": "agent", "text": "Hello, how can I help?"},
            ],
        },
        "labels": {"rater_a": labels},
    }


def _load(tmp_path: Path, *records: dict[str, Any] | str) -> evals.CalibrationSet:
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n")
    return evals.load_set(path, RUBRIC)


def test_example_set_is_shipped_with_two_raters() -> None:
    cset = example_set()
    assert len(cset.items) >= 30
    assert cset.raters == ["rater_a", "rater_b"]
    labelled = [len(i.labels["rater_a"]) for i in cset.items]
    assert min(labelled) >= 12  # most of the 17 elements
    assert "written for this project" in (EXAMPLE_SET / "README.md").read_text().lower()
    assert any(i.element_labels("recovery").get("rater_a", 0) is None for i in cset.items)


def test_na_and_null_are_both_not_applicable(tmp_path: Path) -> None:
    cset = _load(tmp_path, _record(recovery="na", escalation=None, courtesy=3))
    assert cset.items[0].labels["rater_a"] == {"recovery": None, "escalation": None, "courtesy": 3}


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"politeness": 2}, "element 'politeness', which rubric 'cx_core' does not have"),
        ({"courtesy": 4}, "off the element's scale 0..3"),
        ({"courtesy": "na"}, "'courtesy' is never N/A"),
    ],
)
def test_bad_labels_name_file_line_and_reason(
    tmp_path: Path, labels: dict[str, Any], message: str
) -> None:
    with pytest.raises(evals.CalibrationSetError) as err:
        _load(
            tmp_path,
            _record(courtesy=2),
            "",
            {**_record(**labels), "transcript": {**_record()["transcript"], "id": "t2"}},
        )
    assert "set.jsonl:3: " in str(err.value)
    assert message in str(err.value)


def test_other_format_errors(tmp_path: Path) -> None:
    with pytest.raises(evals.CalibrationSetError, match=r"set.jsonl:1: not valid JSON"):
        _load(tmp_path, "{not json")
    with pytest.raises(evals.CalibrationSetError, match="already used on line 1"):
        _load(tmp_path, _record(courtesy=2), _record(courtesy=1))
    with pytest.raises(evals.CalibrationSetError, match="nothing to compare"):
        _load(tmp_path, {"transcript": _record()["transcript"]})
    with pytest.raises(evals.CalibrationSetError, match="no records"):
        _load(tmp_path, "")
    with pytest.raises(evals.CalibrationSetError, match="no such file"):
        evals.load_set(tmp_path / "missing", RUBRIC)
    (tmp_path / "folder").mkdir()
    with pytest.raises(evals.CalibrationSetError, match=r"set\.jsonl"):
        evals.load_set(tmp_path / "folder", RUBRIC)
    with pytest.raises(evals.CalibrationSetError, match="transcript"):
        _load(
            tmp_path,
            {
                "transcript": {"id": "x", "turns": [{"role": "customer", "text": "hi"}]},
                "labels": {"r": {"courtesy": 1}},
            },
        )


def test_errors_are_input_errors() -> None:
    from grader import InputError

    assert issubclass(evals.CalibrationSetError, InputError)
    assert issubclass(evals.GateConfigError, InputError)


def test_outcome_only_set(tmp_path: Path) -> None:
    record = {
        "transcript": _record()["transcript"],
        "outcomes": {"csat": [4, 5]},
        "outcome_scales": {"csat": [1, 5]},
    }
    cset = _load(tmp_path, record)
    assert cset.outcome_names == ["csat"] and cset.outcome_scale("csat") == (1, 5)
    assert not cset.has_element_labels


def test_public_names_are_exported() -> None:
    for name in evals.__all__:
        assert hasattr(evals, name), name
    assert sorted(evals.__all__) == sorted(set(evals.__all__))
