"""Resumable runs: grades are logged as they finish; --resume reuses them, unscored included."""

from __future__ import annotations

import json
from pathlib import Path

from test_eval_fakes import EXAMPLE_SET, answer_with
from typer.testing import CliRunner

from cli import app
from grader.model import FakeRequest, MockLLM, register_provider


def test_resume_reuses_logged_grades_without_asking_again(tmp_path: Path) -> None:
    lines = (EXAMPLE_SET / "set.jsonl").read_text().splitlines()[:4]
    (tmp_path / "set.jsonl").write_text("\n".join(lines) + "\n")
    broken = "Ridgeline trail runners"  # only in the first conversation
    assert broken in lines[0] and not any(broken in line for line in lines[1:])

    def respond(request: FakeRequest) -> str | dict[str, object]:
        if any(broken in str(m.get("content")) for m in request.messages):
            return "this is not JSON"  # stays invalid after every re-ask: unscored
        return answer_with(request, {"courtesy": 2})

    mock = MockLLM(respond)
    register_provider("mockllm", mock)
    args = ["eval", str(tmp_path / "set.jsonl"), "--model", "mockllm/eval", "--no-cache",
            "--out", str(tmp_path / "out"), "--bootstrap", "0"]  # fmt: skip
    first = CliRunner().invoke(app, args)
    asked = len(mock.requests)
    assert asked > 4  # three answers, and more than one attempt at the broken one
    log = (tmp_path / "out" / "grades.jsonl").read_text().splitlines()
    assert len(log) == 4
    assert sum(json.loads(line)["grade"]["status"] == "unscored" for line in log) == 1
    assert first.exit_code == 0, first.output

    again = CliRunner().invoke(app, [*args, "--resume"])
    assert again.exit_code == 0, again.output
    assert len(mock.requests) == asked  # nothing asked again
    assert "4 grade(s)" in again.output
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["sets"][0]["graded"] == 3

    CliRunner().invoke(app, args)  # without --resume the log starts over
    assert len(mock.requests) > asked
