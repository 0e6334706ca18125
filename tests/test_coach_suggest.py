"""Suggest and rewrite with the fake model: re-asks, grounding, the grading guard, edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT

from grader import BudgetExceededError, Role, Transcript, Turn
from grader.model import LLM, FakeRequest, MockLLM, UsageMeter, answer_from_schema
from retrieval import (
    KnowledgeStore,
    coach,
    default_detector,
    find_commitments,
    framing_rubric,
    grounding_problems,
    ingest_file,
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
    store = KnowledgeStore(tmp_path_factory.mktemp("store"))
    ingest_file(store, "policies", DATA / "policies.yaml")
    ingest_file(store, "model_answers", DATA / "model_answers.yaml")
    return store


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


def grades_suggestion_lower(request: FakeRequest) -> Any:
    """The draft keeps the top scores; the suggestion (whose turn mentions 'adjustment') gets 0s."""
    out = answer_from_schema(request.schema or {})
    if "adjustment" in request.messages[-1]["content"]:
        for element in ("message_framing", "courtesy"):
            out[element]["score"] = 0
    return out


async def test_suggestion_has_parts_citations_and_backed_commitments(store: KnowledgeStore) -> None:
    mock = scripted([GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock))
    assert result.status == "ok", result.flags
    assert result.parts is not None and result.reply.startswith("You're right to ask")
    assert result.cited_policy_ids == ["pol-price-adjustment"]
    assert result.cited_answer_ids == ["ma-price-adjust-01"]
    assert result.coaching_note and result.policy_speak[0].phrase == "that's our policy"
    refund = [c for c in result.commitments if c.kind == "refund"]
    assert refund and "pol-price-adjustment" in refund[0].backed_by
    assert result.guard is not None and result.guard.passed is True
    assert result.usage.calls == 3  # one suggestion, two gradings
    coach_prompt = mock.requests[0].messages[-1]["content"]
    assert "[pol-price-adjustment]" in coach_prompt and "that's our policy" in coach_prompt


async def test_an_id_cited_twice_is_listed_once(store: KnowledgeStore) -> None:
    twice = {
        **GOOD,
        "cited_ids": ["ma-price-adjust-01", "pol-price-adjustment", "ma-price-adjust-01"],
    }
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/c", provider=scripted([twice])))
    assert result.cited_answer_ids == ["ma-price-adjust-01"]
    assert result.cited_policy_ids == ["pol-price-adjustment"]


async def test_a_planted_promise_is_reasked_with_the_reason(store: KnowledgeStore) -> None:
    mock = scripted([PLANTED, GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock), guard=False)
    assert result.status == "ok" and "$30" not in result.reply
    reask = json.dumps(mock.requests[1].messages)
    assert "unbacked date commitment: 'Friday'" in reask and "invented money '$30'" in reask


async def test_promises_that_stay_unbacked_are_removed_and_flagged(store: KnowledgeStore) -> None:
    turns = [
        Turn(role=Role.CUSTOMER, text="The password reset goes to my old email, I can't get in.")
    ]
    draft = "For security we only send it to the email on file. Rules are rules."
    request = prepare_request(draft, turns, store, default_detector())
    assert not request.backing.sources_for("refund")  # nothing retrieved allows a refund here
    planted = {
        "acknowledgement": "I'm sorry you're locked out, that's frustrating.",
        "reason": "Reset links only go to the email on file, because that protects your account.",
        "alternatives": "I'll refund your last order for the trouble. I can update your email after a quick check.",
        "next_step": "Reply with your order number and I'll update it by Friday.",
        "cited_ids": ["pol-account-email"],
        "coaching_note": "Explain the security reason and give a path forward.",
    }
    mock = scripted([planted] * 4)  # strict: 1 + 2 re-asks; then one lenient answer
    llm = LLM("mockllm/coach", provider=mock, max_reasks=2)
    result = await suggest(draft, turns, store, llm, guard=False)
    assert result.status == "flagged" and len(mock.requests) == 4
    assert "refund" not in result.reply and "Friday" not in result.reply
    assert "I can update your email after a quick check." in result.reply
    assert any("removed unbacked commitment: 'I'll refund" in f for f in result.flags)
    assert any("replaced unbacked date 'Friday'" in f for f in result.flags)
    assert grounding_problems(result.reply, request.backing) == []


async def test_a_looping_answer_is_reasked_then_said_once(store: KnowledgeStore) -> None:
    looping = {**GOOD, "reason": "The reason is that the " * 6 + "price dropped."}
    mock = scripted([looping] * 4)  # strict: 1 + 2 re-asks; then one lenient answer
    llm = LLM("mockllm/coach", provider=mock, max_reasks=2)
    result = await suggest(DRAFT, CONTEXT, store, llm, guard=False)
    assert "words repeat in a loop" in json.dumps(mock.requests[1].messages)
    assert result.status == "flagged" and len(mock.requests) == 4
    assert (
        result.parts is not None and result.parts.reason == "The reason is that the price dropped."
    )
    assert "removed words the model repeated in a loop" in result.flags
    assert result.reply.count("The reason is that") == 1


def test_loops_collapse_and_ordinary_repetition_stays() -> None:
    from retrieval._suggest import collapse_loops

    assert collapse_loops("We will refund it. We will refund it. We will refund it.") == (
        "We will refund it."
    )
    for fine in ("I am very very sorry.", "No, no, that is fine.", "Yes it is, it is."):
        assert collapse_loops(fine) == fine


async def test_unknown_citations_are_reasked(store: KnowledgeStore) -> None:
    mock = scripted([{**GOOD, "cited_ids": ["pol-made-up"]}, GOOD])
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock), guard=False)
    assert result.status == "ok" and len(mock.requests) == 2


async def test_the_guard_rejects_a_suggestion_that_grades_worse(store: KnowledgeStore) -> None:
    mock = scripted([GOOD], grade=grades_suggestion_lower)
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock))
    assert result.status == "rejected"
    assert result.guard is not None and result.guard.passed is False
    assert result.guard.draft_score == 100.0 and result.guard.suggestion_score == 0.0
    assert "below the draft" in result.flags[-1]
    grading = [r for r in mock.requests if is_grading(r)]
    assert len(grading) == 2
    assert set(grading[0].schema["properties"]) >= {"message_framing", "courtesy"}  # type: ignore[index]
    assert "empathy" not in grading[0].schema["properties"]  # type: ignore[index]


async def test_an_ungradable_guard_flags_instead_of_passing(store: KnowledgeStore) -> None:
    mock = scripted([GOOD], grade=lambda request: '{"nonsense": true}')
    result = await suggest(DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock, max_reasks=0))
    assert result.status == "flagged"
    assert result.guard is not None and result.guard.passed is None


async def test_a_model_that_never_answers_gives_a_failed_suggestion(store: KnowledgeStore) -> None:
    mock = scripted(["not json"] * 10)
    result = await suggest(
        DRAFT, CONTEXT, store, LLM("mockllm/coach", provider=mock, max_reasks=1), guard=False
    )
    assert result.status == "failed" and result.error and result.reply == ""


async def test_the_budget_stops_a_suggestion(store: KnowledgeStore) -> None:
    meter = UsageMeter(token_budget=1)
    llm = LLM("mockllm/coach", provider=scripted([GOOD]), meter=meter)
    await suggest(DRAFT, CONTEXT, store, llm, guard=False)
    with pytest.raises(BudgetExceededError):
        await suggest(DRAFT, CONTEXT, store, llm, guard=False)


def test_the_schema_is_bounded_and_cites_only_retrieved_ids(store: KnowledgeStore) -> None:
    request = prepare_request(DRAFT, CONTEXT, store, default_detector(), tone="concise")
    schema = suggestion_model(request).model_json_schema()
    assert schema["properties"]["reason"]["maxLength"] == 160
    assert set(schema["properties"]["cited_ids"]["items"]["enum"]) == set(request.source_ids)
    assert "pol-price-adjustment" in request.source_ids


def test_the_framing_rubric_keeps_two_elements(rubric: Any) -> None:
    sub = framing_rubric(rubric)
    assert [e.id for e in sub.elements] == ["message_framing", "courtesy"]
    with pytest.raises(ValueError, match="no element"):
        framing_rubric(rubric, ["nonexistent"])


async def test_a_coach_serves_many_drafts_with_one_store(store: KnowledgeStore) -> None:
    suggest_fn = coach(store, LLM("mockllm/coach", provider=scripted([GOOD, GOOD])), guard=False)
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
