"""A date the agent set, applied wrongly: a yes past the last day, "no fee" before a charge ends.

Each case is the agent's date, the customer's own day, the answer that follows from the two
and the one that does not; near-misses (another topic, a day inside the limit, a "no" past it)
raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._deadlines import deadline_errors

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_LAST_DAY = [  # (the agent's last day, the customer's later day, right answer, wrong yes)
    (
        "Your box arrives Thursday 12 June. Recipe changes lock at 11:59pm on Friday 6 June.",
        "I'm away until Saturday 7th. If I swap the recipes on Saturday, will it still be in time?",
        "Not for that one, sorry, a Saturday change goes to the next box.",
        "Yes, Saturday is fine, it'll still go into that box.",
    ),
    (
        "Applications for the September intake close on 30 June.",
        "Could I still send my application on 3 July?",
        "Sadly that would be too late for September.",
        "Yes, that's fine, we'll still consider it.",
    ),
    (
        "To get a full refund you need to cancel by 14 March.",
        "Can I cancel on the 16th and still get the full refund?",
        "I'm afraid the 16th is past the cut-off, so it would be a partial refund.",
        "Sure, the 16th is fine for a full refund.",
    ),
    (
        "Returns must reach us before 2 May.",
        "If I post the return on May 5, is that ok?",
        "Unfortunately that's after the deadline.",
        "Of course, that's no problem.",
    ),
    (
        "The early-bird rate expires on 31 January.",
        "Will I still get the early-bird rate if I book on 2 February?",
        "No, from February it's the standard rate.",
        "Yes, you'll still get the early-bird rate.",
    ),
    (
        "Meter readings have to be in by 25 October for this bill.",
        "If I send my meter reading on the 27th, will it make this bill?",
        "It won't make this bill, it'll go on the next one.",
        "Yes, the 27th is fine for this bill.",
    ),
]


@pytest.mark.parametrize(("rule", "ask", "right", "wrong"), _LAST_DAY)
def test_a_yes_for_a_day_past_the_last_day_is_found(
    rule: str, ask: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "When do I need to do it?"), (A, rule), (C, ask)]
    assert deadline_errors(_segs([*base, (A, right)])) == []
    assert deadline_errors(_segs([*base, (A, wrong)]))


_CHARGE_UNTIL = [  # (a charge until a day, the customer's earlier day, right, wrong)
    (
        "Your 24-month contract ends on the 14th of March. Until then there's an early exit fee.",
        "So if I go now, end of February, would I pay that?",
        "Yes, leaving at the end of February you'd pay the exit fee.",
        "No, you can leave any time from today with no fee.",
    ),
    (
        "The lease runs until 30 September, and breaking it before then costs two months' rent.",
        "If I move out on 1 August, do I have to pay anything?",
        "Yes, the break charge applies until the 30th of September.",
        "No, you can leave on 1 August without any charge.",
    ),
    (
        "Your fixed term ends on 10 November; until then there's a £50 exit fee.",
        "What if I switch on 20 October, would I pay the fee?",
        "You would, as it's before the 10th of November.",
        "Not at all, there's no fee if you switch then.",
    ),
]


@pytest.mark.parametrize(("rule", "ask", "right", "wrong"), _CHARGE_UNTIL)
def test_no_fee_for_a_day_before_the_charge_ends_is_found(
    rule: str, ask: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "When can I leave?"), (A, rule), (C, ask)]
    assert deadline_errors(_segs([*base, (A, right)])) == []
    assert deadline_errors(_segs([*base, (A, wrong)]))


@pytest.mark.parametrize(
    ("ask", "answer"),
    [
        ("Can I book a delivery for 20 June too?", "Yes, that's fine."),  # another topic
        ("Can I swap the recipes on 5 June?", "Yes, that's fine."),  # inside the limit
        ("Can I swap the recipes on the 9th?", "No, that's after the lock."),  # a no past it
        ("Is the box still coming on 12 June?", "Yes, it's on its way."),  # the agent's own date
    ],
)
def test_last_day_near_misses_raise_nothing(ask: str, answer: str) -> None:
    rule = "Your box arrives 12 June. Recipe changes lock on 6 June."
    texts: Turns = [(C, "Dates?"), (A, rule), (C, ask), (A, answer)]
    assert deadline_errors(_segs(texts)) == []


def test_no_fee_after_the_charge_ends_is_right() -> None:
    texts: Turns = [
        (C, "When can I leave?"),
        (A, "Your contract ends on 14 March; until then there's an exit fee."),
        (C, "And if I leave on 20 March, would I pay?"),
        (A, "No, after the 14th there's no fee."),
    ]
    assert deadline_errors(_segs(texts)) == []
