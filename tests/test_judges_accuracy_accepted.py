"""An accepted offer confirmed with other figures: the allowance or price changed on the way.

Each case is the offer, the customer's short yes, the right confirmation and one that changes
a figure; near-misses (a confirmation with a fee added, a new offer, a question instead of a
yes, a total for several) raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._accepted import accepted_offer_errors
from grader.judges._restated import slot_errors

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_BANK = [  # (offer, acceptance, right confirmation, changed confirmation)
    (
        "Easiest is to upgrade to Pro: 200 GB for £12/month, vs £6 now.",
        "Yes please",
        "Done! You're on Pro now: 200 GB of storage, and your next invoice will be £12.",
        "Done! You're on Pro now: 100 GB of storage, and your next invoice will be £21.",
    ),
    (
        "I can move you to the Unlimited Talk bundle, 1000 minutes for $15 a month.",
        "Go ahead.",
        "All set: 1000 minutes a month on your line.",
        "All set: 500 minutes a month on your line.",
    ),
    (
        "We can add the 20 kg hold bag for €35.",
        "Ok, book it.",
        "Booked, your 20 kg bag is on the reservation.",
        "Booked, your 23 kg bag is on the reservation.",
    ),
    (
        "The Harbour View room is £140 a night for the 3 nights.",
        "Perfect, I'll take it.",
        "Lovely, the Harbour View is yours: 3 nights, and you'll pay £420 at check-in.",
        "Lovely, the Harbour View is yours: 3 nights, and you'll pay £390 at check-in.",
    ),
    (
        "Our Family plan gives 6 users for £17.99 a month.",
        "Sounds good.",
        "Switched: you can now add up to 6 users.",
        "Switched: you can now add 4 users.",
    ),
    (
        "I can offer the 50 GB data boost for £5.",
        "Yeah go on then",
        "Done, £5 has been added to this month's bill for the boost.",
        "Done, £8 has been added to this month's bill for the boost.",
    ),
    (
        "The deep clean is 3 sessions for $240.",
        "Great, let's do it.",
        "Booked: your 3 sessions are in the calendar, $240 due on the first visit.",
        "Booked: your 4 sessions are in the calendar, $240 due on the first visit.",
    ),
    (
        "I can put you on the 12-month fixed tariff at 24.5% below the standard rate.",
        "Yes, switch me.",
        "You're switched to the fix at 24.5% below standard.",
        "You're switched to the fix at 14.5% below standard.",
    ),
]


@pytest.mark.parametrize(("offer", "yes", "right", "changed"), _BANK)
def test_a_confirmation_must_repeat_the_accepted_offer(
    offer: str, yes: str, right: str, changed: str
) -> None:
    base: Turns = [(C, "What can you do?"), (A, offer), (C, yes)]
    assert accepted_offer_errors(_segs([*base, (A, right)])) == []
    assert accepted_offer_errors(_segs([*base, (A, changed)]))


@pytest.mark.parametrize(
    ("yes", "confirm"),
    [
        ("Yes please", "Done! Your first invoice will be £9, pro rata for this month."),  # pro rata
        ("Yes please", "Done, and with VAT your invoice will be £14.40."),  # VAT added
        ("Ok, and?", "I could also take you to 100 GB for £8."),  # not a yes; a new offer
        ("Yes please", "However, I can do 100 GB for £8 instead if you'd prefer."),  # a new offer
        ("Can I get it cheaper, like £10 and 150 GB?", "Done, 150 GB for £10."),  # asked a change
        ("Yes please", "Done! That's £24 for the two months."),  # a multiple of the price
    ],
)
def test_near_misses_raise_nothing(yes: str, confirm: str) -> None:
    offer = "Upgrade to Pro: 200 GB for £12/month."
    texts: Turns = [(C, "Options?"), (A, offer), (C, yes), (A, confirm)]
    assert accepted_offer_errors(_segs(texts)) == []


def test_the_slot_reader_reports_it() -> None:
    offer, yes, _, changed = _BANK[0]
    texts: Turns = [(C, "Options?"), (A, offer), (C, yes), (A, changed)]
    assert [sid for sid, _ in slot_errors(_segs(texts))] == ["T3.2"]
