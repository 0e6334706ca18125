"""Empathy on a bank of paraphrases: stock acknowledgement is generic however it is worded, and
easing the process for the customer's situation (or valuing their purpose) acknowledges it."""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._accommodate import accommodates, formula_only
from grader.judges._rapport import rapport_judge

C, A = Role.CUSTOMER, Role.AGENT

FORMULAS = [
    "I understand, sorry to hear that.",
    "Okay, I understand.",
    "I completely understand.",
    "Right, sorry to hear that.",
    "Oh, I'm sorry to hear that.",
    "I see, sorry about that.",
    "I hear you.",
    "Ah, I do understand.",
]
NOT_FORMULAS = [
    "I understand how worrying that must be.",
    "Sorry to hear about your dad.",
    "I understand, and I'm sorry you've had this on top of everything.",
    "I see the charge on the 3rd.",
]
EASED = [
    "You don't need to send the receipts now, we can sort that later.",
    "There's no rush at all.",
    "Take all the time you need.",
    "I'll ask the vet for the report directly, so you don't have to chase it.",
    "You won't have to fill in the form while you're away, I'll do it over the phone.",
    "We'll handle it with extra care.",
    "We'll keep her original buttons.",
    "That sounds like a lovely way to remember him.",
    "In your own time, just reply when you can.",
    "What a special reason to restore it.",
    "We'll treat it like our own.",
    "I've booked a video appointment so you don't need to travel in.",
    "Don't worry about the paperwork for now.",
    "We can sort the details later, once you're home.",
    "I've put a note on the account so nobody chases you this month.",
]
NOT_EASED = [
    "You don't need to do anything else.",
    "You'll need to send us the receipts by Friday.",
    "We'll treat the invoice as paid.",
    "It's a lovely day for it.",
    "That's a great question.",
    "No problem, I'll send it.",
    "There's no charge for that.",
    "You have to bring the original receipt.",
    "Don't forget the paperwork when you come in.",
    "We can sort the details now if you have them.",
]


@pytest.mark.parametrize("text", FORMULAS)
def test_stock_acknowledgement_is_a_formula(text: str) -> None:
    assert formula_only(text), text


@pytest.mark.parametrize("text", NOT_FORMULAS)
def test_a_named_feeling_or_a_fact_is_not_a_formula(text: str) -> None:
    assert not formula_only(text), text


@pytest.mark.parametrize("text", EASED)
def test_easing_the_process_is_seen(text: str) -> None:
    assert accommodates(text), text


@pytest.mark.parametrize("text", NOT_EASED)
def test_ordinary_instructions_are_not_easing(text: str) -> None:
    assert not accommodates(text), text


#: (customer in a hard moment, reply that eases things, reply with formula then process)
PAIRS = [
    (
        "I need to cancel the cruise. My wife is in hospital after a fall and I'm with her now.",
        "You don't need to send anything now. I've cancelled the booking and the hospital can "
        "email us the note later, so you don't have to chase it.",
        "I understand, sorry to hear that. To cancel I'll need the booking reference and a "
        "doctor's note from the hospital.",
    ),
    (
        "My cat died on Sunday and I need to stop her food subscription.",
        "There's no rush with anything. I've stopped the subscription and refunded this month.",
        "Okay, I understand. I've stopped the subscription from next month.",
    ),
    (
        "These were my late grandmother's curtains and the hem has come down. Can you repair them?",
        "That sounds like a lovely way to keep her close. We'll keep her original lining and "
        "handle them with extra care.",
        "I see. We can re-hem them for £40 with new lining.",
    ),
]


async def _empathy(rubric: Rubric, ask: str, reply: str) -> float | None:
    ctx = judge_context(rubric, [(C, ask), (A, reply), (C, "Thanks.")])
    return (await rapport_judge(None)(ctx))["empathy"].score


@pytest.mark.parametrize(("ask", "eased", "formula"), PAIRS)
async def test_easing_beats_a_formula(rubric: Rubric, ask: str, eased: str, formula: str) -> None:
    better, worse = await _empathy(rubric, ask, eased), await _empathy(rubric, ask, formula)
    assert better is not None and worse is not None and better > worse, (better, worse)
