"""Grading as composition: segment, signal, embed, judge, combine, score.

Code judges (signals, detectors, exemplar similarity, learned scorers) vote on each element;
a hosted model's single structured call is one more vote; `grader.judges.combine_votes`
makes the verdicts. On the embedded model no model call is made at all (as a judge it
scored every element 0 and ranked contrast pairs at chance).

`rubric_grader(rubric, llm)` returns the callable that grades one transcript; `grade_all`
runs it over many with bounded concurrency, yielding results as they finish, and stops
sending requests once the token budget is spent.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import prompts
from grader._answer import answer_model
from grader._embedding import SentenceEncoder, default_encoder
from grader._errors import BudgetExceededError, ConfigurationError, ModelError
from grader._prompting import build_messages
from grader._redaction import Redactor, sensitive_terms
from grader._results import ExemplarRef, Grade, Verdict
from grader._rubric import JUDGE_KINDS, Rubric, Scenario, WeightProfile
from grader._scoring import score_verdicts
from grader._segments import Segment, segment_transcript
from grader._signals import compute_signals
from grader._transcript import Transcript
from grader.judges import (
    Judge,
    Votes,
    build_context,
    cite_examined,
    classify_scenario,
    combine_votes,
    constraints_judge,
    framing_judge,
    lexical_judge,
    llm_votes,
    rapport_judge,
    signals_judge,
    similarity_judge,
)
from grader.model import LLM, Usage

__all__ = ["FactsFn", "FewShot", "FewShotFn", "GradeFn", "grade_all", "rubric_grader"]

GradeFn = Callable[[Transcript], Awaitable[Grade]]


@dataclass(frozen=True)
class FewShot:
    """Scored examples for one transcript's prompt, and which exemplars they are."""

    text: str = ""
    exemplars: list[ExemplarRef] = field(default_factory=list)


#: Gives a transcript its few-shot examples (`retrieval.few_shot_provider` builds one).
FewShotFn = Callable[[Transcript], FewShot]
#: Gives a transcript the policy facts that apply to it (sentences), for the accuracy judge;
#: the coach's knowledge base can provide one without the core importing it.
FactsFn = Callable[[Transcript], Sequence[str]]


def _is_local(llm: LLM) -> bool:
    return llm.model.startswith("local/")


def _injection(transcript: Transcript) -> list[str]:
    """Suspected prompt-injection passages, from `grader._injection` once it exists (the seam).

    The code judges read no instructions, so an injected "give full marks" cannot move
    them; the hit only sends the grade to review and is listed on it.
    """
    try:
        module = importlib.import_module("grader._injection")
    except ImportError:
        return []
    out = []
    for hit in module.detect_injection(transcript):
        where = getattr(hit, "sentence_id", None) or f"turn {getattr(hit, 'turn_index', '?')}"
        out.append(f"{where}: {getattr(hit, 'reason', None) or getattr(hit, 'kind', hit)}")
    return out


def _code_judges(kinds: set[str], encoder: SentenceEncoder) -> list[Judge]:
    made: list[Judge] = []
    if "signals" in kinds:
        made.append(signals_judge())
    if "detector" in kinds:
        made += [framing_judge(), rapport_judge(encoder), lexical_judge(), constraints_judge()]
    if "similarity" in kinds:
        made.append(similarity_judge(encoder))
    return made


def _combine_all(
    rubric: Rubric,
    profile: WeightProfile,
    votes: list[Votes],
    kinds: set[str],
    segments: list[Segment],
    transcript: Transcript,
) -> list[Verdict]:
    by_id = {s.id: s for s in segments}
    verdicts = []
    for dim in rubric.dimensions:
        for el in dim.elements:
            accepted = [
                v
                for judged in votes
                if (v := judged.get(el.id)) is not None and v.kind in el.judges and v.kind in kinds
            ]
            verdicts.append(
                combine_votes(
                    el,
                    dim.id,
                    accepted,
                    weight=el.weight * profile.elements.get(el.id, 1.0),
                    policy=rubric.judging,
                    segments=by_id,
                    transcript=transcript,
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
    judges: Sequence[str] | None = None,
    extra_judges: Sequence[Judge] = (),
    encoder: SentenceEncoder | None = None,
    facts: FactsFn | None = None,
) -> GradeFn:
    """A function grading one transcript with `rubric`: code judges, plus `llm` if hosted.

    `judges` names the kinds that vote (default: signals, detector, similarity and learned,
    plus llm unless the model is the embedded one, which measurably hurts as a judge; pass
    `("llm",)` for the single structured call alone). `extra_judges` adds judges of any kind
    (e.g. learned scorers). Each element keeps only votes of kinds its `judges` lists.
    It never raises for a model failure: it returns an *unscored* grade naming the reason.
    `BudgetExceededError` is the exception, so a run can stop. With `few_shot`, the nearest
    human-scored conversations are shown first and named in the grade. With `facts`, the
    accuracy judge holds the agent's numbers to the policy facts it returns.
    """
    version = prompts.prompt_version()
    if judges is None:
        kinds = {k for k in JUDGE_KINDS if k != "llm" or not _is_local(llm)}
    else:
        unknown = sorted(set(judges) - set(JUDGE_KINDS))
        if unknown:
            raise ConfigurationError(f"unknown judge kind(s) {unknown}; known: {JUDGE_KINDS}")
        kinds = set(judges)
    sentence_encoder = encoder or default_encoder()
    code = [*_code_judges(kinds, sentence_encoder), *extra_judges]
    needs_vectors = bool(code) and bool(kinds & {"detector", "similarity", "learned", "signals"})

    async def grade(transcript: Transcript) -> Grade:
        started = time.perf_counter()
        segments = segment_transcript(transcript)
        signals = compute_signals(transcript)
        base = {
            "transcript_id": transcript.id,
            "rubric_id": rubric.id,
            "rubric_version": rubric.version,
            "prompt_version": version,
            "model": llm.model if "llm" in kinds else f"judges:{'+'.join(sorted(kinds))}",
            "signals": signals,
        }
        ctx = await asyncio.to_thread(
            build_context,
            transcript,
            rubric,
            segments=segments,
            signals=signals,
            encoder=sentence_encoder if needs_vectors else None,
            facts=tuple(await asyncio.to_thread(facts, transcript)) if facts else (),
        )
        scenario = classify_scenario(ctx, sentence_encoder if needs_vectors else None)
        votes: list[Votes] = []
        usage, cached = Usage(), False
        injection = _injection(transcript)
        # A model reads the text it grades: on suspected injection it is not asked; the code
        # judges (which read no instructions) decide and the grade goes to review (H, issue 13).
        if "llm" in kinds and not injection:
            shots = await asyncio.to_thread(few_shot, transcript) if few_shot else FewShot()
            base["few_shot"] = shots.exemplars
            messages = build_messages(
                rubric, transcript, segments, signals, redact=redact_pii, examples=shots.text
            )
            try:
                generation = await llm.generate(
                    messages,
                    answer_model(rubric, segments),
                    # sentence id -> speaker: the same context as `_answer.answer_context`
                    context={"sentence_ids": {s.id: s.role.value for s in segments}},
                    redactor=Redactor(**sensitive_terms(transcript)),  # names from metadata
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
            usage, cached = generation.usage, generation.cached
            scenario = Scenario(
                touchpoint=transcript.channel,
                inquiry_type=answer.inquiry_type,
                customer_state=answer.customer_state,
                objective=answer.objective,
            )
            votes.append(llm_votes(answer, rubric.judging.llm_confidence))
        ctx = replace(ctx, scenario=scenario)
        votes += await asyncio.gather(*(judge(ctx) for judge in code))
        # every scoring vote cites what it examined, even when it found nothing wrong
        examiner = sentence_encoder if needs_vectors else None
        votes = [cite_examined(ctx, judged, examiner) for judged in votes]
        profile = rubric.profile_for(scenario)
        verdicts = _combine_all(rubric, profile, votes, kinds, segments, transcript)
        scores = score_verdicts(rubric, profile, verdicts)
        reasons = list(scores.review_reasons)
        if injection:
            reasons.append(f"suspected prompt injection ({len(injection)} passage(s))")
        return Grade(
            status="graded",
            scenario=scenario,
            weight_profile=profile.id,
            overall=scores.overall,
            auto_failed=bool(scores.auto_fail_reasons),
            auto_fail_reasons=scores.auto_fail_reasons,
            needs_review=bool(reasons),
            review_reasons=reasons,
            injection=injection,
            dimensions=scores.dimensions,
            verdicts=verdicts,
            usage=usage,
            cached=cached,
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
