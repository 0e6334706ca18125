"""Accuracy bank: a value restated for the same slot must agree with the one stated before.

Rate times quantity, count times an each-price, a named plan's figure and a duration keyed by
what it runs from, in many industries; right restatements and other slots must not trigger.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import segment_transcript
from grader.judges._consistency import restatement_conflicts
from grader.judges._restated import slot_errors

C, A = Role.CUSTOMER, Role.AGENT
Turns = list[tuple[Role, str]]


def _errors(turns: Turns) -> list[tuple[str, str]]:
    return slot_errors(segment_transcript(make_transcript(texts=turns)))


def _pair(first: str, second: str) -> Turns:
    return [(C, "Quick question."), (A, first), (C, "Ok, and?"), (A, second)]


_WRONG = [
    _pair("It's 79p per kWh on pay-as-you-go.", "40 kWh at 79p comes to £23.60."),
    _pair("Parking is $3.50 an hour.", "So 6 hours at $3.50 would be $17.00."),
    _pair("Diesel is €1.62 a litre today.", "50 litres at €1.62 is €71.00 then."),
    _pair("Overtime is paid at £18 per hour.", "12 hours at £18 works out at £196."),
    _pair("Individual Pro is £79.99 a year each.", "Two individual plans would be £119.98."),
    _pair("Adult tickets are $45 each.", "Three adult tickets would be $120."),
    _pair("Deluxe rooms are €140 per person.", "2 deluxe rooms come to €240."),
    _pair(
        "The Standard plan lets 2 screens watch at once, Premium allows 4 screens.",
        "Bear in mind Premium is also limited to 2 screens.",
    ),
    _pair(
        "Our Family bundle includes 6 profiles and Solo includes 1 profile.",
        "With Family you'd get 4 profiles.",
    ),
    _pair(
        "The Business tier gives you 50 seats.",
        "On Business you can add up to 25 seats before it bills extra.",
    ),
    _pair(
        "Submit the damage claim within 7 days of getting the bag back.",
        "You've got 21 days from when you got it back, so that's fine.",
    ),
    _pair(
        "You can cancel within 14 days of signing the contract.",
        "You have 30 days after signing to change your mind.",
    ),
    _pair(
        "Warranty claims must be made within 12 months of purchase.",
        "As it's within 24 months of purchase you're covered.",
    ),
]

_RIGHT = [
    _pair("It's 79p per kWh on pay-as-you-go.", "40 kWh at 79p comes to £31.60."),
    _pair("Parking is $3.50 an hour.", "So 6 hours at $3.50 would be $21.00."),
    _pair("Individual Pro is £79.99 a year each.", "Two individual plans would be £159.98."),
    _pair("Adult tickets are $45 each.", "Three adult tickets would be $135."),
    _pair(
        "The Standard plan lets 2 screens watch at once, Premium allows 4 screens.",
        "So with 4 screens on Premium all three of you can watch.",
    ),
    _pair(
        "The Standard plan lets 2 screens watch at once.",
        "Premium gives 4 screens, so the kids can stay on.",
    ),
    _pair(
        "Submit the damage claim within 7 days of getting the bag back.",
        "That would be too late, the 7 days runs out next Tuesday.",
    ),
    _pair(
        "Refunds reach your card within 5 days of us receiving the return.",
        "You have 30 days from delivery to send it back.",
    ),
    _pair(
        "Returns are free within 28 days of delivery.",
        "Exchanges take about 3 days once we receive it.",
    ),
    _pair("Your order of 3 chairs ships Monday.", "I've added 2 cushions to the 3 chairs."),
    _pair("The Gold card earns 3 points per pound.", "The Silver card earns 1 point per pound."),
    [
        (C, "I was quoted 10 days by your colleague."),
        (A, "Delivery takes 5 days from dispatch, not 10 days."),
    ],
]


@pytest.mark.parametrize("turns", _WRONG)
def test_a_slot_restated_with_another_value_is_found(turns: Turns) -> None:
    assert _errors(turns), turns[-1][1]


@pytest.mark.parametrize("turns", _RIGHT)
def test_agreeing_restatements_and_other_slots_are_not_found(turns: Turns) -> None:
    assert not _errors(turns), (turns[-1][1], _errors(turns))


@pytest.mark.parametrize(
    ("each", "total"),
    [
        ("Individual Pro is £79.99 a year each.", "Two individual plans would be £159.98 a year."),
        ("A seat is $12 a month per user.", "For three users that's $36 a month."),
        ("The Lite plan is €9.50 a month each.", "Four Lite plans come to €38.00 a month."),
    ],
)
def test_a_rate_for_several_is_not_a_different_rate(each: str, total: str) -> None:
    segs = segment_transcript(make_transcript(texts=_pair(each, total)))
    assert not restatement_conflicts(segs)[0]


@pytest.mark.parametrize(
    "turns",
    [
        [
            (C, "I'm self-employed with 18 months of accounts."),
            (A, "We lend with 12 months' accounts, so 18 months is fine."),
        ],
        _pair(
            "Lenders can charge up to 58 days of interest from the settlement date.",
            "A quotation is valid for 28 days from the date of issue.",
        ),
        _pair(
            "Band 1 covers the exam, Band 2 covers fillings.",
            "Band 3 covers crowns and bridges.",
        ),
        _pair(
            "Your Growth plan has 12 seats.",
            "However, I can take you down to 5 seats and pause the other 7 seats.",
        ),
    ],
)
def test_said_back_labels_and_changes_are_not_restatements(turns: Turns) -> None:
    assert not _errors(turns), _errors(turns)


@pytest.mark.parametrize(
    ("second", "wrong"),
    [
        ("Two individual plans would be £159.98 a year, so Family saves you £39.99.", False),
        ("Two individual plans would be £119.98 a year, so Family only costs £1 more.", True),
        ("Three Solo seats come to $45 a month, the Team plan is cheaper.", False),
        ("Three Solo seats come to $40 a month, the Team plan is cheaper.", True),
    ],
)
def test_a_sum_for_several_beside_another_plan(second: str, wrong: bool) -> None:
    """The sum is checked against the each-price, never against the other plan's rate."""
    first = (
        "Individual Pro is £79.99 a year each. Family is £119.99 a year for up to 6 people."
        if "£" in second
        else "Solo is $15 a month each. Team is $39 a month for up to 10 people."
    )
    segs = segment_transcript(make_transcript(texts=_pair(first, second)))
    found = restatement_conflicts(segs)[0] + slot_errors(segs)
    assert bool(found) is wrong, found
