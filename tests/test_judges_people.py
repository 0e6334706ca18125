"""The people elements (professionalism, courtesy, empathy, recovery), each on a pair of our own
conversations that differ in one behaviour: the better twin must outscore the worse."""

from __future__ import annotations

import pytest
from factories import rapport_score

from grader import Role, Rubric
from grader.judges._mood import closing_tone

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


async def _better(rubric: Rubric, element: str, better: Turns, worse: Turns) -> None:
    high, low = (
        await rapport_score(rubric, better, element),
        await rapport_score(rubric, worse, element),
    )
    assert high is not None and low is not None and high > low, (high, low)


@pytest.mark.parametrize(
    "worse",
    [
        "That isn't true, the invoice is correct, you'd have seen it on your plan.",
        "Our meter readings clearly show you used it, so the charge is correct.",
        "You're mistaken, the price changed in March and it's not complicated.",
    ],
)
async def test_contradicting_the_customer_combatively_is_unprofessional(
    rubric: Rubric, worse: str
) -> None:
    ask = (C, "Why is my gas bill £140 this month? I haven't used that much.")
    calm = "Let me go through the readings with you: the March reading was estimated, which explains the jump."
    await _better(rubric, "professionalism", [ask, (A, calm)], [ask, (A, worse)])


async def test_oversharing_staff_troubles_is_unprofessional(rubric: Rubric) -> None:
    ask = (C, "My sofa delivery was moved again. What's going on?")
    plain = "Your sofa is now booked for Thursday between 8 and 12, and I've added a note for the driver."
    gossip = (
        "Off the record, the warehouse has been a complete mess since the restructure. " + plain
    )
    await _better(rubric, "professionalism", [ask, (A, plain)], [ask, (A, gossip)])


async def test_a_specific_apology_beats_the_stock_formula(rubric: Rubric) -> None:
    ask = (C, "Hello, the booking page kept failing and I missed the early-bird price.")
    fix = " I've honoured the early-bird price on your booking."
    owned = (A, "Hello, I'm sorry, our booking page broke at the worst moment for you." + fix)
    stock = (A, "Hello, we apologise for any inconvenience this may have caused." + fix)
    await _better(rubric, "courtesy", [ask, owned], [ask, stock])


async def test_sympathy_with_having_to_deal_with_it_is_not_rude(rubric: Rubric) -> None:
    ask = (C, "Hi, I ordered a blue kettle and received a toaster instead.")
    kind = "Hi, I'm sorry, you shouldn't have to deal with it. A blue kettle ships today."
    bare = "A blue kettle ships today."
    assert await rapport_score(rubric, [ask, (A, kind)], "courtesy") == 3.0
    await _better(rubric, "courtesy", [ask, (A, kind)], [ask, (A, bare)])


async def test_what_a_lost_thing_means_to_the_customer_is_acknowledged(rubric: Rubric) -> None:
    ask = (C, "I lost my mum's ring at the pool on Sunday. She died last year.")
    logged = " I've logged it with the pool staff and they'll check the lockers today."
    seen = (A, "That's not just a ring then, I really get why this matters." + logged)
    plain = (A, "Okay." + logged)
    await _better(rubric, "empathy", [ask, seen], [ask, plain])


async def test_fear_without_exclamation_marks_is_an_upset_to_recover_from(rubric: Rubric) -> None:
    # sentiment alone reads this as mildly positive ("top", no angry words)
    texts: Turns = [
        (
            C,
            "My son has a nut allergy and his curry came with peanuts on top. "
            "He could have ended up in hospital.",
        ),
        (A, "I'm sorry. I've refunded the order and reported the restaurant to our safety team."),
        (C, "Thank you, that's what I needed to hear."),
    ]
    assert await rapport_score(rubric, texts, "recovery") is not None


async def test_a_customer_who_gives_up_is_not_recovered(rubric: Rubric) -> None:
    upset = (C, "This is ridiculous, my parcel has been lost for the second time.")
    sorry = (A, "I'm sorry, that's not good enough from us.")
    fixed: Turns = [
        upset,
        sorry,
        (A, "I'm sending a replacement by express today and refunding the postage."),
        (C, "Oh wow, thank you, you've saved my weekend."),
    ]
    shrugged: Turns = [
        upset,
        sorry,
        (A, "What I can do is open a trace with the courier."),
        (C, "Okay. I suppose there's nothing else to be done then."),
    ]
    await _better(rubric, "recovery", fixed, shrugged)
    assert closing_tone("Okay. I suppose that's that.") < 0 < closing_tone("That's a huge relief.")
