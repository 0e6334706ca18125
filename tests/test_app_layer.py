"""The application layer's front doors: exports, settings, keys CLI, use cases, `grader serve`."""

from __future__ import annotations

import importlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from factories import ROOT, make_transcript
from typer.testing import CliRunner

from app import GradingOptions, grade_many, summarize
from cli import app as cli_app
from grader import InputError, Settings, default_rubric, get_settings

EXAMPLE = ROOT / "examples" / "01_where_is_my_package.json"


@pytest.mark.parametrize("name", ["app", "app.storage", "api"])
def test_all_is_honest(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, s) and not s.startswith("_") for s in exported)
    public = {
        n for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", "").startswith(name.split(".")[0])
        and not isinstance(v, type(importlib))
    }  # fmt: skip
    assert public <= exported, f"public but not in __all__: {sorted(public - exported)}"


def test_core_imports_no_outer_package() -> None:
    code = (
        "import sys, grader, grader.importers, grader.model\n"
        "bad = [m for m in ('cli', 'api', 'app', 'evals', 'retrieval') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_settings_overrides_are_validated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = get_settings()
    assert settings.database == f"sqlite:///{tmp_path / 'data' / 'grader.db'}"
    assert settings.coach_store == tmp_path / "store"  # GRADER_STORE_DIR, read by the settings
    with pytest.raises(InputError, match="concurrency"):
        settings.with_overrides(concurrency=0)
    with pytest.raises(InputError, match="database_url"):
        settings.with_overrides(database_url="mysql://x/y")
    assert settings.with_overrides(model=None).model == settings.model, "None means not given"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/grader")
    get_settings.cache_clear()
    assert get_settings().database == "postgresql+psycopg://u:p@db:5432/grader"


async def test_grade_many_streams_each_grade() -> None:
    settings = Settings(model="mockllm/default", use_cache=False)
    transcripts = [make_transcript("a"), make_transcript("b")]
    notes: list[str] = []
    grades = [g async for g in grade_many(transcripts, default_rubric(), settings,
                                           GradingOptions(note=notes.append))]  # fmt: skip
    assert sorted(g.transcript_id for g in grades) == ["a", "b"]
    summary = summarize(grades, default_rubric())
    assert summary.transcripts == 2 and summary.usage.prompt_tokens == sum(
        g.usage.prompt_tokens for g in grades
    )


def test_keys_cli_creates_rotates_revokes_and_lists(tmp_path: Path) -> None:
    runner = CliRunner()
    made = runner.invoke(cli_app, ["keys", "create", "--tenant", "acme", "--scope", "grade",
                                   "--scope", "coach", "--name", "ci"])  # fmt: skip
    assert made.exit_code == 0, made.output
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("igk_")
    key_id = key.split("_")[1]
    listed = runner.invoke(cli_app, ["keys", "list", "--tenant", "acme"])
    assert key_id in listed.stdout and key not in listed.stdout, "secrets are never listed"
    rotated = runner.invoke(cli_app, ["keys", "rotate", key_id])
    assert rotated.exit_code == 0 and rotated.stdout.strip().startswith("igk_")
    assert runner.invoke(cli_app, ["keys", "rotate", key_id]).exit_code == 1, "already rotated"
    bad = runner.invoke(cli_app, ["keys", "create", "--tenant", "acme", "--scope", "root"])
    assert bad.exit_code == 2 and "unknown scope" in bad.output
    limits = runner.invoke(cli_app, ["keys", "limits", "--tenant", "acme", "--rate-limit", "5"])
    assert limits.exit_code == 0 and "5 requests/min" in limits.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_grader_serve_answers_and_grades(tmp_path: Path) -> None:
    """The README's path: keys create, grader serve, curl a transcript (a real process)."""
    env = {**os.environ, "GRADER_MODEL": "mockllm/default", "GRADER_USE_CACHE": "false"}
    grader = [sys.executable, "-c", "from cli import main; main()"]
    made = subprocess.run([*grader, "keys", "create", "--tenant", "acme", "--scope", "grade"],
                          env=env, capture_output=True, text=True, check=True, cwd=ROOT)  # fmt: skip
    key = made.stdout.strip().splitlines()[-1]
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([*grader, "serve", "--port", str(port), "--no-worker"], env=env,
                                  cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "grader serve did not answer in 120 s"
            time.sleep(0.5)
        assert httpx.get(f"{base}/v1/ready").json()["ready"] is True
        graded = httpx.post(
            f"{base}/v1/grades", content=EXAMPLE.read_bytes(), timeout=60,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )  # fmt: skip
        assert graded.status_code == 201, graded.text
        assert graded.json()["transcript_id"] == "ex-01-where-is-my-package"
        assert httpx.get(f"{base}/v1/grades").status_code == 401
        assert httpx.get(f"{base}/app/sidebar/").status_code == 200, "the pages are served"
    finally:
        server.terminate()
        server.wait(timeout=30)
