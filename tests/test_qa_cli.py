"""`grader spotlight`, `grader report`, `grader review`; and gold labels through `grader
calibrate`: an accepted override changes the tenant's learned calibration."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from jobs_support import migrated
from qa_seed import grade, store_job_grades, store_synthetic, synthetic, verdict
from typer.testing import CliRunner

import app.qa as qa
import evals
from app.storage import Database
from cli import app
from grader import Role, Transcript, Turn, default_rubric, get_settings

RUBRIC = default_rubric()
GOOD = ["thanks", "great", "solved", "perfect", "helpful", "quick", "kind", "lovely"]
BAD = ["still", "broken", "useless", "waiting", "again", "nobody", "angry", "rude"]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    monkeypatch.setenv("GRADER_DATABASE_URL", url)
    get_settings.cache_clear()
    database = migrated(url)
    yield database
    database.close()


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_report_and_spotlight(db: Database, tmp_path: Path) -> None:
    items = synthetic(120)
    store_synthetic(db, "acme", items)
    out = tmp_path / "teams.csv"
    text = _run("report", "--by", "team", "--tenant", "acme", "--csv", str(out))
    assert "north" in text and "south" in text
    rows = list(csv.DictReader(out.read_text().splitlines()))
    expected = {r.group: r for r in qa.breakdown(items, "team")}
    assert [r["team"] for r in rows] == ["north", "south"]
    for row in rows:
        want = expected[row["team"]]
        assert int(row["conversations"]) == want.conversations
        assert float(row["overall"]) == want.overall.mean
        assert float(row["timing"]) == want.dimensions["timing"].mean
    spot = tmp_path / "spot.csv"
    _run("spotlight", "--tenant", "acme", "--limit", "5", "--csv", str(spot))
    listed = list(csv.DictReader(spot.read_text().splitlines()))
    assert len(listed) == 5 and [float(r["priority"]) for r in listed] == sorted(
        (float(r["priority"]) for r in listed), reverse=True
    )
    assert listed[0]["why"]


def test_review_flow_from_the_command_line(db: Database, tmp_path: Path) -> None:
    keys = store_synthetic(db, "acme", synthetic(6))
    review_id = _run(
        "review",
        "override",
        keys[0],
        "courtesy",
        "3",
        "--reason",
        "sincere",
        "--as",
        "rita",
        "--tenant",
        "acme",
    ).strip()
    assert (
        _run("review", "decide", review_id, "--as", "lena", "--tenant", "acme").strip()
        == f"{review_id} accepted"
    )
    dispute_id = _run(
        "review",
        "dispute",
        keys[1],
        "--reason",
        "fair",
        "--propose",
        "empathy=2",
        "--as",
        "sam",
        "--tenant",
        "acme",
    ).strip()
    assert (
        _run("review", "resolve", dispute_id, "--reject", "--as", "lena", "--tenant", "acme")
        .strip()
        .endswith("rejected")
    )
    assert "override.submitted" in _run("review", "audit", "--tenant", "acme")
    gold = tmp_path / "gold.jsonl"
    _run("review", "export", str(gold), "--tenant", "acme")
    (item,) = evals.load_set(gold, RUBRIC).items
    assert item.labels == {"rita": {"courtesy": 3}}
    bad = CliRunner().invoke(
        app,
        [
            "review",
            "override",
            keys[0],
            "courtesy",
            "7",
            "--reason",
            "x",
            "--as",
            "r",
            "--tenant",
            "acme",
        ],
    )
    assert bad.exit_code == 2 and "0..3" in bad.output
    path = _run(
        "review", "webhook", "chatwoot", "--tenant", "acme", "--secret", "s", "--url-token"
    ).strip()
    assert path.startswith("/v1/webhooks/chatwoot/acme?token=")


def _conversations(n: int = 24, seed: int = 3) -> list[tuple[Transcript, int]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        polite = i % 2 == 0
        words = " ".join(rng.sample(GOOD if polite else BAD, 4))
        turns = [Turn(role=Role.CUSTOMER, text=f"my parcel {i} is late"),
                 Turn(role=Role.AGENT, text=f"sorry, {words}"), Turn(role=Role.CUSTOMER, text=words)]  # fmt: skip
        out.append((Transcript(id=f"c{i:02d}", turns=turns), 3 if polite else 0))
    return out


# evals' plot of an element-only set draws a legend with nothing in it (matplotlib warns)
@pytest.mark.filterwarnings("ignore:No artists with labels found:UserWarning")
def test_accepted_override_changes_the_learned_calibration(db: Database, tmp_path: Path) -> None:
    convs = _conversations()
    pairs = [(t, grade(t.id, 70.0, verdicts=[verdict("courtesy", 2)])) for t, _ in convs]
    keys = store_job_grades(db, "acme", pairs)
    with db.session() as s:
        for key, (_, level) in zip(keys, convs, strict=True):
            review = qa.submit_review(
                s, "acme", key, {"courtesy": level}, reviewer="rita", reason="scored"
            )
            qa.decide_review(s, "acme", review.id, "accept", lead="lena")
        ratings = [qa.FeedbackRow(transcript_id=t.id, csat=5 if level else 2) for t, level in convs]
        qa.store_feedback(s, "acme", ratings, source="upload")  # the customers' CSAT: an outcome

    def calibrate(name: str) -> evals.LearnedCalibration:
        gold = tmp_path / f"{name}.jsonl"
        graded = tmp_path / f"{name}.grades.jsonl"
        _run("review", "export", str(gold), "--tenant", "acme", "--grades", str(graded))
        _run(
            "calibrate",
            "--grades",
            str(graded),
            str(gold),
            "--cv",
            "2",
            "--bootstrap",
            "20",
            "--out",
            str(tmp_path / f"out-{name}"),
            "--calibration-dir",
            str(tmp_path / f"cal-{name}"),
            "--store",
            str(tmp_path / f"store-{name}"),
            "--tenant",
            "acme",
        )
        stored = evals.load_learned(tmp_path / f"cal-{name}", RUBRIC, "acme")
        assert stored is not None
        return stored

    before = calibrate("before")
    with db.session() as s:  # a second reviewer overrides three polite ones; the lead accepts
        for key in keys[:6:2]:
            made = qa.submit_review(
                s, "acme", key, {"courtesy": 0}, reviewer="omar", reason="curt", kind="override"
            )
            qa.decide_review(s, "acme", made.id, "accept", lead="lena")
    after = calibrate("after")
    exported = [json.loads(line) for line in (tmp_path / "after.jsonl").read_text().splitlines()]
    assert sum("omar" in record["labels"] for record in exported) == 3
    assert all(
        r["outcome_scales"] == {"csat": [1.0, 5.0]} and len(r["outcomes"]["csat"]) == 1
        for r in exported
    )
    target = next(t for t in before.targets if "courtesy" in t)
    assert before.targets[target].model_dump() != after.targets[target].model_dump()
    assert before.calibration_id != after.calibration_id
    assert (
        tmp_path / "store-after"
    ).exists()  # the conversations went to the tenant's exemplar store
