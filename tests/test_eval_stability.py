"""Stability over samples: variance, flip rate, unstable verdicts."""

from __future__ import annotations

import asyncio

import pytest
from test_eval_fakes import RUBRIC, example_set, make_grade, scripted_grader

import evals


def test_alternating_answers_flip_every_time() -> None:
    cset = example_set(limit=4)

    def alternate(_tid: str, call: int) -> dict[str, int | None]:
        return {"courtesy": 3 if call % 2 == 0 else 2, "empathy": 1}

    grade, llm = scripted_grader([i.transcript for i in cset.items], alternate)
    report = asyncio.run(
        evals.run_eval([cset], grade, rubric=RUBRIC, model=llm.model, samples=2, resamples=0)
    )
    result = report.sets[0]
    assert result.stability is not None
    by_element = {e.element_id: e for e in result.stability.elements}
    assert by_element["courtesy"].flip_rate == 1.0
    assert by_element["courtesy"].variance == pytest.approx(0.25)
    assert by_element["empathy"].flip_rate == 0.0
    assert by_element["empathy"].variance == 0.0
    assert result.metrics["element.courtesy.flip_rate"] == 1.0
    assert all(row.unstable == ["courtesy"] for row in result.rows)
    assert all(len(row.sample_overall) == 2 for row in result.rows)


def test_na_counts_as_an_answer_for_flips() -> None:
    grades = {
        "t1": [make_grade("t1", {"recovery": None}), make_grade("t1", {"recovery": 2})],
        "t2": [
            make_grade("t2", {"recovery": 1}),
            make_grade("t2", {"recovery": 1}),
            make_grade("t2", {"recovery": 3}),
        ],
    }
    result = evals.stability(RUBRIC, grades)
    recovery = next(e for e in result.elements if e.element_id == "recovery")
    assert recovery.flip_rate == 1.0
    assert recovery.variance == pytest.approx(((1 - 5 / 3) ** 2 * 2 + (3 - 5 / 3) ** 2) / 3)
    assert result.unstable == {"t1": ["recovery"], "t2": ["recovery"]}
    assert result.samples == 3


def test_single_sample_has_no_stability_section() -> None:
    cset = example_set(limit=3)
    grades = {i.id: [make_grade(i.id, {"courtesy": 2})] for i in cset.items}
    report = evals.measure_set(cset, RUBRIC, grades, resamples=0)
    assert report.stability is None
    assert "element.courtesy.flip_rate" not in report.metrics
