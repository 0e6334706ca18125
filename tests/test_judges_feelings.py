"""Empathy and recovery on banks of paraphrases (industries, registers, channels), not one
wording: a customer upset in words sentiment misses still needs recovering; "Sorry to hear
that." alone is a formula; naming the customer's circumstance back is an acknowledgement."""

from __future__ import annotations

import pytest
from factories import rapport_score

from grader import Role, Rubric

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


# --- recovery: upset in words the sentiment scores read as calm ---------------------------

HEATED = [
    "My renewal's gone up from £38 to £61 a month. This is a joke, honestly.",
    "my offer letter doesnt mention the scholarship AT ALL. whats going on??",
    "The engineer did NOT turn up again. I took a day off for this.",
    "You've got to be kidding, the parcel is back at the depot?",
    "Why has my bill doubled?? I haven't changed anything.",
    "I've been charged twice and nobody has replied. What is going on?",
    "The tickets you sent are for the wrong date. This is a nightmare.",
    "Third time calling. I was promised a callback that NEVER came.",
    "I ordered the cot for the baby's arrival and it's still not here!!",
    "So the refund has been 'processing' for six weeks?! Brilliant.",
]
CALM = [
    "My renewal's gone up from £38 to £61 a month, can you tell me why?",
    "Hi, my offer letter doesn't mention the scholarship, could you check?",
    "Can I change my delivery address for order 5521?",
    "I'd like to book a boiler service for next week please.",
    "What time does the pool open on Sundays?",
    "Could you resend my VAT invoice for March?",
    "I'd like to move my NHS appointment to the afternoon if possible.",
    "Is the SSO certificate renewal done in the admin panel?",
    "Can you tell me the balance on my UK account?",
    "Hello, I'd like to add my partner to the policy.",
]


@pytest.mark.parametrize("opening", HEATED)
async def test_an_upset_customer_the_scores_miss_is_still_one_to_recover(
    rubric: Rubric, opening: str
) -> None:
    fixed = (A, "I'm sorry about that. I've sorted it now and added a £10 credit to your account.")
    cold = (A, "Unfortunately that's how it is.")
    happy, cross = (C, "Oh brilliant, thank you so much."), (C, "Right. I'll shop around then.")
    high = await rapport_score(rubric, [(C, opening), fixed, happy], "recovery")
    low = await rapport_score(rubric, [(C, opening), cold, cross], "recovery")
    assert high is not None and low is not None and high > low, (opening, high, low)


@pytest.mark.parametrize("opening", CALM)
async def test_a_calm_question_needs_no_recovery(rubric: Rubric, opening: str) -> None:
    reply = (A, "Of course, I've done that for you now.")
    assert await rapport_score(rubric, [(C, opening), reply, (C, "Thanks.")], "recovery") is None


# --- empathy: a bare formula versus their situation named back -----------------------------

BARE = [
    "Sorry to hear that.",
    "I'm sorry to hear that.",
    "Oh, sorry to hear that!",
    "We're sorry to hear this.",
    "Sorry about that.",
    "I am sorry to hear that.",
]
NAMED = [
    "I am so sorry about Gordon.",
    "I'm so sorry to hear about your dog.",
    "Sorry to hear that your flight home was cancelled.",
    "You shouldn't have to sweat this alone at 2am.",
    "Nobody should have to deal with this on their own.",
    "Doing this by yourself in the middle of the night is a lot.",
    "That's a great deal to face at once.",
    "With my sympathy, and no rush on any of the paperwork.",
    "Go get some sleep, and good luck with the demo.",
    "Good luck for the interview tomorrow.",
    "You won't have to sort this out on your own.",
]


@pytest.mark.parametrize("bare", BARE)
@pytest.mark.parametrize("named", NAMED[:6])
async def test_their_situation_named_back_beats_a_bare_sorry(
    rubric: Rubric, bare: str, named: str
) -> None:
    ask = (C, "My husband passed away and I need to cancel our trip. It's 2am and I'm alone.")
    work = "I have cancelled the booking and the full refund is on its way."
    high = await rapport_score(rubric, [ask, (A, f"{named} {work}")], "empathy")
    low = await rapport_score(rubric, [ask, (A, f"{bare} {work}")], "empathy")
    assert high is not None and low is not None and high > low, (named, bare, high, low)


@pytest.mark.parametrize("named", NAMED)
async def test_naming_their_circumstance_beats_getting_straight_to_work(
    rubric: Rubric, named: str
) -> None:
    ask = (C, "its 2am, im the only one on call and the CEO has a demo at 8. please help")
    work = "What error are your users getting?"
    high = await rapport_score(rubric, [ask, (A, f"{named} {work}")], "empathy")
    low = await rapport_score(rubric, [ask, (A, work)], "empathy")
    assert high is not None and low is not None and high > low, (named, high, low)


@pytest.mark.parametrize(
    "near_miss",
    [
        "Don't forget to log out when you're done.",
        "You won't have to pay anything extra.",
        "Good morning, how can I help?",
        "Please upload the renewed certificate under Admin.",
        "We don't offer refunds on sale items.",
    ],
)
async def test_procedure_is_no_acknowledgement(rubric: Rubric, near_miss: str) -> None:
    ask = (C, "Can you help me change my password?")
    assert await rapport_score(rubric, [ask, (A, near_miss)], "empathy") == 1.5
