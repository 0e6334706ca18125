"""Extra mile and professionalism on banks of paraphrases: something done for what the customer
told us (and their delight at it) is the extra mile; a sarcastic aside is unprofessional."""

from __future__ import annotations

import pytest
from factories import rapport_score

from grader import Role, Rubric

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


FOR_THEM = [
    "Because you're working from home, I've asked the landlord to leave the old router.",
    "Since you mentioned it's your anniversary, I've moved your table to the window.",
    "As you're travelling with a toddler, I've reserved the bulkhead seats.",
    "Seeing as it's your first time, I've put a quick-start guide in the box.",
    "As it's for your mum's 80th, we've added a card with a handwritten note.",
    "Given you're on nights, I've booked the engineer for the afternoon slot.",
    "You said you're new to the area, so I've popped a list of local GPs in the email.",
    "I noticed you're vegetarian, so I've let the chef know.",
    "Since you've got the kids with you, I've arranged a late checkout.",
    "As you're coming up from Cornwall, I've set up a lab visit after the tour.",
    "Now that you're retired, we'll send the statements by post as you prefer.",
]
NOT_FOR_THEM = [
    "Because of the strike, your delivery is two days late.",
    "As you can see on the bill, the reading was estimated.",
    "Since you cancelled late, I've applied the £30 fee.",
    "As you know, the office closes at 5.",
    "Because your payment failed, we've suspended the account.",
    "Since it's past 30 days, I can't take the return.",
]


@pytest.mark.parametrize("extra", FOR_THEM)
async def test_something_done_for_what_they_told_us_is_the_extra_mile(
    rubric: Rubric, extra: str
) -> None:
    ask = (C, "Hi, can you confirm my booking for Saturday?")
    done = "Yes, your booking for Saturday is confirmed."
    high = await rapport_score(rubric, [ask, (A, f"{done} {extra}")], "extra_mile")
    low = await rapport_score(rubric, [ask, (A, done)], "extra_mile")
    assert high is not None and low is not None and high > low, (extra, high, low)


@pytest.mark.parametrize("plain", NOT_FOR_THEM)
async def test_reasons_and_charges_are_not_the_extra_mile(rubric: Rubric, plain: str) -> None:
    ask = (C, "Hi, can you check my account?")
    done = "Yes, I've checked your account."
    with_reason = await rapport_score(rubric, [ask, (A, f"{done} {plain}")], "extra_mile")
    assert with_reason == await rapport_score(rubric, [ask, (A, done)], "extra_mile"), plain


@pytest.mark.parametrize(
    "reply",
    [
        "Oh wow, that's really thoughtful, thank you!",
        "omg thats amazing, thank you!!",
        "That's so kind, you've made my day.",
        "I didn't expect that at all, thank you.",
    ],
)
async def test_the_customers_delight_counts(rubric: Rubric, reply: str) -> None:
    turns = [(C, "Can I book the tour on the 19th?"), (A, "Yes, you're booked for 11:00.")]
    high = await rapport_score(rubric, [*turns, (C, reply)], "extra_mile")
    low = await rapport_score(rubric, [*turns, (C, "ok thanks")], "extra_mile")
    assert high is not None and low is not None and high > low, (reply, high, low)


SARCASTIC = [
    "Well, it did say restricted view on the booking, so the pillar wasn't exactly a surprise.",
    "The delay was on the website 🙄 anyway, I've rebooked you.",
    "It isn't exactly a secret that we close at 5.",
    "Sure, because the tracking wasn't exactly hidden 🙃",
    "The terms weren't exactly news, they're on every receipt.",
    "It did say so on the confirmation, but I've passed it on.",
]
COMPOSED = [
    "The seat was listed as restricted view, which doesn't seem fair for the price.",
    "The delay was posted on the website, but I should have told you too. I've rebooked you.",
    "We close at 5, but I can book you a call first thing tomorrow.",
    "I've passed it on and I'll email you within 3 working days.",
    "The booking says restricted view, and I can see why that wasn't clear.",
    "That wasn't exactly what you booked, so I've asked for a partial refund.",
]


@pytest.mark.parametrize("worse", SARCASTIC)
@pytest.mark.parametrize("better", COMPOSED[:3])
async def test_a_sarcastic_aside_is_unprofessional(rubric: Rubric, worse: str, better: str) -> None:
    ask = (C, "I paid £70 and couldn't see half the stage. Not happy.")
    high = await rapport_score(rubric, [ask, (A, better)], "professionalism")
    low = await rapport_score(rubric, [ask, (A, worse)], "professionalism")
    assert high is not None and low is not None and high > low, (better, worse, high, low)


@pytest.mark.parametrize("composed", COMPOSED)
async def test_composed_replies_keep_full_marks(rubric: Rubric, composed: str) -> None:
    ask = (C, "I paid £70 and couldn't see half the stage. Not happy.")
    assert await rapport_score(rubric, [ask, (A, composed)], "professionalism") == 3.0


ANSWERED = [
    "No, IP allowlisting is on Enterprise only; on Business use scopes under Admin > API tokens.",
    "Yes, your API token can be limited to office IPs under Settings > Security.",
]
UNCLEAR_THEN = [
    "sorry, so is that a yes or a no for business?",
    "ok so can I do it or not?",
    "right, so is it included in my plan?",
    "is that a yes or no?",
    "hang on, so does that work on Business?",
    "Wait, so which plan do I need?",
]


@pytest.mark.parametrize("follow_up", UNCLEAR_THEN)
async def test_a_customer_asking_yes_or_no_again_means_the_answer_was_unclear(
    rubric: Rubric, follow_up: str
) -> None:
    ask = (C, "quick one: can i restrict API tokens to our office IPs? we're on the Business plan")
    vague = (A, "Great question! API tokens are really flexible and Enterprise has more controls.")
    high = await rapport_score(rubric, [ask, (A, ANSWERED[0]), (C, "ok, thanks")], "clarity")
    low = await rapport_score(rubric, [ask, vague, (C, follow_up), (A, ANSWERED[0])], "clarity")
    assert high is not None and low is not None and high > low, (follow_up, high, low)


@pytest.mark.parametrize("answer", ANSWERED)
async def test_the_customers_own_acronyms_are_not_jargon(rubric: Rubric, answer: str) -> None:
    theirs = (C, "Can I restrict API tokens to our office IPs?")
    strange = (C, "Can I restrict the tokens to our office addresses?")
    own = await rapport_score(rubric, [theirs, (A, answer)], "clarity")
    foreign = await rapport_score(rubric, [strange, (A, answer)], "clarity")
    assert own is not None and foreign is not None and own > foreign, (answer, own, foreign)
