"""The one retry policy against an unreliable provider: the fake server's injected faults.

Bounded retries, Retry-After (seconds and retry-after-ms) honoured up to the cap, timeouts
and 5xx retried, invalid answers re-asked then given up, the budget never overrun, and
streams arriving chunk by chunk with PII restored.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from pydantic import BaseModel

from grader import (
    BudgetExceededError,
    InvalidAnswerError,
    ModelError,
    TransientModelError,
    default_rubric,
    grade_all,
    rubric_grader,
)
from grader._redaction import Redactor
from grader.model import LLM, FakeOpenAIServer, Faults, HttpError, UsageMeter

MESSAGES = [{"role": "user", "content": "grade this"}]


class Answer(BaseModel):
    score: int


def _llm(server: FakeOpenAIServer, **kwargs: object) -> LLM:
    options: dict[str, object] = {"max_retry_wait": 0.05, **kwargs}
    return LLM("openai/fake", api_base=server.base_url, api_key="sk-fake", **options)  # type: ignore[arg-type]


@pytest.fixture(autouse=True, scope="module")
def _warm_litellm() -> None:
    """litellm's first request and first error in a process are slow (~1 s of imports and
    setup); keep them out of the timings."""
    import asyncio

    async def once() -> None:
        with FakeOpenAIServer([HttpError(429, {"retry-after-ms": "0"}), {"score": 0}]) as server:
            await _llm(server).generate(MESSAGES, Answer)
        with FakeOpenAIServer(["warm stream"]) as server:
            [c async for c in _llm(server).stream(MESSAGES, use_cache=False)]

    asyncio.run(once())


async def test_retry_after_ms_is_honoured() -> None:
    with FakeOpenAIServer([HttpError(429, {"retry-after-ms": "400"}), {"score": 1}]) as server:
        gen = await _llm(server, max_retry_wait=5).generate(MESSAGES, Answer)
    assert gen.value.score == 1 and len(server.requests) == 2
    waited = server.requests[1].at - server.requests[0].at
    assert 0.38 <= waited < 1.0, f"waited {waited:.2f}s for retry-after-ms: 400"


async def test_retry_after_is_capped_by_max_retry_wait() -> None:
    with FakeOpenAIServer([HttpError(429, {"Retry-After": "30"}), {"score": 2}]) as server:
        gen = await _llm(server, max_retry_wait=0.2).generate(MESSAGES, Answer)
    assert gen.value.score == 2
    waited = server.requests[1].at - server.requests[0].at
    assert 0.19 <= waited < 1.0, "Retry-After: 30 was honoured up to max_retry_wait=0.2"


async def test_retry_after_seconds_is_honoured() -> None:
    with FakeOpenAIServer([HttpError(429, {"Retry-After": "0.5"}), {"score": 2}]) as server:
        await _llm(server, max_retry_wait=5).generate(MESSAGES, Answer)
    waited = server.requests[1].at - server.requests[0].at
    assert 0.48 <= waited < 1.2, f"waited {waited:.2f}s for Retry-After: 0.5"


async def test_injected_429_with_both_headers_prefers_milliseconds() -> None:
    faults = Faults(rate_limit=1.0, retry_after=30, retry_after_ms=100)
    with FakeOpenAIServer(faults=faults) as server:
        started = time.monotonic()
        with pytest.raises(TransientModelError):
            await _llm(server, max_retry_wait=10, max_transient_retries=3).generate(
                MESSAGES, Answer
            )
        elapsed = time.monotonic() - started
    assert len(server.requests) == 0 and faults.served["rate_limit"] == 3, "bounded: 3 attempts"
    assert 0.19 <= elapsed < 5, "two waits of retry-after-ms 100, not Retry-After 30"


async def test_server_errors_are_retried_a_bounded_number_of_times() -> None:
    faults = Faults(server_error=1.0)
    with FakeOpenAIServer(faults=faults) as server:
        llm = _llm(server, max_transient_retries=4)
        with pytest.raises(TransientModelError):
            await llm.generate(MESSAGES, Answer)
    assert faults.served["server_error"] == 4
    assert llm.meter.usage.failed_calls == 4 and llm.meter.usage.total_tokens == 0


async def test_a_hanging_provider_times_out_and_is_retried() -> None:
    faults = Faults(timeout=1.0, hang_seconds=1.5)
    with FakeOpenAIServer(faults=faults) as server:
        llm = _llm(server, timeout=0.3, max_transient_retries=2)
        started = time.monotonic()
        with pytest.raises(TransientModelError):
            await llm.generate(MESSAGES, Answer)
        elapsed = time.monotonic() - started
    assert faults.served["timeout"] == 2
    assert elapsed < 1.4, "the client gave up at its timeout, not when the server did"


async def test_invalid_json_answers_are_reasked_then_fail_with_the_reason() -> None:
    faults = Faults(invalid_json=1.0)
    with (
        FakeOpenAIServer(faults=faults) as server,
        pytest.raises(InvalidAnswerError, match="after 3 attempt"),
    ):
        await _llm(server, max_reasks=2).generate(MESSAGES, Answer)
    assert len(server.requests) == 3, "re-asked twice, not retried by the transient loop"


async def test_a_truncated_body_is_a_model_error_after_bounded_attempts() -> None:
    faults = Faults(truncated=1.0)
    with FakeOpenAIServer(faults=faults) as server, pytest.raises(ModelError):
        await _llm(server, max_transient_retries=3, max_reasks=1).generate(MESSAGES, Answer)
    assert 1 <= len(server.requests) <= 3 * 2


async def test_mixed_faults_every_item_graded_or_failed_with_a_reason() -> None:
    from factories import make_transcript

    rubric = default_rubric()
    faults = Faults(
        rate_limit=0.2,
        server_error=0.05,
        timeout=0.05,
        invalid_json=0.05,
        retry_after=0.01,
        hang_seconds=0.6,
        seed=13,
    )
    transcripts = [make_transcript(tid=f"t{i}") for i in range(60)]
    with FakeOpenAIServer(faults=faults) as server:
        llm = _llm(server, timeout=0.3, max_transient_retries=4, max_reasks=1)
        grade = rubric_grader(rubric, llm, use_cache=False)
        grades = [
            g
            async for g in grade_all(
                transcripts, grade, rubric=rubric, model=llm.model, concurrency=8
            )
        ]
    assert sorted(g.transcript_id for g in grades) == sorted(t.id for t in transcripts)
    status = Counter(g.status for g in grades)
    assert status["graded"] + status["unscored"] == len(transcripts)
    assert all(g.error for g in grades if g.status == "unscored"), "a failure says why"
    assert status["graded"] >= 0.8 * len(transcripts), status
    attempts = sum(faults.served.values())
    assert attempts <= len(transcripts) * 4 * 2, "retries and re-asks stay bounded"
    assert faults.served["rate_limit"] > 0 and faults.served["timeout"] > 0


async def test_budget_is_respected_under_faults() -> None:
    from factories import make_transcript

    rubric = default_rubric()
    faults = Faults(rate_limit=0.3, retry_after=0.01, seed=5)
    meter = UsageMeter(token_budget=1000)  # each answer costs 120 tokens
    transcripts = [make_transcript(tid=f"b{i}") for i in range(30)]
    with FakeOpenAIServer(faults=faults) as server:
        llm = _llm(server, meter=meter)
        grade = rubric_grader(rubric, llm, use_cache=False)
        grades = [
            g
            async for g in grade_all(
                transcripts, grade, rubric=rubric, model=llm.model, concurrency=1
            )
        ]
    assert len(grades) == len(transcripts)
    assert meter.usage.total_tokens <= 1000 + 120, "at most one answer past the budget"
    assert any("budget" in (g.error or "") for g in grades)


async def test_slow_stream_arrives_in_chunks_with_pii_restored() -> None:
    reply = "Thanks <PERSON_1>, we will call <PHONE_1> today about your order."
    faults = Faults(chunk_delay=0.05)
    with FakeOpenAIServer([reply], faults=faults) as server:
        llm = _llm(server)
        redactor = Redactor(names=["Anna Kowalski"])
        messages = [{"role": "user", "content": "Anna Kowalski, phone 5551234567, is upset."}]
        arrivals, chunks = [], []
        started = time.monotonic()
        async for chunk in llm.stream(messages, redactor=redactor, use_cache=False):
            arrivals.append(time.monotonic() - started)
            chunks.append(chunk)
    sent = server.requests[0].messages[0]["content"]
    assert "Anna" not in sent and "5551234567" not in sent
    text = "".join(chunks)
    assert text == "Thanks Anna Kowalski, we will call 5551234567 today about your order."
    half = len(arrivals) // 2
    assert len(chunks) >= 8 and arrivals[-1] - arrivals[half] >= 0.15, "chunks as they come"
    assert llm.meter.usage.calls == 1 and llm.meter.usage.total_tokens == 120


async def test_stream_opening_is_retried_and_budget_checked() -> None:
    with FakeOpenAIServer([HttpError(503), "Hello there."]) as server:
        llm = _llm(server)
        text = "".join([c async for c in llm.stream(MESSAGES, use_cache=False)])
    assert text == "Hello there." and len(server.requests) == 2
    assert llm.meter.usage.failed_calls == 1
    spent = UsageMeter(token_budget=1)
    spent._add(spent.record_failure().model_copy(update={"prompt_tokens": 5}))
    with FakeOpenAIServer(["never sent"]) as server:
        with pytest.raises(BudgetExceededError):
            [c async for c in _llm(server, meter=spent).stream(MESSAGES)]
        assert server.requests == []


async def test_reasks_are_not_cut_short_by_the_request_timeout() -> None:
    """instructor reads a `timeout` as a deadline for all re-asks; ours is per request."""
    import time as clock

    def slow(request: object) -> object:
        clock.sleep(0.3)
        return '{"score": "x"}' if len(server.requests) < 3 else {"score": 2}

    with FakeOpenAIServer(slow) as server:
        gen = await _llm(server, timeout=0.5, max_reasks=2).generate(MESSAGES, Answer)
    assert gen.value.score == 2 and len(server.requests) == 3, "both re-asks were made"
