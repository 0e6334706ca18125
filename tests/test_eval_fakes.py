"""Fakes shared by the eval tests: a scripted grader and grades built without a model.

The fake LLM answers with element scores chosen per transcript. The transcript id is not in
the prompt, so the fake finds the transcript by its numbered sentences, which are.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

import evals
from grader import Grade, Transcript, Verdict, default_rubric, rubric_grader, score_verdicts
from grader._grading import GradeFn
from grader._prompting import _line
from grader.model import LLM, FakeRequest, MockLLM, answer_from_schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_SET = ROOT / "evals" / "sets" / "example"
RUBRIC = default_rubric()
ELEMENTS = {e.id: e for e in RUBRIC.elements}

Scores = dict[str, int | None]
ScoreFn = Callable[[str, int], Scores]  # (transcript id, call number for it) -> scores


def _lines(transcript: Transcript) -> list[str]:
    from grader import segment_transcript

    return [_line(s, redact=False) for s in segment_transcript(transcript)]


def answer_with(request: FakeRequest, scores: Scores) -> dict[str, Any]:
    """A valid answer to the request with the given element scores (None: N/A)."""
    assert request.schema is not None
    answer: dict[str, Any] = answer_from_schema(request.schema)
    for element_id, score in scores.items():
        answer[element_id]["score"] = "na" if score is None else score
    return answer


def scripted_llm(transcripts: Sequence[Transcript], score_fn: ScoreFn) -> MockLLM:
    """A MockLLM answering each transcript with `score_fn(transcript id, nth call)`."""
    lines = {t.id: _lines(t) for t in transcripts}
    calls: dict[str, itertools.count[int]] = {t.id: itertools.count() for t in transcripts}

    def respond(request: FakeRequest) -> dict[str, Any]:
        prompt = request.messages[-1]["content"]
        # the transcript most of whose sentence lines are in the prompt (a few are masked
        # when the provider is hosted, so an exact match of every line is not required)
        tid = max(lines, key=lambda t: (sum(line in prompt for line in lines[t]), len(lines[t])))
        return answer_with(request, score_fn(tid, next(calls[tid])))

    return MockLLM(respond)


def scripted_grader(transcripts: Sequence[Transcript], score_fn: ScoreFn) -> tuple[GradeFn, LLM]:
    """The single-call rubric grader over the scripted fake (no cache): verdicts are its answers."""
    llm = LLM("mockllm/eval", provider=scripted_llm(transcripts, score_fn))
    return rubric_grader(RUBRIC, llm, use_cache=False, judges=("llm",)), llm


def example_set(limit: int | None = None) -> evals.CalibrationSet:
    """The shipped example calibration set."""
    return evals.load_set(EXAMPLE_SET, RUBRIC, limit=limit)


def lenient_scores(cset: evals.CalibrationSet) -> ScoreFn:
    """rater_a's labels, made a little lenient and noisy in a fixed pattern."""
    by_id = {item.id: item for item in cset.items}
    order = {item.id: n for n, item in enumerate(cset.items)}

    def score(tid: str, _call: int) -> Scores:
        labels = by_id[tid].labels["rater_a"]
        out: Scores = {}
        for k, (element_id, element) in enumerate(ELEMENTS.items()):
            given = labels.get(element_id, 2)
            if given is None:
                out[element_id] = None if (order[tid] + k) % 5 else 2
                continue
            bump = 1 if (order[tid] + k) % 3 == 0 else (-1 if (order[tid] * k) % 7 == 3 else 0)
            out[element_id] = min(max(given + bump, 0), element.max_level)
        return out

    return score


def make_grade(transcript_id: str, scores: Scores, *, profile_id: str = "balanced") -> Grade:
    """A graded `Grade` from element scores, scored by the rubric's own code."""
    profile = next(p for p in RUBRIC.weight_profiles if p.id == profile_id)
    verdicts = [
        Verdict(
            element_id=e,
            dimension_id=RUBRIC.dimension_of(e).id,
            score=s,
            max_score=ELEMENTS[e].max_level,
            rationale="",
            evidence=[],
            weight=ELEMENTS[e].weight * profile.elements.get(e, 1.0),
        )
        for e, s in scores.items()
    ]
    result = score_verdicts(RUBRIC, profile, verdicts)
    return Grade(
        transcript_id=transcript_id,
        status="graded",
        rubric_id=RUBRIC.id,
        rubric_version=RUBRIC.version,
        prompt_version="test",
        model="fake",
        weight_profile=profile_id,
        overall=result.overall,
        dimensions=result.dimensions,
        verdicts=verdicts,
        auto_failed=bool(result.auto_fail_reasons),
        auto_fail_reasons=result.auto_fail_reasons,
    )


def test_scripted_fake_grades_each_transcript_with_its_own_scores() -> None:
    cset = example_set(limit=3)
    transcripts = [item.transcript for item in cset.items]
    wanted: dict[str, Scores] = {t.id: {"courtesy": n} for n, t in enumerate(transcripts)}
    grade, _ = scripted_grader(transcripts, lambda tid, _n: wanted[tid])

    import asyncio

    async def run() -> list[Grade]:
        return [await grade(t) for t in reversed(transcripts)]

    for result in asyncio.run(run()):
        courtesy = next(v for v in result.verdicts if v.element_id == "courtesy")
        assert courtesy.score == wanted[result.transcript_id]["courtesy"]


def test_make_grade_scores_like_the_grader() -> None:
    grade = make_grade("t", {"courtesy": 3, "empathy": 0})
    assert grade.overall == pytest.approx(50.0)
