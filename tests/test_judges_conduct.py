"""Structural conduct and extra-mile shapes, each on a bank of paraphrases and near-misses.

Professionalism: the customer calling out the agent's manner, a rhetorical tag question about
the agent's own limits, the agent's private life shared as a joke. Extra mile: an action
justified by a detail in the customer's own words, an unasked offer the customer gladly takes.
"""

from __future__ import annotations

import pytest
from factories import rapport_score

from grader import Role, Rubric
from grader.judges._conduct import personal_overshare, rhetorical_jibe

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


_ASK = (C, "My broadband keeps dropping every evening and I work from home.")
_REPLY = (A, "Let me run a line test now. There's a fault logged on your street, fixed by Friday.")


@pytest.mark.parametrize(
    "objection",
    [
        "Don't patronise me. Fine, book it.",
        "There's no need to be sarcastic.",
        "No need for the attitude, thanks.",
        "Less of the attitude please.",
        "I don't appreciate your tone.",
        "Are you being sarcastic?",
        "How rude. Just fix it.",
        "Stop talking down to me.",
        "You're being really condescending.",
        "don't patronize me, I know how routers work",
        "Don't talk to me like a child.",
        "What's with the attitude?",
    ],
)
async def test_the_customer_calling_out_the_agents_manner_costs_professionalism(
    rubric: Rubric, objection: str
) -> None:
    calm = await rapport_score(rubric, [_ASK, _REPLY, (C, "OK, thanks.")], "professionalism")
    called = await rapport_score(rubric, [_ASK, _REPLY, (C, objection)], "professionalism")
    assert called < calm, (called, calm)


@pytest.mark.parametrize(
    "reaction",
    [
        "No need to apologise, it's fine.",
        "Don't worry about it.",
        "This is a con, I'm paying for fibre.",
        "There's no need to send an engineer.",
        "Stop charging me for a service I don't get!",
        "Don't be silly, thank you!",
    ],
)
async def test_anger_at_the_company_is_not_a_comment_on_the_agents_manner(
    rubric: Rubric, reaction: str
) -> None:
    assert await rapport_score(rubric, [_ASK, _REPLY, (C, reaction)], "professionalism") == 3.0


@pytest.mark.parametrize(
    "jibe",
    [
        "We can't put a mast in your living room, can we?",
        "Well, the map does say 'outdoor coverage', it's not exactly hidden.",
        "I can't make the trains run on time, can I?",
        "It's hardly a secret, it's on the website.",
        "That's not exactly a secret.",
        "We don't control the weather, do we?",
        "The fee isn't exactly hidden, it's on page one.",
    ],
)
def test_rhetorical_jibes_are_seen(jibe: str) -> None:
    assert rhetorical_jibe(jibe)


@pytest.mark.parametrize(
    "plain",
    [
        "You don't have the receipt to hand, do you?",
        "You can't see the button, can you?",
        "It isn't working, is it?",
        "That's hidden in the settings menu under Privacy.",
        "The fee is shown on the first page.",
        "We can't do that, but I can offer a voucher.",
        "It's news to me too, let me check.",
    ],
)
def test_genuine_tag_questions_and_plain_facts_are_not_jibes(plain: str) -> None:
    assert not rhetorical_jibe(plain)


@pytest.mark.parametrize(
    ("text", "overshare"),
    [
        ("I cashed mine in and blew half on a kitchen, my other half was livid, haha.", True),
        ("My husband did the same thing lol.", True),
        ("I spent mine on a holiday, my wife still hasn't forgiven me.", True),
        ("My colleague will call you back.", False),
        ("I've asked my manager to approve it.", False),
        ("My kids love that park too!", False),
        ("My husband had the same phone.", False),
    ],
)
def test_private_life_as_a_joke_or_confession_is_oversharing(text: str, overshare: bool) -> None:
    assert personal_overshare(text) is overshare


async def test_a_jibe_and_an_overshare_score_below_a_composed_reply(rubric: Rubric) -> None:
    ask = (C, "I'm 61 with a pension pot and wondering whether to take it all as cash.")
    plain = "Taking it all as cash means most of it is taxed as income that year."
    composed = await rapport_score(rubric, [ask, (A, plain)], "professionalism")
    for worse in (
        "Honestly, I blew mine on a kitchen and my other half was livid, haha. " + plain,
        "We can't decide it for you, can we? " + plain,
    ):
        assert await rapport_score(rubric, [ask, (A, worse)], "professionalism") < composed


_PETS: list[tuple[str, str]] = [
    (
        "Is our old spaniel Biscuit allowed upstairs? He's 14 and wobbly on stairs.",
        "Since Biscuit's getting on a bit, we've asked the owner to leave a ramp for the step.",
    ),
    (
        "Can I bring my nan's wheelchair on the coach? She tires quickly.",
        "As your nan tires quickly, I've reserved the front seats by the door.",
    ),
    (
        "We're celebrating our anniversary at the restaurant on Friday.",
        "Because it's your anniversary, we've set aside the window table.",
    ),
    (
        "My son Leo has a nut allergy, is the party menu safe?",
        "Given Leo's allergy, I've flagged the booking so the kitchen preps his meal separately.",
    ),
]


@pytest.mark.parametrize(("ask", "extra"), _PETS)
async def test_an_action_for_a_detail_they_gave_is_the_extra_mile(
    rubric: Rubric, ask: str, extra: str
) -> None:
    answer = "Yes, that's fine, and there's plenty of room."
    plain = await rapport_score(rubric, [(C, ask), (A, answer)], "extra_mile")
    more = await rapport_score(rubric, [(C, ask), (A, answer + " " + extra)], "extra_mile")
    assert more > plain, (more, plain)


@pytest.mark.parametrize(
    ("reason", "act"),
    [
        ("Since the parcel was placed after noon, ", "we'll ship it tomorrow."),
        ("As the rules changed last spring, ", "we've updated the terms."),
        ("Because your tickets were cancelled late, ", "I've applied the charge."),
    ],
)
async def test_a_reason_not_drawn_from_them_or_a_charge_is_not_the_extra_mile(
    rubric: Rubric, reason: str, act: str
) -> None:
    ask = (C, "Can my order ship today? The tickets were for May.")
    bare = await rapport_score(rubric, [ask, (A, act.capitalize())], "extra_mile")
    assert await rapport_score(rubric, [ask, (A, reason + act)], "extra_mile") <= bare


@pytest.mark.parametrize(
    ("offer", "yes"),
    [
        ("If you'd like, I can ask Dr Lewis to ring you on Tuesday.", "Oh, that would be lovely."),
        ("Would you like me to email you a checklist too?", "That'd be really helpful, thanks."),
        ("I can also put a note on for the driver if that helps.", "Ah, perfect!"),
        ("If you want, we could hold the room until Monday.", "That's so kind, yes please."),
    ],
)
async def test_an_unasked_offer_gladly_taken_is_the_extra_mile(
    rubric: Rubric, offer: str, yes: str
) -> None:
    ask = (C, "I need to book in for my appointment, I'm a bit nervous.")
    booked = "You're booked for Wednesday at 8:30."
    plain = await rapport_score(rubric, [ask, (A, booked), (C, "OK.")], "extra_mile")
    more = await rapport_score(rubric, [ask, (A, booked + " " + offer), (C, yes)], "extra_mile")
    flat = await rapport_score(
        rubric, [ask, (A, booked + " " + offer), (C, "No thanks.")], "extra_mile"
    )
    assert more > plain and more > flat, (more, plain, flat)
