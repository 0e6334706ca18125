"""The commitment checker and the fact check: planted promises and inventions are caught."""

from __future__ import annotations

import pytest

from retrieval import (
    Backing,
    ModelAnswer,
    Policy,
    backing_from,
    find_commitments,
    find_facts,
    grounding_problems,
    sanitize,
    unbacked_commitments,
)

REFUND_WINDOW = Policy(
    id="pol-refund",
    topic="refund_window",
    title="Refunds within 30 days",
    rule="Unused items can be refunded within 30 days of delivery.",
    reason="Within 30 days we can resell a returned item as new.",
    alternatives=["Store credit for the full price up to 90 days after delivery."],
    exceptions=["Delivery was more than 7 days late."],
    exception_approver="a team lead",
)
DAMAGE_ANSWER = ModelAnswer(
    id="ma-damage",
    text="I'm sorry it arrived broken. I'll send a replacement with express shipping at no charge "
    "and refund the shipping within 5 business days.",
    scenario="damaged_on_arrival",
    inquiry_type="refund_return",
    structure_note="Apologise, fix, say when.",
)
CONVERSATION = ["I bought the jacket (order NW-61840) for $149 in February."]


@pytest.fixture
def backing() -> Backing:
    return backing_from([REFUND_WINDOW], [], CONVERSATION)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("I'll refund you in full.", {"refund"}),
        ("I have issued a full refund to your card.", {"refund"}),
        ("You'll get a refund once it arrives.", {"refund"}),
        ("I can offer you store credit instead.", {"credit"}),
        ("We'll send a new one at no charge.", {"credit"}),
        ("I've asked my team lead to approve a one-time exception.", {"escalation", "exception"}),
        ("I'm escalating this to my supervisor.", {"escalation"}),
        ("I'm sending a replacement at no charge.", {"credit"}),
        ("We're not offering refunds on clearance.", set()),
        ("I will escalate this to my supervisor.", {"escalation"}),
        ("I can't refund it.", set()),
        ("We cannot make an exception.", set()),
        ("We are not able to refund items bought on clearance.", set()),
        ("Refunds are only issued within [number] days.", set()),
    ],
)
def test_promises_are_found_by_kind(text: str, kinds: set[str]) -> None:
    assert {c.kind for c in find_commitments(text) if c.kind != "date"} == kinds


def test_dates_and_timelines_are_commitments_unless_placeholders() -> None:
    found = [
        c.phrase for c in find_commitments("It will arrive by Friday, within 3 business days.")
    ]
    assert found == ["Friday", "3 business days"]
    assert find_commitments("It will arrive on [date].") == []


def test_planted_promises_are_caught(backing: Backing) -> None:
    planted = (
        "I'm sorry about the jacket. I can offer store credit for the full price. "
        "I'll refund you today and send a free replacement by Friday."
    )
    problems = grounding_problems(planted, backing)
    # refund: the policy's alternatives don't offer one (the rule's 30 days are past);
    # a free replacement is a credit and store credit is allowed; Friday and today: no source
    assert "unbacked refund commitment" in " ".join(problems)
    assert {c.phrase for c in unbacked_commitments(planted, backing) if c.kind == "date"} == {
        "today",
        "Friday",
    }


def test_a_model_answer_backs_the_same_kind_of_promise() -> None:
    backing = backing_from([REFUND_WINDOW], [DAMAGE_ANSWER], CONVERSATION)
    assert backing.sources_for("refund") == ["ma-damage"]
    text = "I'll refund the shipping within 5 business days and escalate to a team lead."
    assert grounding_problems(text, backing) == []


def test_invented_facts_need_placeholders(backing: Backing) -> None:
    text = "Your order NW-61840 for $149 qualifies; see northwind.example.com/returns or call 555-0100."
    facts = {f.value for f in find_facts(text)}
    assert {"NW-61840", "$149", "northwind.example.com/returns"} <= facts
    problems = grounding_problems(text, backing)
    assert any("northwind.example.com/returns" in p for p in problems)
    assert not any("NW-61840" in p or "$149" in p for p in problems)  # from the conversation


def test_sanitize_removes_unbacked_promises_and_replaces_inventions(backing: Backing) -> None:
    text = (
        "I'm sorry about the jacket. Store credit for the full price is open to you for 90 days. "
        "I'll refund you $149 right away. It ships Friday, tracking at track.example.com/1."
    )
    clean, notes = sanitize(text, backing)
    assert "refund" not in clean and "Friday" not in clean and "track.example.com" not in clean
    assert "[date]" in clean and "[url]" in clean and "90 days" in clean
    assert len(notes) == 3
    assert grounding_problems(clean, backing) == []
