"""Suggest and rewrite with the fake model: re-asks, grounding, the grading guard, edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT, starter_store

from grader import BudgetExceededError, Role, Transcript, Turn
from grader.model import LLM, FakeRequest, MockLLM, UsageMeter, answer_from_schema
from retrieval import (
    KnowledgeStore,
    coach,
    default_detector,
    find_commitments,
    prepare_request,
    rewrite,
    suggest,
    suggestion_model,
)

DATA = Path(str(resources.files("retrieval").joinpath("data")))
EXAMPLE = Transcript.model_validate_json(
    (ROOT / "examples/16_price_adjustment_refused.json").read_text()
)
CONTEXT, DRAFT = EXAMPLE.turns[:3], EXAMPLE.turns[3].text  # "Sorry, that's our policy."

GOOD = {
    "acknowledgement": "You're right to ask, nobody likes seeing a sale right after buying.",
    "reason": "Because you bought it within 14 days at full price, the one-time price adjustment applies.",
    "alternatives": "We can refund the difference to your card or add it as store credit.",
    "next_step": "Tell me which you prefer and I'll take care of it.",
    "cited_ids": ["pol-price-adjustment", "ma-price-adjust-01"],
    "coaching_note": "Lead with the reason and what can be done; the customer hears a yes.",
}
PLANTED = {
    **GOOD,
    "next_step": "I'll refund you $30 by Friday and my manager will call you tonight.",
}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    return starter_store(tmp_path_factory.mktemp("store"))


def is_grading(request: FakeRequest) -> bool:
    return "message_framing" in json.dumps(request.schema or {})


def scripted(
    coach_outputs: list[Any], grade: Callable[[FakeRequest], Any] | None = None
) -> MockLLM:
    """Coach requests get `coach_outputs` in order; grading requests get `grade` (default: 3s)."""
    queue = list(coach_outputs)

    def answer(request: FakeRequest) -> Any:
        if is_grading(request):
            return grade(request) if grade else answer_from_schema(request.schema or {})
        return queue.pop(0) if queue else answer_from_schema(request.schema or {})

    return MockLLM(answer)


async def test_a_capable_model_rewrites_the_grounded_draft(store: KnowledgeStore) -> None:
    mock = scripted([GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock))
    assert result.status == "ok", (result.flags, result.error)
    assert result.source == "model" and result.reply.startswith("You're right to ask")
    assert "pol-price-adjustment" in result.cited_policy_ids
    assert "ma-price-adjust-01" in result.cited_answer_ids
    assert result.coaching_note and result.policy_speak[0].phrase == "that's our policy"
    refund = [c for c in result.commitments if c.kind == "refund"]
    assert refund and "pol-price-adjustment" in refund[0].backed_by
    assert result.checks is not None and result.checks.passed
    assert result.usage.calls == 1  # the rewrite; the checks are code
    prompt = mock.requests[0].messages[-1]["content"]
    assert "GROUNDED REWRITE" in prompt and "[pol-price-adjustment]" in prompt
    assert "that's our policy" in prompt


async def test_the_embedded_model_is_not_asked(store: KnowledgeStore) -> None:
    mock = scripted([GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("local", provider=mock))
    assert mock.requests == [] and result.usage.calls == 0
    assert result.status == "ok" and result.source == "grounded"


async def test_a_planted_promise_is_reasked_with_the_reason(store: KnowledgeStore) -> None:
    mock = scripted([PLANTED, GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock))
    assert result.status == "ok" and "$30" not in result.reply
    reask = json.dumps(mock.requests[1].messages)
    assert "unbacked date commitment: 'Friday'" in reask and "invented money '$30'" in reask


async def test_a_rewrite_that_fails_the_checks_falls_back_to_the_grounded_reply(
    store: KnowledgeStore,
) -> None:
    repeated = {**GOOD, "next_step": GOOD["alternatives"]}  # says one thing twice
    mock = scripted([repeated] * 4)
    llm = LLM("mockllm/coach", provider=mock, max_reasks=2)
    result = await suggest(DRAFT, CONTEXT, store, llm)
    assert result.status == "flagged" and result.source == "grounded"
    assert any("grounded reply is shown" in f for f in result.flags)
    assert result.checks is not None and result.checks.passed


async def test_a_looping_answer_is_reasked_then_said_once(store: KnowledgeStore) -> None:
    looping = {**GOOD, "reason": "The reason is that the " * 6 + "price dropped."}
    mock = scripted([looping] * 4)  # strict: 1 + 2 re-asks; then one lenient answer
    llm = LLM("mockllm/coach", provider=mock, max_reasks=2)
    result = await suggest(DRAFT, CONTEXT, store, llm)
    assert "words repeat in a loop" in json.dumps(mock.requests[1].messages)
    assert len(mock.requests) == 4 and result.status == "flagged"
    assert result.reply.count("The reason is that") <= 1


def test_loops_collapse_and_ordinary_repetition_stays() -> None:
    from retrieval._suggest import collapse_loops

    assert collapse_loops("We will refund it. We will refund it. We will refund it.") == (
        "We will refund it."
    )
    for fine in ("I am very very sorry.", "No, no, that is fine.", "Yes it is, it is."):
        assert collapse_loops(fine) == fine


async def test_unknown_citations_are_reasked(store: KnowledgeStore) -> None:
    mock = scripted([{**GOOD, "cited_ids": ["pol-made-up"]}, GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock))
    assert result.status == "ok" and len(mock.requests) == 2


async def test_a_model_that_never_answers_still_gets_the_grounded_reply(
    store: KnowledgeStore,
) -> None:
    mock = scripted(["not json"] * 10)
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock, max_reasks=1))
    assert result.status == "flagged" and result.source == "grounded" and result.reply
    assert any("could not rewrite" in f for f in result.flags)


async def test_the_budget_stops_a_suggestion(store: KnowledgeStore) -> None:
    meter = UsageMeter(token_budget=1)
    llm = LLM("mockllm/coach", provider=scripted([GOOD]), meter=meter)
    await suggest(DRAFT, CONTEXT, store, llm)
    with pytest.raises(BudgetExceededError):
        await suggest(DRAFT, CONTEXT, store, llm)


def test_the_schema_is_bounded_and_cites_only_retrieved_ids(store: KnowledgeStore) -> None:
    request = prepare_request(DRAFT, CONTEXT, store, default_detector(), tone="concise")
    schema = suggestion_model(request).model_json_schema()
    assert schema["properties"]["reason"]["maxLength"] == 160
    assert set(schema["properties"]["cited_ids"]["items"]["enum"]) == set(request.source_ids)
    assert "pol-price-adjustment" in request.source_ids


async def test_a_coach_serves_many_drafts_with_one_store(store: KnowledgeStore) -> None:
    suggest_fn = coach(store, LLM("mockllm/coach", provider=scripted([GOOD, GOOD])))
    turns = [Turn(role=Role.CUSTOMER, text="My reset link goes to my old email.")]
    first = await suggest_fn(DRAFT, CONTEXT, "friendly")
    second = await suggest_fn("Rules are rules.", turns, "professional")
    assert first.status == "ok" and second.tone == "professional"


# ---------------------------------------------------------------- everyday edits

ORIGINAL = (
    "hi, your refund was sent on monday and should show in 3 to 5 business days. sorry for teh wait"
)


async def test_shorten_must_be_shorter_and_add_nothing() -> None:
    mock = MockLLM(
        [
            {"text": ORIGINAL + " Also, here is a $20 voucher for your trouble!"},
            {
                "text": "Your refund was sent Monday; expect it in 3 to 5 business days. Sorry for the wait."
            },
        ]
    )
    result = await rewrite(ORIGINAL, "shorten", LLM("mockllm/edit", provider=mock))
    assert result.status == "ok" and len(result.text) < len(ORIGINAL)
    reask = json.dumps(mock.requests[1].messages)
    assert "not shorter" in reask and "new money '$20'" in reask and "new credit" in reask


async def test_a_grammar_fix_may_not_rewrite_everything() -> None:
    mock = MockLLM(
        [
            {"text": "We appreciate your patience! Great news about your money coming back soon."},
            {
                "text": "Hi, your refund was sent on Monday and should show in 3 to 5 business days. Sorry for the wait."
            },
        ]
    )
    result = await rewrite(ORIGINAL, "fix_grammar", LLM("mockllm/edit", provider=mock))
    assert result.status == "ok" and "teh" not in result.text
    assert "changed too much" in json.dumps(mock.requests[1].messages)
    assert {c.kind for c in find_commitments(result.text)} <= {
        c.kind for c in find_commitments(ORIGINAL)
    }


async def test_an_edit_that_stays_invalid_returns_the_original() -> None:
    mock = MockLLM([{"text": ORIGINAL + " I'll also call you tomorrow."}] * 5)
    result = await rewrite(ORIGINAL, "friendlier", LLM("mockllm/edit", provider=mock, max_reasks=1))
    assert (
        result.status == "failed" and result.text == ORIGINAL and "tomorrow" in (result.error or "")
    )


async def test_unknown_operations_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        await rewrite(ORIGINAL, "translate", LLM("mockllm/edit", provider=MockLLM()))  # type: ignore[arg-type]
