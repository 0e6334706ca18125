"""`grader ingest`, `grader suggest`, `grader rewrite`, `grader detect` end to end (fake model)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT
from typer.testing import CliRunner

from cli import app
from grader.model import FakeRequest, MockLLM, answer_from_schema, register_provider

runner = CliRunner()
FIXTURES = ROOT / "tests" / "fixtures" / "coach"
EXAMPLE = ROOT / "examples" / "04_refund_outside_window.json"


def coach_answer(request: FakeRequest) -> Any:
    """A well-formed suggestion citing the first retrieved id; grading answers from the schema."""
    out = answer_from_schema(request.schema or {})
    if "acknowledgement" in out:
        out.update(
            acknowledgement="I'm sorry the jacket didn't work out for running.",
            reason="Refunds close after 30 days because later returns can't be resold as new.",
            alternatives="Store credit for the full price is still open to you.",
            next_step="Reply with your choice and I'll send a prepaid label.",
            coaching_note="Give the reason and lead with what you can do.",
        )
    return out


@pytest.fixture(scope="module", autouse=True)
def _coach_model() -> None:
    register_provider("coachmock", MockLLM(coach_answer))


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store")
    result = runner.invoke(app, ["ingest", "starter", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "19 added" in result.output or "added" in result.output
    return path


def test_ingest_starter_twice_changes_nothing(store_dir: Path) -> None:
    result = runner.invoke(app, ["ingest", "starter", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "0 added, 0 updated" in result.output and "unchanged" in result.output


def test_ingest_names_bad_records_and_exits_1(tmp_path: Path) -> None:
    bad = FIXTURES / "answers_bad.jsonl"
    result = runner.invoke(app, ["ingest", "model-answers", str(bad), "--store", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad}:2 (bad-type)" in result.output and "1 added" in result.output


def test_ingest_a_bad_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["ingest", "policies", str(FIXTURES / "broken.yaml"), "--store", str(tmp_path)]
    )
    assert result.exit_code == 2 and "not valid YAML" in result.output


def test_ingest_separates_tenants(tmp_path: Path) -> None:
    csv = FIXTURES / "answers.csv"
    runner.invoke(
        app, ["ingest", "model-answers", str(csv), "--store", str(tmp_path), "--tenant", "acme"]
    )
    result = runner.invoke(
        app, ["ingest", "model-answers", str(csv), "--store", str(tmp_path), "--tenant", "globex"]
    )
    assert "1 added" in result.output  # a new tenant starts empty


def test_suggest_prints_a_structured_suggestion(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "suggest",
            "--context",
            str(EXAMPLE),
            "--draft-turn",
            "1",
            "--store",
            str(store_dir),
            "--model",
            "coachmock/x",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["status"] == "ok"
    assert set(data["parts"]) == {"acknowledgement", "reason", "alternatives", "next_step"}
    assert data["cited_policy_ids"] or data["cited_answer_ids"]
    assert "that's our policy" in [s["phrase"] for s in data["policy_speak"]]
    assert data["checks"]["passed"] is True and data["source"] == "model"


def test_suggest_on_the_embedded_default_needs_no_model(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        ["suggest", "--context", str(EXAMPLE), "--draft-turn", "1", "--store", str(store_dir),
         "--model", "local", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["status"] == "ok" and data["source"] == "grounded"
    assert data["usage"]["calls"] == 0 and "[" not in data["reply"]


def test_suggest_works_on_a_conversation_with_customer_turns_only(
    store_dir: Path, tmp_path: Path
) -> None:
    only_customer = tmp_path / "waiting.json"
    only_customer.write_text(
        json.dumps(
            {
                "id": "c-1",
                "turns": [
                    {
                        "role": "customer",
                        "text": "Hi, I'm Dana. My jacket is 45 days old, can I return it?",
                    }
                ],
            }
        )
    )
    args = ["suggest", "--context", str(only_customer), "--draft", "Sorry, that's our policy.",
            "--store", str(store_dir), "--model", "local", "--json"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["status"] == "ok" and "Dana" in data["reply"]


def test_suggest_without_a_conversation(store_dir: Path) -> None:
    args = ["suggest", "--draft", "Sorry, that's our policy. Returns are 30 days only.",
            "--store", str(store_dir), "--model", "local"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "suggestion: ok (grounded)" in result.output


def test_suggest_streams_text(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "suggest",
            "--context",
            str(EXAMPLE),
            "--draft",
            "Sorry, that's our policy.",
            "--store",
            str(store_dir),
            "--model",
            "mockllm/coach",
            "--stream",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "mock answer" in result.output


def test_suggest_streams_the_grounded_reply(store_dir: Path) -> None:
    args = ["suggest", "--draft", "Sorry, that's our policy. Returns are 30 days only.",
            "--store", str(store_dir), "--model", "local", "--stream"]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "store credit" in result.output.lower().replace("\n", " ")


def test_suggest_without_a_draft_is_bad_input(store_dir: Path) -> None:
    result = runner.invoke(app, ["suggest", "--context", str(EXAMPLE), "--store", str(store_dir)])
    assert result.exit_code == 2 and "--draft" in result.output
    result = runner.invoke(
        app, ["suggest", "--context", str(EXAMPLE), "--draft-turn", "0", "--store", str(store_dir)]
    )
    assert result.exit_code == 2 and "not an agent-side turn" in result.output


def test_detect_reports_spans() -> None:
    result = runner.invoke(app, ["detect", "--draft", "Rules are rules. Anything else?"])
    assert result.exit_code == 1 and "rules_are_rules" in result.output
    result = runner.invoke(app, ["detect", "--draft", "Thanks, I've emailed you the label."])
    assert result.exit_code == 0 and "no policy-speak" in result.output


def test_rewrite_edits_without_adding_information() -> None:
    draft = "hi, your refund was sent on monday and should show in 3 to 5 business days, sorry for teh wait"
    result = runner.invoke(app, ["rewrite", "shorten", "--draft", draft, "--model", "mockllm/edit"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "mock answer"
