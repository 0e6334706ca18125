"""The coach on the embedded default: grounded composition and the checks, no model call."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path

import pytest
from factories import starter_store

from grader import Role, Turn
from retrieval import (
    CoachRequest,
    KnowledgeStore,
    ReplyChecks,
    backing_from,
    case_facts,
    check_reply,
    coach,
    find_facts,
    grounded_suggestion,
    grounding_problems,
    offer,
    sentence_spans,
    suggest,
)

DATA = Path(str(resources.files("retrieval").joinpath("data")))
QUERIES = [json.loads(line) for line in (DATA / "retrieval_queries.jsonl").read_text().splitlines()]
PARTS = ("acknowledgement", "reason", "alternatives", "next_step")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    return starter_store(tmp_path_factory.mktemp("store"))


def customer(text: str) -> list[Turn]:
    return [Turn(role=Role.CUSTOMER, text=text)]


async def test_every_labelled_curt_draft_gets_a_grounded_checked_suggestion(
    store: KnowledgeStore,
) -> None:
    suggest_fn = coach(store)  # no model: the embedded default composes
    offered = 0
    for query in QUERIES:
        turns = customer(query["customer"])
        result = await suggest_fn(query["draft"], turns, "friendly")
        assert result.checks is not None and result.usage.calls == 0
        if result.status != "ok":
            assert result.status == "rejected" and result.reply == "" and result.error
            continue
        offered += 1
        reply, parts = result.reply, result.parts
        assert parts is not None and all(getattr(parts, p).strip() for p in PARTS), query["id"]
        assert "[" not in reply and "]" not in reply  # no unfilled placeholder
        sentences = [" ".join(reply[a:b].lower().split()) for a, b in sentence_spans(reply)]
        assert len(sentences) == len(set(sentences)), query["id"]
        # everything checkable is in the conversation or in a cited source
        request = grounded_suggestion(query["draft"], turns, store).request
        cited = set(result.cited_policy_ids + result.cited_answer_ids)
        backing = backing_from(
            [h.record for h in request.policies if h.record.id in cited],
            [h.record for h in request.answers if h.record.id in cited],
            [query["customer"], query["draft"]],
        )
        assert grounding_problems(reply, backing) == [], query["id"]
        d, s = result.checks.draft_scores, result.checks.suggestion_scores
        assert all((s[e] or 0) >= (d[e] or 0) for e in d) and sum(v or 0 for v in s.values()) > sum(
            v or 0 for v in d.values()
        )
    print(f"offered {offered} of {len(QUERIES)} labelled curt drafts")
    assert offered == len(QUERIES)


async def test_customer_turns_only_are_enough_context(store: KnowledgeStore) -> None:
    turns = [
        Turn(
            role=Role.CUSTOMER, text="Hi, I'm Priya. I want to return a tent I bought 45 days ago."
        ),
        Turn(role=Role.CUSTOMER, text="Your site says 30 days but I only used it once."),
    ]
    result = await suggest("Sorry, that's our policy. Returns are 30 days only.", turns, store)
    assert result.status == "ok", result.error
    assert "Priya" in result.reply
    assert "jacket" not in result.reply  # the model answer's own case does not leak in
    assert result.facts == {"name": "Priya", "product": "tent"}


async def test_a_draft_without_a_conversation(store: KnowledgeStore) -> None:
    result = await suggest("Sorry, that's our policy. Returns are 30 days only.", [], store)
    assert result.status == "ok", result.error
    assert "[" not in result.reply and not re.search(r"\[name\]|\bHi ,", result.reply)


def test_case_facts_come_from_the_conversation_only() -> None:
    turns = [
        Turn(role=Role.CUSTOMER, text="My Summit 2 tent arrived with a bent pole. Order NW-48213."),
        Turn(role=Role.AGENT, text="Hi Tom, sorry to hear that."),
    ]
    facts = case_facts(turns, "Rules are rules.")
    assert (facts.name, facts.order) == ("Tom", "NW-48213")
    assert facts.product is not None and facts.product.endswith("tent")
    assert case_facts(customer("Where is my parcel?")).name is None


async def test_the_checks_withhold_a_reply_with_inventions(store: KnowledgeStore) -> None:
    grounded = grounded_suggestion(
        "Sorry, that's our policy.", customer("Can I return my jacket after 40 days?"), store
    )
    planted = (
        "Hi Bob, I'm sorry. I'll refund you $30 by Friday. I'll refund you $30 by Friday. "
        "That's our policy."
    )
    parts = {**grounded.composition.parts, "next_step": ""}
    checks = await check_reply(planted, parts, grounded.request, grounded.composition.cited_ids)
    problems = " | ".join(checks.problems)
    assert not checks.passed
    for expected in (
        "next step is missing",
        "repeated sentence",
        "invented money '$30'",
        "unbacked date commitment: 'Friday'",
        "names 'Bob'",
    ):
        assert expected in problems, (expected, problems)
    curt = await check_reply(
        "That's our policy. Nothing more I can do.",
        grounded.composition.parts,
        grounded.request,
        grounded.composition.cited_ids,
    )
    assert any("curt policy-speak" in p for p in curt.problems)
    assert any("not judged better" in p for p in curt.problems)
    shown = offer(grounded, checks)
    assert shown.status == "rejected" and shown.reply == "" and shown.parts is None
    assert shown.error is not None and "not offered" in shown.error


async def test_an_action_the_model_answer_took_is_not_claimed_as_done_here(
    store: KnowledgeStore,
) -> None:
    turns = customer("I got charged twice for the same order of climbing chalk. Please fix this.")
    grounded = grounded_suggestion("Our system shows one order.", turns, store)
    claimed = "I've voided the duplicate on our side, and I'm emailing you a confirmation."
    checks = await check_reply(
        f"{grounded.reply} {claimed}",
        grounded.composition.parts,
        grounded.request,
        grounded.composition.cited_ids,
    )
    problems = " | ".join(checks.problems)
    assert "'I've voided' claims an action not taken here" in problems, problems
    assert "'I'm emailing' claims an action not taken here" in problems, problems
    # the composition says what can be done instead of what another agent did
    assert not re.search(r"\bI(?:'ve| have)\s+\w+ed\b|\bI'm\s+\w+ing\b", grounded.reply)
    # the agent's own draft may say it did something
    done = await check_reply(
        "I've voided the duplicate.", grounded.composition.parts, replace_draft(grounded.request,
        "I've voided the duplicate. Nothing else to do."), grounded.composition.cited_ids,
    )  # fmt: skip
    assert not any("claims an action" in p for p in done.problems)


async def test_another_cases_product_and_a_misfit_acknowledgement_are_not_shown(
    store: KnowledgeStore,
) -> None:
    turns = customer("Another shop sells the same down vest for $20 less. Will you match that?")
    grounded = grounded_suggestion(
        "We are not responsible for other retailers' prices.", turns, store
    )
    assert "tent" not in grounded.reply and "vest" in grounded.reply
    planted = grounded.reply.replace("vest", "tent")
    checks = await check_reply(
        planted, grounded.composition.parts, grounded.request, grounded.composition.cited_ids
    )
    assert "names the product 'tent', which the conversation does not" in checks.problems
    code = grounded_suggestion(
        "Per the terms, codes cannot be applied after the fact.",
        customer("The code SPRING15 says invalid at checkout."),
        store,
    )
    assert "charge" not in code.composition.parts["acknowledgement"]


def replace_draft(request: CoachRequest, draft: str) -> CoachRequest:
    return dataclasses.replace(request, draft=draft)


async def test_a_grounded_reply_passes_its_own_checks(store: KnowledgeStore) -> None:
    turns = customer("I bought the Trailhead pack last week for $149 and now it's $119.")
    grounded = grounded_suggestion("Price adjustments are not available.", turns, store)
    checks = await check_reply(
        grounded.reply, grounded.composition.parts, grounded.request, grounded.composition.cited_ids
    )
    assert isinstance(checks, ReplyChecks) and checks.passed, checks.problems
    assert {f.value for f in find_facts(grounded.reply)} <= {"$149", "$119", "14", "2"} | {
        f.value for f in find_facts(" ".join(h.record.text for h in grounded.request.answers))
    } | {
        f.value
        for h in grounded.request.policies
        for f in find_facts(f"{h.record.rule} {h.record.reason} {h.record.offers()}")
    }
    assert grounded.composition.coaching_note.startswith("Give the reason")


async def test_nothing_relevant_in_the_store_is_not_offered(tmp_path: Path) -> None:
    empty = KnowledgeStore(tmp_path)
    result = await suggest("Rules are rules.", customer("Can I change my seat?"), empty)
    assert result.status == "rejected" and result.error and "missing" in result.error
