"""The `grader` command end to end, with the fake model and a fake OpenAI-compatible server."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from factories import ROOT, make_transcript
from typer.testing import CliRunner

from cli import app
from grader import Grade, Transcript
from grader.model import FakeOpenAIServer, HttpError

runner = CliRunner()
EXAMPLES = ROOT / "examples"


def _grades(path: Path) -> list[Grade]:
    return [Grade.model_validate_json(line) for line in path.read_text().splitlines()]


def test_grades_every_example_with_verified_evidence(tmp_path: Path) -> None:
    out = tmp_path / "grades.jsonl"
    result = runner.invoke(
        app, ["grade", str(EXAMPLES), "--model", "mockllm/default", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    grades = _grades(out)
    examples = sorted(EXAMPLES.glob("*.json"))
    assert len(grades) == len(examples) >= 12
    by_id = {
        Transcript.model_validate_json(p.read_text()).id: Transcript.model_validate_json(
            p.read_text()
        )
        for p in examples
    }
    for grade in grades:
        assert grade.status == "graded"
        for verdict in grade.verdicts:
            for ev in verdict.evidence:  # re-validate every quote against its transcript
                type(ev).model_validate(
                    ev.model_dump(), context={"transcript": by_id[grade.transcript_id]}
                )
    assert "Dimensions" in result.output and "Elements" in result.output


def test_csv_output_has_a_row_per_transcript(tmp_path: Path) -> None:
    out = tmp_path / "grades.csv"
    result = runner.invoke(
        app, ["grade", str(EXAMPLES), "--model", "mockllm/default", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(list(EXAMPLES.glob("*.json")))
    assert {"overall", "dim:timing", "el:courtesy", "flags"} <= set(rows[0])


def test_same_command_through_a_fake_openai_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-fake")
    src = tmp_path / "one.jsonl"
    src.write_text(make_transcript("srv").model_dump_json() + "\n")
    out = tmp_path / "g.jsonl"
    with FakeOpenAIServer([HttpError(429, {"Retry-After": "0"})]) as server:
        result = runner.invoke(
            app,
            [
                "grade",
                str(src),
                "--model",
                "openai/fake-model",
                "--api-base",
                server.base_url,
                "--out",
                str(out),
            ],
        )
        bodies = server.requests
    assert result.exit_code == 0, result.output
    (grade,) = _grades(out)
    assert grade.status == "graded" and grade.model == "openai/fake-model"
    assert len(bodies) == 2, "one 429, one answer"
    assert bodies[1].params["response_format"]["type"] == "json_schema"
    assert "[customer]" in bodies[1].messages[1]["content"]


def test_bad_records_are_reported_and_good_ones_still_graded(tmp_path: Path) -> None:
    src = tmp_path / "mixed.jsonl"
    good = make_transcript("good").model_dump_json()
    src.write_text(
        good + "\n" + '{"id": "bad", "turns": [{"role": "robot", "text": "hi"}]}\n{not json\n'
    )
    out = tmp_path / "g.jsonl"
    result = runner.invoke(
        app, ["grade", str(src), "--model", "mockllm/default", "--out", str(out)]
    )
    assert result.exit_code == 1, "partial: some input skipped"
    assert [g.transcript_id for g in _grades(out)] == ["good"]
    assert "mixed.jsonl:line 2" in result.output and "role" in result.output
    assert "line 3" in result.output


def test_nothing_valid_is_bad_input(tmp_path: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_text('{"id": "x", "turns": []}\n')
    result = runner.invoke(app, ["grade", str(src), "--model", "mockllm/default"])
    assert result.exit_code == 2
    assert "nothing to grade" in result.output


def test_invalid_rubric_is_bad_input(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text("id: x\nname: y\nbogus_field: 1\n")
    result = runner.invoke(
        app, ["grade", str(EXAMPLES), "--rubric", str(rubric), "--model", "mockllm/default"]
    )
    assert result.exit_code == 2 and "bogus_field" in result.output


def test_model_failures_give_partial_exit_and_unscored_lines(tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text(make_transcript("a").model_dump_json() + "\n")
    out = tmp_path / "g.jsonl"
    with FakeOpenAIServer(["not json"] * 10) as server:
        result = runner.invoke(
            app,
            [
                "grade",
                str(src),
                "--model",
                "openai/x",
                "--api-base",
                server.base_url,
                "--out",
                str(out),
            ],
            env={"OPENAI_API_KEY": "sk-fake"},
        )
    assert result.exit_code == 1
    (grade,) = _grades(out)
    assert grade.status == "unscored" and "invalid" in (grade.error or "")


def test_budget_flag_stops_the_run(tmp_path: Path) -> None:
    out = tmp_path / "g.jsonl"
    result = runner.invoke(
        app,
        [
            "grade",
            str(EXAMPLES),
            "--model",
            "mockllm/default",
            "--budget",
            "100",
            "--concurrency",
            "1",
            "--out",
            str(out),
            "--no-cache",
        ],
    )
    assert result.exit_code == 1
    statuses = [g.status for g in _grades(out)]
    assert statuses.count("graded") == 1 and len(statuses) == len(list(EXAMPLES.glob("*.json")))


def test_cache_serves_a_second_identical_run(tmp_path: Path) -> None:
    out1, out2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    args = ["grade", str(EXAMPLES / "01_where_is_my_package.json"), "--model", "mockllm/default"]
    assert runner.invoke(app, [*args, "--out", str(out1)]).exit_code == 0
    assert runner.invoke(app, [*args, "--out", str(out2)]).exit_code == 0
    assert [g.cached for g in _grades(out1)] == [False]
    assert [g.cached for g in _grades(out2)] == [True]
    out3 = tmp_path / "c.jsonl"
    assert runner.invoke(app, [*args, "--out", str(out3), "--no-cache"]).exit_code == 0
    assert [g.cached for g in _grades(out3)] == [False]


def test_rubric_check_explains_problems(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["rubric", "check", str(ROOT / "grader/rubrics/default.yaml")])
    assert ok.exit_code == 0 and "17 elements" in ok.output.replace("\n", " ")
    bad = tmp_path / "bad.yaml"
    data = (ROOT / "grader/rubrics/default.yaml").read_text().replace("id: courtesy", "id: clarity")
    bad.write_text(data)
    result = runner.invoke(app, ["rubric", "check", str(bad)])
    assert result.exit_code == 2 and "duplicate element ids: clarity" in result.output


def test_bad_out_suffix_is_rejected_before_grading(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["grade", str(EXAMPLES), "--model", "mockllm/default", "--out", str(tmp_path / "x.txt")],
    )
    assert result.exit_code == 2 and ".jsonl or .csv" in result.output


def test_output_is_streamed_line_by_line(tmp_path: Path) -> None:
    out = tmp_path / "g.jsonl"
    runner.invoke(app, ["grade", str(EXAMPLES), "--model", "mockllm/default", "--out", str(out)])
    assert all(json.loads(line)["transcript_id"] for line in out.read_text().splitlines())


def test_elements_flag_grades_only_those_elements(tmp_path: Path) -> None:
    out = tmp_path / "grades.jsonl"
    args = ["grade", str(EXAMPLES / "01_where_is_my_package.json"), "--model", "mockllm/default"]
    result = runner.invoke(app, [*args, "--elements", "courtesy", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (grade,) = _grades(out)
    assert [v.element_id for v in grade.verdicts] == ["courtesy"]
    assert [d.dimension_id for d in grade.dimensions] == ["connection"]
    bad = runner.invoke(app, [*args, "--elements", "politeness"])
    assert bad.exit_code == 2 and "politeness" in bad.output
