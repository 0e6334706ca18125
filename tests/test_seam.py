"""The LLM seam: re-asks, transient retries with Retry-After, budget, usage, cache."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pydantic import BaseModel, field_validator

from grader import BudgetExceededError, InvalidAnswerError, ModelError, TransientModelError
from grader.model import LLM, FakeOpenAIServer, HttpError, MockLLM, ResponseCache, UsageMeter


class Answer(BaseModel):
    score: int

    @field_validator("score")
    @classmethod
    def _in_range(cls, v: int) -> int:
        if not 0 <= v <= 3:
            raise ValueError("score must be between 0 and 3")
        return v


MESSAGES = [{"role": "user", "content": "grade this"}]


async def test_invalid_answer_is_reasked_with_the_error() -> None:
    mock = MockLLM(['{"score": 9}', {"score": 2}])
    gen = await LLM("mockllm/t", provider=mock).generate(MESSAGES, Answer)
    assert gen.value.score == 2
    assert gen.attempts == 2 and gen.usage.calls == 2
    assert "score must be between 0 and 3" in str(mock.requests[1].messages)


async def test_answers_that_stay_invalid_raise_invalid_answer() -> None:
    mock = MockLLM(['{"score": 9}'] * 5)
    with pytest.raises(InvalidAnswerError, match="after 3 attempt"):
        await LLM("mockllm/t", provider=mock, max_reasks=2).generate(MESSAGES, Answer)
    assert len(mock.requests) == 3


async def test_garbage_is_reasked() -> None:
    mock = MockLLM(["I think the agent was nice!", {"score": 1}])
    gen = await LLM("mockllm/t", provider=mock).generate(MESSAGES, Answer)
    assert gen.value.score == 1


async def test_429_is_retried_after_retry_after_over_http() -> None:
    with FakeOpenAIServer([HttpError(429, {"Retry-After": "1"}), {"score": 1}]) as server:
        llm = LLM("openai/fake", api_base=server.base_url, api_key="sk-test")
        started = time.monotonic()
        gen = await llm.generate(MESSAGES, Answer)
        elapsed = time.monotonic() - started
    assert gen.value.score == 1
    assert len(server.requests) == 2, "exactly one retry: litellm's and the SDK's own are off"
    assert elapsed >= 0.9, "Retry-After: 1 was honoured"
    assert gen.usage.failed_calls == 1 and gen.usage.calls == 2


async def test_429_retry_after_is_read_from_the_mock_provider_too() -> None:
    mock = MockLLM([HttpError(429, {"Retry-After": "0"}), HttpError(503), {"score": 0}])
    llm = LLM("mockllm/t", provider=mock, max_retry_wait=0.01)
    gen = await llm.generate(MESSAGES, Answer)
    assert gen.value.score == 0 and len(mock.requests) == 3


async def test_transient_failures_give_up_after_the_limit() -> None:
    mock = MockLLM([HttpError(500)] * 10)
    llm = LLM("mockllm/t", provider=mock, max_transient_retries=3, max_retry_wait=0.01)
    with pytest.raises(TransientModelError):
        await llm.generate(MESSAGES, Answer)
    assert len(mock.requests) == 3
    assert llm.meter.usage.failed_calls == 3


async def test_permanent_errors_are_not_retried() -> None:
    mock = MockLLM([HttpError(401), {"score": 1}])
    with pytest.raises(ModelError) as info:
        await LLM("mockllm/t", provider=mock).generate(MESSAGES, Answer)
    assert not isinstance(info.value, TransientModelError)
    assert len(mock.requests) == 1


async def test_budget_stops_before_the_next_request() -> None:
    meter = UsageMeter(token_budget=150)  # each mock answer costs 120 tokens
    llm = LLM("mockllm/t", provider=MockLLM(), meter=meter)
    await llm.generate(MESSAGES, Answer)
    await llm.generate(MESSAGES, Answer)  # 120 < 150: allowed, now 240
    with pytest.raises(BudgetExceededError, match="token budget of 150"):
        await llm.generate(MESSAGES, Answer)
    assert meter.usage.calls == 2 and meter.usage.total_tokens == 240


async def test_budget_counts_reasked_attempts() -> None:
    meter = UsageMeter(token_budget=200)
    llm = LLM(
        "mockllm/t", provider=MockLLM(['{"score": 9}', '{"score": 9}', {"score": 1}]), meter=meter
    )
    with pytest.raises(BudgetExceededError):
        await llm.generate(MESSAGES, Answer)
    assert meter.usage.calls == 2


async def test_cache_answers_identical_requests(tmp_path: Path) -> None:
    mock = MockLLM([{"score": 2}, {"score": 3}])
    llm = LLM("mockllm/t", provider=mock, cache=ResponseCache(tmp_path))
    first = await llm.generate(MESSAGES, Answer, cache_scope="rubric-v1")
    second = await llm.generate(MESSAGES, Answer, cache_scope="rubric-v1")
    assert (first.cached, second.cached) == (False, True)
    assert second.value.score == 2 and len(mock.requests) == 1
    third = await llm.generate(MESSAGES, Answer, cache_scope="rubric-v2")
    assert third.value.score == 3, "another rubric version is another request"
    bypass = await llm.generate(MESSAGES, Answer, cache_scope="rubric-v1", use_cache=False)
    assert not bypass.cached and len(mock.requests) == 3


def test_unknown_bare_model_name_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="unknown model 'gpt-nonexistent'"):
        LLM("gpt-nonexistent")


def test_answer_length_cap_is_larger_for_the_embedded_model() -> None:
    from grader import Settings

    assert Settings(model="local").output_tokens == 4096
    assert Settings(model="openai/gpt-4o-mini").output_tokens == 2048
    assert Settings(model="local", max_output_tokens=900).output_tokens == 900
    assert Settings(model="local").build_llm().max_output_tokens == 4096
    assert Settings(model="local", few_shot=None).few_shot_k == 0
    assert Settings(model="openai/gpt-4o-mini").few_shot_k == 3
