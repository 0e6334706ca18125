"""Reports: report.json, report.md, report.html with every plot kind, junit.xml."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_eval_fakes import RUBRIC, example_set, make_grade

import evals

FIXTURES = Path(__file__).parent / "fixtures" / "evals"


def _element_report() -> evals.EvalReport:
    cset = example_set(limit=12)
    grades = {}
    for n, item in enumerate(cset.items):
        labels = item.labels["rater_a"]
        grades[item.id] = [
            make_grade(
                item.id, {e: s if s is None or n % 4 else min(s + 1, 3) for e, s in labels.items()}
            )
        ]
    report = evals.measure_set(cset, RUBRIC, grades, resamples=50)
    report.gate = evals.check_gate(report.metrics, [evals.parse_rule("overall.spearman=2", "min")])
    return _report_of(report, model="fake")


def _outcome_report() -> evals.EvalReport:
    items = evals.parse_items(
        (FIXTURES / "outcomes.jsonl").read_text().splitlines(), RUBRIC, source="outcomes.jsonl"
    )
    cset = evals.CalibrationSet(name="outcomes", items=items, focus_elements=["courtesy"])
    csat = {i.id: sum(i.outcomes["csat"]) for i in items}
    grades = {
        i.id: [make_grade(i.id, {"courtesy": min(3, int(csat[i.id]) // 4), "clarity": 2})]
        for i in items
    }
    report = evals.measure_set(cset, RUBRIC, grades, resamples=50)
    return _report_of(report, model="fake")


@pytest.mark.parametrize("make", [_element_report, _outcome_report])
def test_every_report_is_written(make: object, tmp_path: Path) -> None:
    report = make()  # type: ignore[operator]
    paths = evals.write_reports(report, tmp_path)
    assert [p.name for p in paths] == ["report.json", "report.md", "report.html", "junit.xml"]
    data = json.loads((tmp_path / "report.json").read_text())
    assert data["model"] == "fake" and data["rubric_version"] == RUBRIC.version
    assert "usage" in data and "prompt_version" in data
    md = (tmp_path / "report.md").read_text()
    assert "| compared with | grader score | Spearman [95% CI]" in md
    html = (tmp_path / "report.html").read_text()
    for kind in evals.PLOT_KINDS:
        assert f"data-plot='{kind}'><img" in html
        assert "data:image/png;base64," in html
    assert "http://" not in html and "https://" not in html  # self-contained
    root = ET.parse(tmp_path / "junit.xml").getroot()
    assert root.tag == "testsuites"
    assert root.find("testsuite") is not None


def test_junit_names_failed_thresholds(tmp_path: Path) -> None:
    report = _element_report()
    evals.write_junit(report, tmp_path / "junit.xml")
    cases = ET.parse(tmp_path / "junit.xml").getroot().iter("testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["overall.spearman >= 2"]
    assert "| FAIL | overall.spearman |" in evals.markdown_report(report)


def test_outcome_correlations_use_the_human_mean() -> None:
    from scipy.stats import spearmanr

    report = _outcome_report().sets[0]
    csat = next(o for o in report.outcomes if o.outcome == "csat")
    assert csat.raters == 3 and csat.scale == (1, 5)
    rows = report.rows
    focus = next(c for c in csat.correlations if c.target == "element.courtesy")
    expected = spearmanr(
        [r.grader_elements["courtesy"] for r in rows], [r.outcomes["csat"] for r in rows]
    ).statistic
    assert focus.spearman.value == pytest.approx(expected)
    assert "outcome.nps.overall.spearman" in report.metrics
    assert report.metrics["outcome.csat.human_vs_rest"] == csat.human_vs_rest.value


def _report_of(*sets: evals.SetReport, model: str = "none (no verdicts)") -> evals.EvalReport:
    return evals.EvalReport(
        model=model,
        prompt_version="p",
        rubric_id=RUBRIC.id,
        rubric_version=RUBRIC.version,
        samples=1,
        seed=0,
        usage=evals.EvalReport.model_fields["usage"].annotation(),  # type: ignore[misc]
        seconds=1.0,
        sets=list(sets),
    )


def _assert_every_plot(tmp_path: Path, report: evals.EvalReport) -> str:
    evals.write_reports(report, tmp_path)  # warnings are errors: no empty legend either
    html = (tmp_path / "report.html").read_text()
    for kind in evals.PLOT_KINDS:
        assert f"data-plot='{kind}'><img" in html
    return html


def test_an_element_only_calibration_report_renders(tmp_path: Path) -> None:
    """`grader calibrate` on a set with element labels only (a QA gold export): no
    element metrics, no outcome correlations; the report must still be written."""
    from test_learned import fake_cache

    cset = example_set()
    assert cset.has_element_labels and not cset.outcome_names
    lset = evals.learning_set(
        cset.items, RUBRIC, fake_cache(), scales=evals.target_scales(cset, RUBRIC)
    )
    rows = evals.rater_rows(cset.items, RUBRIC)
    check = evals.cross_validate_learned(lset, folds=2, seed=0, resamples=20, raters=rows)
    report = evals.learned_set_report(cset, check, lset, rows)
    assert not report.elements and not report.outcomes and report.scores
    html = _assert_every_plot(tmp_path, _report_of(report))
    assert "overall" in html


def test_an_element_labelled_set_nothing_was_graded_for_renders(tmp_path: Path) -> None:
    report = evals.measure_set(example_set(limit=6), RUBRIC, {}, resamples=20)
    assert not report.elements and not report.outcomes and report.graded == 0
    _assert_every_plot(tmp_path, _report_of(report))


def test_a_focus_element_is_also_ranked_by_its_unrounded_value() -> None:
    """Levels 0..3 tie most items; the judges' combined value they were rounded from does not."""
    from scipy.stats import spearmanr

    items = evals.parse_items(
        (FIXTURES / "outcomes.jsonl").read_text().splitlines(), RUBRIC, source="outcomes.jsonl"
    )
    cset = evals.CalibrationSet(name="outcomes", items=items, focus_elements=["courtesy"])
    csat = {i.id: sum(i.outcomes["csat"]) / len(i.outcomes["csat"]) for i in items}
    top = max(csat.values())
    grades = {}
    for item in items:
        grade = make_grade(item.id, {"courtesy": 1, "clarity": 2})  # every level ties
        value = 3 * csat[item.id] / top
        verdicts = [v.model_copy(update={"value": value}) for v in grade.verdicts]
        grades[item.id] = [grade.model_copy(update={"verdicts": verdicts})]
    report = evals.measure_set(cset, RUBRIC, grades, resamples=0)
    corr = {
        c.target: c for c in next(o for o in report.outcomes if o.outcome == "csat").correlations
    }
    assert corr["element.courtesy"].spearman.value is None  # a constant level ranks nothing
    expected = spearmanr([3 * csat[i.id] / top for i in items], list(csat.values())).statistic
    assert corr["element_value.courtesy"].spearman.value == pytest.approx(expected)
    assert "outcome.csat.element_value.courtesy.spearman" in report.metrics
