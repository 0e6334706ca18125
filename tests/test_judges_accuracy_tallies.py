"""Totals from listed parts: fixed-plus-rate tariffs, items taken together, balances after a deposit.

Each bank holds the same behaviour in other industries and wordings: the right total must
pass, the wrong one must be found, and near-misses (a total with VAT added, an account
balance, a figure about something else) must not be flagged.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._sums import sum_errors
from grader.judges._tallies import tally_errors

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_TARIFFS = [  # (tariff, customer's count, right total, wrong total)
    (
        "Pricing is £1 to unlock plus 20p a minute.",
        "I rode for 15 mins, what's that?",
        "That'll be £4.00 for the ride.",
        "That'll be £2.50 for the ride.",
    ),
    (
        "It's a $60 call-out charge, then $45 an hour.",
        "He was here 3 hours.",
        "So it comes to $195.",
        "So it comes to $135.",
    ),
    (
        "We charge €3.50 flag fall plus €1.80 per km.",
        "The trip was 10 km.",
        "The fare would be €21.50.",
        "The fare would be €18.00.",
    ),
    (
        "Storage is £25 for the first collection plus £12 a week.",
        "We need 6 weeks of storage.",
        "That works out at £97 altogether.",
        "That works out at £72 altogether.",
    ),
    (
        "Hire is $40 plus $0.30 per mile.",
        "We'll do about 200 miles.",
        "You'd pay $100 total.",
        "You'd pay $70 total.",
    ),
    (
        "The plan is £10 a month line rental plus 5p per text.",
        "I sent 100 texts last month.",
        "Your bill comes to £15 this month.",
        "Your bill comes to £10.50 this month.",
    ),
    (
        "Parking is £2 on entry and then £1.50 an hour.",
        "I'll be there 4 hours.",
        "That's £8 in total.",
        "That's £6 in total.",
    ),
    (
        "Printing is a £5 setup fee plus 10p a page.",
        "It's 300 pages.",
        "It'll be £35 altogether.",
        "It'll be £30 altogether.",
    ),
    (
        "Kennels cost £15 booking plus £22 a night.",
        "She'll stay 5 nights.",
        "That comes to £125 altogether.",
        "That comes to £110 altogether.",
    ),
    (
        "Base fare $2.50 plus $1.75 per mile.",
        "It was 8 miles.",
        "Your fare was $16.50.",
        "Your fare was $14.00.",
    ),
    (
        "Call-out is £80 then £40 per hour after that.",
        "He was here 2 hours.",
        "So that's £160 for the visit.",
        "So that's £120 for the visit.",
    ),
    (
        "The van is €50 + €0.25 per km.",
        "We drove 120 km.",
        "Total is €80.",
        "Total is €65.",
    ),
]


@pytest.mark.parametrize(("tariff", "count", "right", "wrong"), _TARIFFS)
def test_a_total_that_is_not_fixed_plus_units_times_rate_is_found(
    tariff: str, count: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "How much is it?"), (A, tariff), (C, count)]
    assert tally_errors(_segs([*base, (A, right)]))[0] == []
    errors = tally_errors(_segs([*base, (A, wrong)]))[0]
    assert errors and errors[0][0].startswith("T3")


def test_a_tariff_total_with_a_waiver_or_the_breakdown_beside_it_is_not_flagged() -> None:
    base: Turns = [(C, "Price?"), (A, "It's £1 to unlock plus 20p a minute."), (C, "15 mins.")]
    waived = "The unlock fee is waived today, so that'll be £3."
    assert tally_errors(_segs([*base, (A, waived)]))[0] == []
    split = "That'll be £3 for the minutes. With the £1 unlock it's £4 all in."
    assert tally_errors(_segs([*base, (A, split)]))[0] == []


_ITEMS = [  # (the parts, customer takes all, right, wrong)
    (
        "The full service is £65, and the chain needs replacing, that's £18 fitted.",
        "OK go ahead with both.",
        "Done. That's £83 altogether.",
        "Done. That's £73 altogether.",
    ),
    (
        "The filling is $140 and the clean is $85.",
        "Let's do both today.",
        "Great, that's $225 in total.",
        "Great, that's $215 in total.",
    ),
    (
        "A wash and cut is €45. Colour is €70.",
        "I'll have both please.",
        "Perfect, it comes to €115.",
        "Perfect, it comes to €105.",
    ),
    (
        "Front pads are £90, rear pads £75, and the fluid flush is £40.",
        "Do all three.",
        "No problem, that comes to £205.",
        "No problem, that comes to £195.",
    ),
    (
        "The sofa is £899 and the matching footstool is £149.",
        "We'll take both.",
        "Lovely, that's £1,048 altogether.",
        "Lovely, that's £948 altogether.",
    ),
    (
        "Chimney sweep is £70; the bird guard is £35.",
        "Yes, both please.",
        "Booked, the total is £105.",
        "Booked, the total is £95.",
    ),
    (
        "The MOT is £54.85 and the two tyres are £120.",
        "Yes do all of it",
        "Your bill comes to £174.85.",
        "Your bill comes to £164.85.",
    ),
    (
        "Flights are $320 and the hotel is $480.",
        "Book both.",
        "Your package total is $800.",
        "Your package total is $700.",
    ),
    (
        "Labour is £45 and the part is £30.",
        "Fine, do both.",
        "That's £75 total.",
        "That's £85 total.",
    ),
    (
        "Boarding is $38 and a bath is $25.",
        "Book him in for both.",
        "You're all set, that'll be $63 in all.",
        "You're all set, that'll be $53 in all.",
    ),
]


@pytest.mark.parametrize(("parts", "take", "right", "wrong"), _ITEMS)
def test_a_total_for_all_the_listed_items_must_be_their_sum(
    parts: str, take: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "What do I need?"), (A, parts), (C, take)]
    assert tally_errors(_segs([*base, (A, right)]))[0] == []
    assert tally_errors(_segs([*base, (A, wrong)]))[0]


@pytest.mark.parametrize(
    ("take", "total"),
    [
        ("Just the service for now.", "That's £65 altogether."),  # one item, not both
        ("Both please.", "That's £99.60 altogether including VAT."),  # VAT added
        ("Both please.", "With the 10% loyalty discount that's £74.70 in total."),
        ("Go ahead with the service and a new cassette.", "That's £110 altogether."),  # unpriced
    ],
)
def test_items_near_misses_are_not_flagged(take: str, total: str) -> None:
    parts = "The service is £65, and a new chain is £18."
    assert tally_errors(_segs([(C, "Hi."), (A, parts), (C, take), (A, total)]))[0] == []


_BALANCES = [  # (total and deposit, right balance, wrong balance)
    (
        "Your kitchen comes to £8,400. The deposit is 25%, which is £2,100.",
        "The remaining balance of £6,300 is due on completion.",
        "The remaining balance of £7,300 is due on completion.",
    ),
    (
        "The wedding package is $12,000 and you've paid a $3,000 retainer.",
        "That leaves a balance of $9,000 due a month before.",
        "That leaves a balance of $8,000 due a month before.",
    ),
    (
        "The course fee is £1,250 and your deposit of £250 is received.",
        "You've £1,000 left to pay by September.",
        "You've £1,100 left to pay by September.",
    ),
    (
        "The holiday costs €2,480; you paid €480 when booking.",
        "The rest, €2,000, is taken 8 weeks before departure.",
        "The rest, €1,800, is taken 8 weeks before departure.",
    ),
    (
        "Your invoice was £560 and we've received £200 of it.",
        "The outstanding amount is £360.",
        "The outstanding amount is £340.",
    ),
    (
        "The car is £14,995 and your part-exchange is worth £4,000.",
        "So the balance to pay is £10,995.",
        "So the balance to pay is £11,995.",
    ),
    (
        "Tuition is $4,200 a term; the grant covers $1,500.",
        "You still owe $2,700 for the term.",
        "You still owe $2,900 for the term.",
    ),
    (
        "The repair quote is £640 and the insurer pays £400 of it.",
        "The remainder of £240 is yours to pay.",
        "The remainder of £260 is yours to pay.",
    ),
]


@pytest.mark.parametrize(("stated", "right", "wrong"), _BALANCES)
def test_a_balance_must_be_the_total_less_what_was_paid(
    stated: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "What's left to pay?"), (A, stated), (C, "And the rest?")]
    assert tally_errors(_segs([*base, (A, right)]))[0] == []
    assert tally_errors(_segs([*base, (A, wrong)]))[0]


@pytest.mark.parametrize(
    "later",
    [
        "Your account balance is £42.10 after today's top-up.",  # an account, not a remainder
        "Rest assured, the fitter arrives at 8.",
        "The balance of £6,300 is due on completion.",  # restates the right figure
        "We'll send the balance invoice next week.",  # no figure
    ],
)
def test_balance_near_misses_are_not_flagged(later: str) -> None:
    stated = "It comes to £8,400, and the deposit is £2,100, so £6,300 is due on completion."
    assert tally_errors(_segs([(C, "Total?"), (A, stated), (C, "Ok."), (A, later)]))[0] == []


def test_the_sums_reader_reports_the_tallies() -> None:
    texts: Turns = [
        (C, "Hi."),
        (A, "The service is £65 and the chain is £18."),
        (C, "Go ahead with both."),
        (A, "That's £73 altogether."),
    ]
    errors, checked = sum_errors(_segs(texts))
    assert [sid for sid, _ in errors] == ["T3.1"] and "T3.1" in checked


_INSTALMENTS = [  # (the total, the right split, the wrong split)
    (
        "The sofa is £1,200.",
        "Spread over 12 months, that's £100 a month.",
        "Spread over 12 months, that's £110 a month.",
    ),
    (
        "Your bill came to $540.",
        "We can split it into 3 payments of $180.",
        "We can split it into 3 payments of $160.",
    ),
    (
        "The course costs €2,400.",
        "Paid over 6 months it's €400 a month.",
        "Paid over 6 months it's €450 a month.",
    ),
    (
        "The arrears are £960.",
        "Spread across twelve monthly payments, that's £80 each month.",
        "Spread across twelve monthly payments, that's £90 each month.",
    ),
    (
        "Your annual premium is £438.",
        "Over 12 monthly instalments that's £36.50 a month.",
        "Over 12 monthly instalments that's £38.50 a month.",
    ),
    (
        "The repair comes to $1,000.",
        "In 3 interest-free instalments of $333.33.",
        "In 3 interest-free instalments of $366.67.",
    ),
    (
        "The season ticket is £2,880.",
        "Across 10 monthly direct debits, that's £288 per month.",
        "Across 10 monthly direct debits, that's £268 per month.",
    ),
    (
        "The braces cost $4,800 in total.",
        "Over 24 months that's $200 a month.",
        "Over 24 months that's $240 a month.",
    ),
]


@pytest.mark.parametrize(("total", "right", "wrong"), _INSTALMENTS)
def test_an_instalment_must_be_the_total_over_the_payments(
    total: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "Can I pay monthly?"), (A, total), (C, "How would that work?")]
    assert tally_errors(_segs([*base, (A, right)]))[0] == []
    assert tally_errors(_segs([*base, (A, wrong)]))[0]


@pytest.mark.parametrize(
    "later",
    [
        "With 9.9% APR over 12 months it's £105.40 a month.",  # interest added
        "Over 12 months with the £60 admin fee, that's £105 a month.",  # a fee added
        "You'll get the refund in 3 weeks.",  # no instalment
        "Your £100 a month plan renews in 12 months.",  # nothing spread
    ],
)
def test_instalment_near_misses_are_not_flagged(later: str) -> None:
    texts: Turns = [(C, "Monthly?"), (A, "The sofa is £1,200."), (C, "Ok."), (A, later)]
    assert tally_errors(_segs(texts))[0] == []


_SO_RESULTS = [  # a figure introduced by a bare "so" is a result too: (stated, right, wrong)
    ("It's £80, and there's 25% off this week", ", so £60.", ", so £65."),
    ("It's €95 a night", ", so €190 for the two nights.", ", so €180 for the two nights."),
    ("Tickets are $30 each", "; so $120 for four tickets.", "; so $100 for four tickets."),
    ("The coat was £150 and has 20% off", ", so £120 to pay.", ", so £125 to pay."),
]


@pytest.mark.parametrize(("stated", "right", "wrong"), _SO_RESULTS)
def test_a_bare_so_introduces_a_result(stated: str, right: str, wrong: str) -> None:
    assert sum_errors(_segs([(C, "How much?"), (A, stated + right)]))[0] == []
    assert sum_errors(_segs([(C, "How much?"), (A, stated + wrong)]))[0]


def test_a_sum_worked_with_minus_is_no_total_error() -> None:
    text = "£1,850 minus your £50 excess, so £1,800, is being paid to your bank today."
    assert sum_errors(_segs([(C, "How much will I get?"), (A, text)]))[0] == []
