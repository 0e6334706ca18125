"""The human-rated data in ../shared: STC-3 outcome ratings and Stanford politeness.

Skipped when the data is not there (e.g. on a user's machine): it is never copied here.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import spearmanr
from test_eval_fakes import RUBRIC, make_grade

import evals
from grader import default_rubric

DATA = evals.shared_data_dir()
needs_stc3 = pytest.mark.skipif(
    not (DATA / "stc3_helpdesk_en.jsonl").is_file(),
    reason="../shared/data/stc3_helpdesk_en.jsonl not present",
)
needs_politeness = pytest.mark.skipif(
    not (DATA / "stanford_politeness.jsonl").is_file(),
    reason="../shared/data/stanford_politeness.jsonl not present",
)


@needs_stc3
def test_stc3_is_an_outcome_rating_set() -> None:
    cset = evals.load_stc3(limit=25, seed=1)
    assert len(cset.items) == 25
    assert cset.outcome_names == ["task_accomplishment", "customer_satisfaction", "effectiveness"]
    for item in cset.items:
        assert {t.role.value for t in item.transcript.turns} <= {"customer", "agent"}
        assert all(len(v) == 19 for v in item.outcomes.values())
        assert not item.labels
    assert [i.id for i in evals.load_stc3(limit=25, seed=1).items] == [i.id for i in cset.items]
    assert [i.id for i in evals.load_stc3(limit=25, seed=2).items] != [i.id for i in cset.items]


@needs_stc3
def test_stc3_one_human_versus_the_rest() -> None:
    cset = evals.load_stc3(limit=60, seed=0)
    grades = {i.id: [make_grade(i.id, {"courtesy": k % 4})] for k, i in enumerate(cset.items)}
    report = evals.measure_set(cset, RUBRIC, grades, resamples=0)
    sat = next(o for o in report.outcomes if o.outcome == "customer_satisfaction")
    data = np.array([i.outcomes["customer_satisfaction"] for i in cset.items], dtype=float).T
    expected = np.mean(
        [spearmanr(data[r], np.delete(data, r, axis=0).mean(axis=0)).statistic for r in range(19)]
    )
    assert sat.human_vs_rest.value == pytest.approx(expected)
    assert sat.raters == 19 and sat.scale == (-2, 2)


@needs_politeness
def test_politeness_is_one_agent_turn_compared_with_courtesy() -> None:
    cset = evals.load_politeness(limit=10, seed=0)
    assert len(cset.items) == 10
    assert cset.focus_elements == ["courtesy"]
    for item in cset.items:
        assert [t.role.value for t in item.transcript.turns] == ["agent"]
        assert len(item.outcomes["politeness"]) == 5
        # who rated, named within the community they rated (the corpus normalised per both)
        community = item.transcript.metadata.tags[0]
        raters = item.outcome_raters["politeness"]
        assert len(raters) == 5 and all(r.endswith(f"@{community}") for r in raters)
    assert cset.outcome_scale("politeness") == (1, 25)


def test_requests_sharing_an_id_get_distinct_transcript_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus gives different requests one id; a transcript id must name one text."""
    rows = [{"id": "wikipedia-7", "text": t, "community": "wikipedia", "scale": [1, 25],
             "ratings": {"politeness": [13, 12, 14, 11, 15]}}
            for t in ("Could you look?", "Why is this wrong?", "Thanks!")]  # fmt: skip
    rows.append({**rows[0], "id": "wikipedia-8"})
    (tmp_path / "stanford_politeness.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    monkeypatch.setenv("GRADER_SHARED_DATA", str(tmp_path))
    ids = [i.id for i in evals.load_politeness().items]
    assert ids == ["politeness-wikipedia-7", "politeness-wikipedia-7~2",
                   "politeness-wikipedia-7~3", "politeness-wikipedia-8"]  # fmt: skip
    sampled = {i.id: i.transcript.turns[0].text for i in evals.load_politeness(limit=2).items}
    assert all(sampled[k] == rows[ids.index(k)]["text"] for k in sampled)  # stable under sampling


def test_missing_shared_data_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADER_SHARED_DATA", str(tmp_path))
    assert evals.shared_data_dir() == tmp_path
    with pytest.raises(evals.CalibrationSetError, match="GRADER_SHARED_DATA"):
        evals.load_stc3(limit=5)


def test_adapters_read_the_documented_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = {
        "id": "1",
        "channel": "social",
        "scale": [-2, 2],
        "turns": [
            {"role": "customer", "text": "help"},
            {"role": "agent", "text": " "},
            {"role": "agent", "text": "Sure."},
        ],
        "ratings": {
            "customer_satisfaction": [1, 0],
            "task_accomplishment": [2, 2],
            "effectiveness": [0, 1],
        },
    }
    silent = {
        **record,
        "id": "2",
        "turns": [{"role": "customer", "text": "x"}, {"role": "agent", "text": ""}],
    }
    (tmp_path / "stc3_helpdesk_en.jsonl").write_text(
        json.dumps(record) + "\n" + json.dumps(silent) + "\n"
    )
    monkeypatch.setenv("GRADER_SHARED_DATA", str(tmp_path))
    cset = evals.load_stc3()
    assert [i.id for i in cset.items] == ["stc3-1"]  # a dialogue with no helpdesk words is skipped
    assert [t.text for t in cset.items[0].transcript.turns] == ["help", "Sure."]


def test_cli_reads_a_shared_set_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from test_eval_fakes import scripted_llm
    from typer.testing import CliRunner

    from cli import app
    from grader.model import register_provider

    rng = np.random.default_rng(0)
    lines = []
    for k in range(8):
        ratings = {
            name: rng.integers(-2, 3, 4).tolist()
            for name in ("task_accomplishment", "customer_satisfaction", "effectiveness")
        }
        lines.append(json.dumps({
            "id": str(k), "channel": "social", "scale": [-2, 2], "ratings": ratings,
            "turns": [{"role": "customer", "text": f"Problem number {k}."},
                      {"role": "agent", "text": f"Answer number {k}."}],
        }))  # fmt: skip
    (tmp_path / "stc3_helpdesk_en.jsonl").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("GRADER_SHARED_DATA", str(tmp_path))
    cset = evals.load_stc3()
    mean_sat = {i.id: float(np.mean(i.outcomes["customer_satisfaction"])) for i in cset.items}
    register_provider("mockllm", scripted_llm(
        [i.transcript for i in cset.items],
        lambda tid, _n: {"courtesy": min(3, max(0, round(mean_sat[tid] + 1.5)))},
    ))  # fmt: skip
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "stc3", "--model", "mockllm/eval", "--no-cache",
                                      "--out", str(out), "--bootstrap", "20"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["sets"][0]["name"] == "stc3"
    assert report["sets"][0]["graded"] == 8
    assert "outcome.customer_satisfaction.overall.spearman" in report["sets"][0]["metrics"]
    assert "Grader against people" in result.output


def test_politeness_eval_asks_only_for_courtesy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli import app

    lines = [
        json.dumps({"id": str(k), "text": f"Could you please look at item {k}?",
                    "community": "wikipedia", "scale": [1, 25],
                    "ratings": {"politeness": [10 + k, 12, 14, 9 + k, 15]}})
        for k in range(6)
    ]  # fmt: skip
    (tmp_path / "stanford_politeness.jsonl").write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("GRADER_SHARED_DATA", str(tmp_path))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["eval", "politeness", "--model", "mockllm/default",
                                      "--no-cache", "--out", str(out), "--bootstrap", "0"])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text())
    assert report["rubric_version"] == default_rubric().focused(["courtesy"]).version
    logged = [json.loads(line)["grade"] for line in (out / "grades.jsonl").read_text().splitlines()]
    assert len(logged) == 6
    assert all([v["element_id"] for v in g["verdicts"]] == ["courtesy"] for g in logged)
