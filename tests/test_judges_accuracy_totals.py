"""Accuracy from the whole grade: totals for N units with a fee on each, subtotals, restatements.

A per-unit fee counted once must be found; a subtotal ("£6 in fees" for two) is no
contradiction; a fact restated in agreement scores above facts stated only once.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Grade, Role, Rubric, rubric_grader
from grader._segments import Segment, segment_transcript
from grader.judges._sums import sum_errors
from grader.model import LLM, MockLLM

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_PER_UNIT = [  # (the quote, the customer's count, right total, wrong total)
    (
        "Standing is £45 each, plus a £3 booking fee per ticket.",
        "So what's the total for two?",
        "£96 altogether: £90 for the tickets and £6 in fees.",
        "£93 altogether: £90 for the tickets and the £3 fee.",
    ),
    (
        "Rooms are $120 per night plus a $15 resort fee per night.",
        "We'd stay 3 nights.",
        "That's $405 in total for the three nights.",
        "That's $375 in total for the three nights.",
    ),
    (
        "Each class is €12 per person, plus €2 per person for mat hire.",
        "There are four of us, so for four?",
        "It comes to €56 for the four of you.",
        "It comes to €50 for the four of you.",
    ),
    (
        "The tour is £30 a head plus a £5 entry fee each.",
        "Both of us, please.",
        "So £70 altogether for both of you.",
        "So £65 altogether for both of you.",
    ),
]


@pytest.mark.parametrize(("quote", "count", "right", "wrong"), _PER_UNIT)
def test_a_per_unit_fee_counted_once_is_found(
    quote: str, count: str, right: str, wrong: str
) -> None:
    assert sum_errors(_segs([(C, "Hi."), (A, quote), (C, count), (A, right)]))[0] == []
    assert sum_errors(_segs([(C, "Hi."), (A, quote), (C, count), (A, wrong)]))[0]


def test_mixed_unit_prices_are_not_one_bundle() -> None:
    texts: Turns = [
        (C, "2 adults and a child?"),
        (A, "Adults are £20 each and children £10 each."),
        (C, "So for three?"),
        (A, "That's £50 altogether."),
    ]
    assert sum_errors(_segs(texts))[0] == []


async def _accuracy(rubric: Rubric, texts: Turns) -> tuple[float | None, str]:
    grade: Grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript(texts=texts)
    )
    verdict = next(v for v in grade.verdicts if v.element_id == "accuracy")
    return verdict.points, verdict.rationale


async def test_a_subtotal_of_a_unit_price_is_no_contradiction(rubric: Rubric) -> None:
    texts: Turns = [
        (C, "Two tickets please."),
        (A, "They're £45 each, plus a £3 booking fee per ticket."),
        (C, "Total?"),
        (A, "£96 altogether: £90 for the tickets and £6 in fees."),
    ]
    score, why = await _accuracy(rubric, texts)
    assert score is not None and score >= 2.5, why  # a contradiction scores 1


async def test_a_restated_fact_that_agrees_outscores_facts_stated_once(rubric: Rubric) -> None:
    said: Turns = [(C, "When is it held until?"), (A, "We hold it until 14 June.")]
    confirmed, why = await _accuracy(rubric, [*said, (C, "Ok."), (A, "So collect by 14 June.")])
    once, _ = await _accuracy(rubric, [*said, (C, "Ok."), (A, "Bring photo ID with you.")])
    assert confirmed is not None and once is not None and "matches" in why
    assert once < confirmed
