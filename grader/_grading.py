"""Grading as composition: segment, signal, prompt, ask, verify, score.

`rubric_grader(rubric, llm)` returns the callable that grades one transcript; `grade_all`
runs it over many with bounded concurrency, yielding results as they finish, and stops
sending requests once the token budget is spent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import prompts
from grader._answer import NA, GradingAnswer, answer_model
from grader._errors import BudgetExceededError, ModelError
from grader._prompting import build_messages
from grader._results import Evidence, ExemplarRef, Grade, Verdict
from grader._rubric import Rubric, Scenario
from grader._scoring import score_verdicts
from grader._segments import Segment, segment_transcript
from grader._signals import compute_signals
from grader._transcript import Transcript
from grader.model import LLM

__all__ = ["FewShot", "FewShotFn", "GradeFn", "grade_all", "rubric_grader"]

GradeFn = Callable[[Transcript], Awaitable[Grade]]


@dataclass(frozen=True)
class FewShot:
    """Scored examples for one transcript's prompt, and which exemplars they are."""

    text: str = ""
    exemplars: list[ExemplarRef] = field(default_factory=list)


#: Gives a transcript its few-shot examples (`retrieval.few_shot_provider` builds one).
FewShotFn = Callable[[Transcript], FewShot]


def _verdicts(
    rubric: Rubric,
    answer: GradingAnswer,
    scenario: Scenario,
    segments: dict[str, Segment],
    transcript: Transcript,
) -> list[Verdict]:
    profile = rubric.profile_for(scenario)
    given = answer.verdicts()
    verdicts = []
    for dim in rubric.dimensions:
        for el in dim.elements:
            raw = given[el.id]
            evidence = [
                Evidence.model_validate(
                    {
                        "sentence_id": sid,
                        "turn_index": segments[sid].turn_index,
                        "role": segments[sid].role,
                        "quote": segments[sid].text,
                    },
                    context={"transcript": transcript},
                )
                for sid in raw.evidence
            ]
            verdicts.append(
                Verdict(
                    element_id=el.id,
                    dimension_id=dim.id,
                    score=None if raw.score == NA else int(raw.score),
                    max_score=el.max_level,
                    rationale=raw.rationale,
                    evidence=evidence,
                    weight=el.weight * profile.elements.get(el.id, 1.0),
                )
            )
    return verdicts


def rubric_grader(
    rubric: Rubric,
    llm: LLM,
    *,
    redact_pii: bool = False,
    use_cache: bool = True,
    few_shot: FewShotFn | None = None,
) -> GradeFn:
    """A function grading one transcript with `rubric` through `llm`.

    It never raises for a model failure: it returns an *unscored* grade naming the reason.
    `BudgetExceededError` is the exception, so a run can stop. With `few_shot`, the nearest
    human-scored conversations are shown first and named in the grade.
    """
    version = prompts.prompt_version()

    async def grade(transcript: Transcript) -> Grade:
        started = time.perf_counter()
        segments = segment_transcript(transcript)
        signals = compute_signals(transcript)
        base = {
            "transcript_id": transcript.id,
            "rubric_id": rubric.id,
            "rubric_version": rubric.version,
            "prompt_version": version,
            "model": llm.model,
            "signals": signals,
        }
        shots = await asyncio.to_thread(few_shot, transcript) if few_shot else FewShot()
        base["few_shot"] = shots.exemplars
        messages = build_messages(
            rubric, transcript, segments, signals, redact=redact_pii, examples=shots.text
        )
        try:
            generation = await llm.generate(
                messages,
                answer_model(rubric, segments),
                context={"sentence_ids": {s.id for s in segments}},
                cache_scope=f"{rubric.version}|{version}",
                use_cache=use_cache,
            )
        except BudgetExceededError:
            raise
        except ModelError as exc:
            return Grade(
                status="unscored", error=str(exc), seconds=time.perf_counter() - started, **base
            )
        answer = generation.value
        scenario = Scenario(
            touchpoint=transcript.channel,
            inquiry_type=answer.inquiry_type,
            customer_state=answer.customer_state,
            objective=answer.objective,
        )
        profile = rubric.profile_for(scenario)
        verdicts = _verdicts(rubric, answer, scenario, {s.id: s for s in segments}, transcript)
        scores = score_verdicts(rubric, profile, verdicts)
        return Grade(
            status="graded",
            scenario=scenario,
            weight_profile=profile.id,
            overall=scores.overall,
            auto_failed=bool(scores.auto_fail_reasons),
            auto_fail_reasons=scores.auto_fail_reasons,
            dimensions=scores.dimensions,
            verdicts=verdicts,
            usage=generation.usage,
            cached=generation.cached,
            seconds=round(time.perf_counter() - started, 3),
            **base,
        )

    return grade


async def grade_all(
    transcripts: Iterable[Transcript],
    grade: GradeFn,
    *,
    rubric: Rubric,
    model: str,
    concurrency: int = 2,
) -> AsyncIterator[Grade]:
    """Grade many, yielding each grade as it finishes.

    After the budget is spent, the rest come back unscored without a request being sent.
    """
    queue = list(transcripts)
    semaphore = asyncio.Semaphore(max(1, concurrency))
    budget_spent = asyncio.Event()

    async def one(transcript: Transcript) -> Grade:
        async with semaphore:
            if not budget_spent.is_set():
                try:
                    return await grade(transcript)
                except BudgetExceededError as exc:
                    budget_spent.set()
                    reason = str(exc)
            else:
                reason = "token budget spent: not graded"
            return Grade(
                transcript_id=transcript.id,
                status="unscored",
                error=reason,
                rubric_id=rubric.id,
                rubric_version=rubric.version,
                prompt_version=prompts.prompt_version(),
                model=model,
            )

    tasks = [asyncio.create_task(one(t)) for t in queue]
    try:
        for finished in asyncio.as_completed(tasks):
            yield await finished
    finally:
        for task in tasks:
            task.cancel()
