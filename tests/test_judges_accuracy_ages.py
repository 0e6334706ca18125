"""Free under an age, then a price for a child under it: one behaviour, many industries.

The right answer (no charge for the young child, a charge for an older one) raises nothing;
the price asked for a child the agent's own rule makes free is found; near-misses (a deposit,
an adult, an older sibling, no age given) raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._ages import age_band_errors
from grader.judges._charges import charged_after_free

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_BANK = [  # (the rule, the customer's child, the right answer, the contradicting price)
    (
        "For 6 days it's €312 per adult, €185 for your 9-year-old, and children under 6 ski free.",
        "So for my 5-year-old I don't need to buy anything online?",
        "That's right, just collect her free keycard at the ticket office.",
        "That's right, but you'll need to add a child 6-day pass for her (€185) to the basket.",
    ),
    (
        "Under-5s travel free on all our trains.",
        "Great, and my son is 4, what does he need?",
        "Nothing at all, he can just sit with you.",
        "He'll need a child ticket, that's £8.50 return.",
    ),
    (
        "Children under 12 go free with a paying adult.",
        "My daughter is 10, how much for her?",
        "Nothing for her, she comes in with you.",
        "Her ticket is $6 at the door.",
    ),
    (
        "Kids under 5 eat free from the children's menu.",
        "We're bringing our 3-year-old.",
        "Lovely, his meal is on us.",
        "The kids' meal for him is £6.95.",
    ),
    (
        "Infants under 2 fly free on your lap.",
        "We'll have our 18-month-old with us.",
        "Then she can sit on your lap at no charge.",
        "You'll need to add an infant fare for her, which is €45.",
    ),
    (
        "Children under 12 stay free in your room.",
        "We have two kids aged 7 and 9.",
        "They stay with you for nothing.",
        "The children's rate is €25 a night each, so book that for them.",
    ),
    (
        "Under 4s swim free at all our pools.",
        "My twins are 3, do I pay for them?",
        "No, they swim with you for nothing.",
        "You'd pay £2.10 each for them at reception.",
    ),
    (
        "Under-16s don't pay for prescriptions.",
        "It's for my son, he's 14.",
        "Then there's nothing to pay, just tick the box on the back.",
        "It'll be the standard £9.90 charge for his prescription.",
    ),
    (
        "Entry is free for children under 3.",
        "Our little one is a 2-year-old.",
        "She's in for nothing, just bring her along.",
        "You'll need to buy her a toddler ticket, it's $9.",
    ),
    (
        "Little ones under 4 ride the bus free.",
        "Mine's 3 yo, so she's fine?",
        "Yes, she rides with you.",
        "She needs a child fare, that's 80p... well, £0.80 each way.",
    ),
]


@pytest.mark.parametrize(("rule", "child", "right", "wrong"), _BANK)
def test_a_price_for_a_child_the_rule_makes_free_is_found(
    rule: str, child: str, right: str, wrong: str
) -> None:
    base: Turns = [(C, "What do we need to pay?"), (A, rule), (C, child)]
    assert age_band_errors(_segs([*base, (A, right)])) == []
    errors = age_band_errors(_segs([*base, (A, wrong)]))
    assert errors and errors[0][0].startswith("T3")


@pytest.mark.parametrize(
    ("child", "reply"),
    [
        ("And my 9-year-old?", "Her pass is €185 for the six days."),  # older than the rule
        ("How about my son, he's 7?", "A child ticket for him is €185."),
        ("And my 5-year-old?", "There's a €5 refundable deposit on her keycard."),  # a deposit
        ("And for me?", "Your adult pass is €312."),  # an adult
        ("What about the 5 and 8 year olds?", "The older one's pass is €185."),  # no single age
        ("Can I add a lesson?", "A group lesson is €60 a morning."),  # no child named
        (
            "My 5-year-old wants lessons.",
            "Ski school for her is €180 for the week.",
        ),  # another thing
        ("She's 4, can she hire skis?", "Child ski hire is €60 for six days."),
    ],
)
def test_near_misses_raise_nothing(child: str, reply: str) -> None:
    rule = "Adults are €312, children €185, and under 6s ski free."
    texts: Turns = [(C, "Prices?"), (A, rule), (C, child), (A, reply)]
    assert age_band_errors(_segs(texts)) == []


def test_the_free_then_charged_reader_reports_it() -> None:
    texts: Turns = [
        (C, "Fares?"),
        (A, "Under-5s travel free."),
        (C, "My son is 4."),
        (A, "He'll need a child ticket, that's £8.50."),
    ]
    assert [sid for sid, _ in charged_after_free(_segs(texts))] == ["T3.1"]
