"""Contrast pairs: the shipped suite, the format's errors, pairwise accuracy, and a gate that fails."""

from __future__ import annotations

import asyncio
import random
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from test_eval_fakes import ROOT, RUBRIC, make_grade
from typer.testing import CliRunner

import evals
from cli import app
from grader import Grade, Transcript, Verdict, rubric_grader
from grader.judges import JudgeVote
from grader.model import LLM

SUITE = ROOT / "evals" / "sets" / "contrast"
GOOD = """
- id: p1
  element: courtesy
  industry: retail
  channel: chat
  start: "2025-01-01T10:00:00+00:00"
  turns:
    - customer: "My parcel is late."
      at: 0
    - agent:
        better: "I'm sorry it's late; it arrives tomorrow."
        worse: "It arrives tomorrow."
      at: {better: 30, worse: 900}
    - customer: {better: "Thanks!"}
"""


def _write(tmp_path: Path, text: str, name: str = "pairs.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_shipped_suite_covers_every_element_channel_and_several_industries() -> None:
    cset = evals.load_contrast(SUITE, RUBRIC)
    per_element = Counter(p.element for p in cset.pairs)
    assert len(cset.pairs) >= 50
    assert set(per_element) == {e.id for e in RUBRIC.elements}
    assert min(per_element.values()) >= 2
    assert {p.better.channel.value for p in cset.pairs} == {"chat", "email", "voice", "social"}
    assert len({p.industry for p in cset.pairs}) >= 5
    assert sum(p.subtle for p in cset.pairs) >= 10
    timed = [p for p in cset.pairs if p.element == "responsiveness"]
    assert any(t.timestamp for p in timed for t in p.worse.turns)
    assert evals.is_contrast_source(SUITE)
    assert not evals.is_contrast_source(ROOT / "evals" / "sets" / "example")


def test_shared_turns_become_two_twins(tmp_path: Path) -> None:
    pair = evals.load_contrast(_write(tmp_path, GOOD), RUBRIC).pairs[0]
    assert [t.text for t in pair.better.turns][-1] == "Thanks!"
    assert len(pair.worse.turns) == 2
    assert pair.better.turns[1].text.startswith("I'm sorry")
    gap = pair.worse.turns[1].timestamp - pair.worse.turns[0].timestamp  # type: ignore[operator]
    assert gap.total_seconds() == 900
    assert pair.better.id == "p1/better" and pair.worse.id == "p1/worse"


def test_whole_twins_form(tmp_path: Path) -> None:
    text = """
    pairs:
      - id: whole
        element: empathy
        better: {channel: email, turns: [{role: customer, text: "I'm worried."},
                                         {role: agent, text: "That sounds stressful; here is what I did."}]}
        worse: {channel: email, turns: [{role: customer, text: "I'm worried."},
                                        {role: agent, text: "Here is what I did."}]}
    """
    pair = evals.load_contrast(_write(tmp_path, text), RUBRIC).pairs[0]
    assert pair.better.channel.value == "email" and pair.element == "empathy"


BAD = [
    ("- id: x\n  element: politeness\n  turns: [{agent: hi}]\n", "element 'politeness' is not in rubric"),
    ("- id: x\n  element: courtesy\n  turns: [{agent: {better: a, worse: a}}]\n", "identical"),
    ("- id: x\n  element: courtesy\n  turns: [{text: hi}]\n", "unknown key(s) ['text']"),
    ("- id: x\n  element: courtesy\n  turns: [{agent: a, customer: b}]\n", "exactly one role"),
    ("- id: x\n  element: courtesy\n  turns: [{agent: {better: a, worse: b}, at: 5}]\n", "needs the pair's 'start'"),
    ("- id: x\n  element: courtesy\n  channel: fax\n  turns: [{agent: {better: a, worse: b}}]\n", "channel 'fax'"),
    ("- id: x\n  element: courtesy\n  turns: [{customer: {better: a, worse: b}}]\n", "no agent, bot or supervisor"),
    ("- id: x\n  element: courtesy\n  colour: red\n  turns: [{agent: {better: a, worse: b}}]\n", "unknown key(s) ['colour']"),
    ("- id: x\n  element: courtesy\n  turns: [{agent: {better: a, worse: b}}]\n  better: {turns: []}\n", "either 'turns'"),
    ("- id: x\n  element: courtesy\n  turns: [{agent: {better: a, worse: b}}]\n"
     "- id: x\n  element: courtesy\n  turns: [{agent: {better: c, worse: d}}]\n", "already used"),
    ("[unclosed", "cannot read"),
    ("{}", "non-empty list of pairs"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_pair_file_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(evals.ContrastSetError) as err:
        evals.load_contrast(path, RUBRIC)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_bad_pair_file_exits_2(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD[0][0])
    result = CliRunner().invoke(app, ["eval", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "politeness" in result.output


def test_pair_credit_counts_ties_and_missing_as_half() -> None:
    assert evals.pair_credit(2.0, 1.0) == 1.0
    assert evals.pair_credit(1.0, 2.0) == 0.0
    assert evals.pair_credit(2.0, 2.0) == 0.5
    assert evals.pair_credit(None, 1.0) == 0.5


def _verdict(element: str, status: str, score: int | None, votes: dict[str, float]) -> Verdict:
    dim = RUBRIC.dimension_of(element).id
    return Verdict(
        element_id=element, dimension_id=dim, score=score, max_score=3, rationale="",
        evidence=[], weight=1.0, status=status,
        votes=[JudgeVote(judge=j, score=s, confidence=0.5) for j, s in votes.items()],
    )  # fmt: skip


def _graded(tid: str, verdicts: list[Verdict]) -> Grade:
    base = make_grade(tid, {})
    return base.model_copy(update={"verdicts": verdicts})


def test_measure_contrast_per_element_and_judge(tmp_path: Path) -> None:
    text = "".join(
        f"- id: {pid}\n  element: {el}\n  turns: [{{agent: {{better: a{pid}, worse: b{pid}}}}}]\n"
        for pid, el in [
            ("c1", "courtesy"),
            ("c2", "courtesy"),
            ("u1", "clarity"),
            ("u2", "clarity"),
        ]
    )
    cset = evals.load_contrast(_write(tmp_path, text), RUBRIC)
    grades = {
        "c1/better": _graded("c1/better", [_verdict("courtesy", "scored", 3, {"detector:x": 3, "learned:y": 1})]),
        "c1/worse": _graded("c1/worse", [_verdict("courtesy", "scored", 1, {"detector:x": 1, "learned:y": 2})]),
        "c2/better": _graded("c2/better", [_verdict("courtesy", "scored", 2, {"detector:x": 2})]),
        "c2/worse": _graded("c2/worse", [_verdict("courtesy", "scored", 2, {"detector:x": 2})]),
        "u1/better": _graded("u1/better", [_verdict("clarity", "uncertain", None, {})]),
        "u1/worse": _graded("u1/worse", [_verdict("clarity", "scored", 1, {})]),
    }  # u2 never graded: both twins missing  # fmt: skip
    report = evals.measure_contrast(cset, grades)
    by = {e.element_id: e for e in report.elements}
    assert by["courtesy"].accuracy == 0.75 and by["courtesy"].status == "scored"
    assert by["clarity"].accuracy == 0.5 and by["clarity"].status == "scored"  # 1 of 2 uncertain
    judges = {j.judge: j for j in report.judges}
    assert judges["detector:x"].accuracy == 0.75 and judges["detector:x"].pairs == 2
    assert judges["learned:y"].accuracy == 0.0 and judges["learned:y"].coverage == 0.25
    assert report.accuracy == pytest.approx((1 + 0.5 + 0.5 + 0.5) / 4)
    assert report.metrics["pairwise.graded_fraction"] == 6 / 8
    assert report.metrics["pairwise.element.courtesy.accuracy"] == 0.75
    assert report.metrics["pairwise.judge.detector:x.accuracy"] == 0.75


def test_an_element_uncertain_on_most_pairs_is_not_gated_but_counted(tmp_path: Path) -> None:
    text = "".join(
        f"- id: u{n}\n  element: brand_voice\n  turns: [{{agent: {{better: a{n}, worse: b{n}}}}}]\n"
        for n in range(3)
    )
    cset = evals.load_contrast(_write(tmp_path, text), RUBRIC)
    grades = {
        f"u{n}/{w}": _graded(f"u{n}/{w}", [_verdict("brand_voice", "uncertain", None, {})])
        for n in range(3) for w in ("better", "worse")
    }  # fmt: skip
    report = evals.measure_contrast(cset, grades)
    assert report.uncertain_elements == ["brand_voice"]
    assert report.metrics["pairwise.element.brand_voice.accuracy"] is None
    assert "uncertain on 3 of 3" in report.undefined["pairwise.element.brand_voice.accuracy"]
    assert report.metrics["pairwise.uncertain_elements"] == 1.0


def _random_grader(seed: int):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)

    async def grade(transcript: Transcript) -> Grade:
        scores: dict[str, int | None] = {e.id: rng.randint(0, 3) for e in RUBRIC.elements}
        return make_grade(transcript.id, scores)

    return grade


def _contrast_gate(report: evals.ContrastReport) -> list[evals.GateCheck]:
    return evals.check_gate(report.metrics, evals.load_gate(SUITE / "gate.yaml"), report.undefined)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gate_fails_for_a_judge_answering_at_random(seed: int) -> None:
    cset = evals.load_contrast(SUITE, RUBRIC)
    grades = asyncio.run(
        evals.grade_twins(cset, _random_grader(seed), rubric=RUBRIC, model="random")
    )
    report = evals.measure_contrast(cset, grades)
    assert report.accuracy is not None and 0.35 < report.accuracy < 0.65
    failed = {c.metric for c in _contrast_gate(report) if not c.passed}
    assert "pairwise.accuracy" in failed


def test_gate_passes_with_the_real_code_judges() -> None:
    """The shipped judges (no LLM, no learned scorer) on the shipped pairs pass the shipped gate."""
    cset = evals.load_contrast(SUITE, RUBRIC)
    llm = LLM("local/test")  # the code judges only: no call is made on the embedded model
    grade = rubric_grader(RUBRIC, llm, use_cache=False)
    report = asyncio.run(evals.run_contrast(cset, grade, rubric=RUBRIC, model="judges"))
    checks = _contrast_gate(report)
    assert all(c.passed for c in checks), [c.describe() for c in checks if not c.passed]
    assert report.accuracy is not None and report.accuracy >= 0.85
    assert any(j.judge.startswith("detector") for j in report.judges)


def test_cli_reports_contrast_pairs_with_single_call_beside(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["eval", str(path), "--model", "mockllm/default", "--no-cache", "--out", str(out),
         "--single-call", "--min", "pairwise.accuracy=0.99"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # one pair cannot reach 0.99 with mock answers
    report = evals.EvalReport.model_validate_json((out / "report.json").read_text())
    contrast = report.contrast[0]
    assert contrast.single_call is not None and contrast.single_call.grader == "single-call"
    assert "pairwise.single_call.accuracy" in contrast.metrics
    assert "contrast pairs" in (out / "report.md").read_text()
    assert "pairwise.accuracy" in (out / "junit.xml").read_text()


def test_limit_spreads_pairs_over_elements() -> None:
    cset = evals.load_contrast(SUITE, RUBRIC, limit=17)
    assert len({p.element for p in cset.pairs}) == 17


@pytest.mark.parametrize("seed", [0, 1])
def test_example_gate_fails_for_random_scores_on_rank_correlation(seed: int) -> None:
    """The example set's gate (rank correlation with the raters) is not passed by noise either."""
    example = ROOT / "evals" / "sets" / "example"
    cset = evals.load_set(example, RUBRIC)
    rng = random.Random(seed)
    grades = {
        i.id: [make_grade(i.id, {e.id: rng.randint(0, 3) for e in RUBRIC.elements})]
        for i in cset.items
    }
    report = evals.measure_set(cset, RUBRIC, grades, resamples=0)
    checks = evals.check_gate(
        report.metrics, evals.load_gate(example / "gate.yaml"), report.undefined
    )
    failed = {c.metric for c in checks if not c.passed}
    assert {"overall.spearman", "element_mean.kappa"} <= failed
