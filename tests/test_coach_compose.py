"""Composition's small rules: actions another agent took, the acknowledgement, another case's product."""

from __future__ import annotations

import pytest

from retrieval._acks import acknowledgement
from retrieval._actions import as_offer, claimed_actions, unbacked_actions
from retrieval._case import CaseFacts, swap_products


@pytest.mark.parametrize(
    ("done", "offered"),
    [
        ("I've voided the duplicate on our side.", "I can void the duplicate on our side."),
        ("I'm emailing you a confirmation.", "I can email you a confirmation."),
        ("So I've opened one today.", "So I can open one today."),
        (
            "I've cancelled it and refunded the fee; you'll see it soon.",
            "I can cancel it and refund the fee; you'll see it soon.",
        ),
        (
            "I've shared your conversation with the team lead.",
            "I can share your conversation with the team lead.",
        ),
        ("We have issued a new label.", "We can issue a new label."),
        ("I've sent you the tracking link.", "I can send you the tracking link."),
    ],
)
def test_an_action_taken_elsewhere_becomes_an_offer(done: str, offered: str) -> None:
    assert claimed_actions(done)
    assert as_offer(done) == offered
    assert not claimed_actions(offered)


def test_feelings_and_future_promises_are_not_claimed_actions() -> None:
    for text in (
        "I'm sorry about that.",
        "I'm going to check.",
        "I'm happy to help.",
        "I'll refund it.",
    ):
        assert claimed_actions(text) == [], text


def test_the_agents_own_draft_backs_its_claim() -> None:
    reply = "I've refunded the fee and I'm emailing you the receipt."
    assert [a.verb for a in unbacked_actions(reply, ["I've refunded the fee."])] == ["emailing"]


@pytest.mark.parametrize(
    ("customer", "expected"),
    [
        ("My headlamp arrived with a cracked lens.", "reached you damaged"),
        ("The zipper broke after five months.", "isn't holding up"),
        ("The code SPRING15 says invalid at checkout.", "code didn't go through"),
        ("There are two charges on my card.", "this charge"),
        ("Why do you need my date of birth?", "fair question"),
        ("I need it by Saturday for a trip.", "date matters"),
        ("It has been stuck at the depot for 9 days.", "still waiting"),
    ],
)
def test_the_acknowledgement_fits_what_the_customer_says(customer: str, expected: str) -> None:
    ack = acknowledgement([customer], "billing", CaseFacts(product="headlamp"))
    assert expected in ack, ack


def test_without_a_named_product_the_acknowledgement_names_none() -> None:
    ack = acknowledgement(["Can you refund the $3.20 left?"], "refund_return", CaseFacts())
    assert "didn't work out" not in ack and "{" not in ack


def test_another_cases_product_is_swapped_and_plurals_agree() -> None:
    assert swap_products("Boots worn on a trail go through an inspection.", CaseFacts(), "") == (
        "Items worn on a trail go through an inspection."
    )
    assert "vest" in swap_products(
        "I can set a price alert on the tent.", CaseFacts(product="vest"), "the same vest"
    )
    # "that" contains "hat": a product word matches whole words of the conversation only
    assert "item" in swap_products("The hat is final sale.", CaseFacts(), "that is fine")
