"""A date worked out as "N days from <the customer's date>" must be that date plus N.

Each case: the customer's start date (ordered, arrived, posted), the agent's span and the date
it derives, right and off; near-misses (no start given, an announced change, a date inside the
one-day reading of "within") raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._dates import date_errors

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_BANK = [  # (customer's start, agent's span and right date, the same with a wrong date)
    (
        "I ordered on Monday 3 March with standard delivery.",
        "Standard is 5 working days, so it'll arrive by Monday 10 March.",
        "Standard is 5 working days, so it'll arrive by Friday 7 March.",
    ),
    (
        "It arrived on 2 May. How long do I have to return it?",
        "You have 14 days from delivery, so until 16 May.",
        "You have 14 days from delivery, so until 26 May.",
    ),
    (
        "I posted the form on 1 September.",
        "Processing takes 10 working days, which means you'll hear by 15 September.",
        "Processing takes 10 working days, which means you'll hear by 22 September.",
    ),
    (
        "My membership started on 12 January.",
        "The cooling-off period is 14 days, so you can cancel free until 26 January.",
        "The cooling-off period is 14 days, so you can cancel free until 19 January.",
    ),
    (
        "I bought the kettle on 20 June.",
        "Faulty items can come back within 30 days, so up to 20 July.",
        "Faulty items can come back within 30 days, so up to 28 July.",
    ),
    (
        "The parcel was dispatched on 7 October.",
        "Tracked delivery is 2 working days, so it should arrive on 9 October.",
        "Tracked delivery is 2 working days, so it should arrive on 13 October.",
    ),
    (
        "We paid the deposit on 4 April.",
        "The balance is due 6 weeks after the deposit, so by 16 May.",
        "The balance is due 6 weeks after the deposit, so by 9 May.",
    ),
]


@pytest.mark.parametrize(("start", "right", "wrong"), _BANK)
def test_a_date_n_days_from_the_start_must_be_the_start_plus_n(
    start: str, right: str, wrong: str
) -> None:
    assert date_errors(_segs([(C, start), (A, right)]))[0] == []
    assert date_errors(_segs([(C, start), (A, wrong)]))[0]


@pytest.mark.parametrize(
    ("start", "reply"),
    [
        ("Can I return it?", "You have 14 days from delivery, so until 26 May."),  # no start
        (
            "It arrived on 2 May.",
            "As a goodwill gesture I've extended it to 30 days, so until 1 June.",
        ),  # a change
        ("It arrived on 2 May.", "You have 14 days, so until 15 May."),  # one day inside
        ("It arrived on 2 May.", "Our sale ends on 26 May."),  # no span
    ],
)
def test_near_misses_raise_nothing(start: str, reply: str) -> None:
    assert date_errors(_segs([(C, start), (A, reply)]))[0] == []


def test_a_weekday_with_its_own_year_is_not_held_to_the_conversations_year() -> None:
    texts: Turns = [
        (C, "Can you hold the date?"),
        (A, "I've put a hold on Sunday 8 August 2027 for you until Monday 18 May at 5pm."),
    ]
    assert date_errors(_segs(texts))[0] == []
