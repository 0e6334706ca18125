"""Professionalism on a bank of paraphrases: over-familiar talk, colleagues run down or staff
gossip, and jibes at the customer's own mistake cost, while the same news said composedly (and
near misses that share their words) keeps full marks."""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._rapport import rapport_judge
from grader.judges._register import colleague_gossip, customer_jibe, over_familiar

C, A = Role.CUSTOMER, Role.AGENT

FAMILIAR = [
    "Aw mate, that's a proper bummer.",
    "No worries hun, I'll sort it.",
    "Right you are, pal, it's on its way.",
    "Blimey, that's not good. Let me look.",
    "We're proper stuck for vans this week.",
    "Thanks, love. Anything else?",
    "My bad, I sent the wrong link.",
    "Yikes, that invoice is wrong.",
    "Cheers buddy, all done.",
    "Oh man, that's annoying, sorry dude.",
]
GOSSIP = [
    "Honestly our ops lot have been all over the place this week.",
    "Two of the lads quit on Friday after a row with the boss.",
    "Don't get me started on the warehouse.",
    "The night team are useless at labelling, to be fair.",
    "It's been a total shambles here this week.",
    "A couple of our drivers walked out on Monday, so we're behind.",
    "Our head office can't organise a delivery rota to save their lives.",
    "Things have been chaos behind the scenes lately.",
    "Half of the engineers rang in sick after the Christmas do.",
    "My manager has no idea what he's doing with the new system.",
]
JIBES = [
    "The box was right there on the last page. Reading helps!",
    "Well, you did actually tick it.",
    "But fine, since it's only been an hour I'll refund it.",
    "It would help if you read the confirmation email.",
    "The warning was clearly there before you clicked pay.",
    "With all due respect, it's in black and white in the terms.",
    "Whatever, I'll cancel it.",
    "It was all spelled out in the booking email.",
    "You did in fact select next-day delivery.",
    "Oh fine, have it your way.",
]
#: Correct replies that share words with the shapes above.
CLEAN = [
    "Please fill in the proper form and we'll take it from there.",
    "I'd love to help with that.",
    "That sounds like it's been a nightmare for you, I'm sorry.",
    "The button is right there at the top of the page, next to your name.",
    "I'll pass it to our engineers, who will call you tomorrow.",
    "Our team is looking at it now and will be in touch by 5pm.",
    "That's fine, since you've got the receipt I can refund it.",
    "Reading the guide first helps with setup, but I can talk you through it now.",
    "Two of our engineers are on the job, so it should be quick.",
    "Your manager can approve the change on the portal.",
    "Yes, that's right, the parcel left the depot this morning.",
    "We're short of the part, so I've ordered it from our other branch.",
]


@pytest.mark.parametrize("text", FAMILIAR)
def test_over_familiar_talk_is_seen(text: str) -> None:
    assert over_familiar(text), text


@pytest.mark.parametrize("text", GOSSIP)
def test_colleague_gossip_is_seen(text: str) -> None:
    assert colleague_gossip(text), text


@pytest.mark.parametrize("text", JIBES)
def test_a_jibe_at_the_customer_is_seen(text: str) -> None:
    assert customer_jibe(text), text


@pytest.mark.parametrize("text", CLEAN)
def test_composed_replies_trigger_nothing(text: str) -> None:
    assert not (over_familiar(text) or colleague_gossip(text) or customer_jibe(text)), text


async def _professionalism(rubric: Rubric, reply: str) -> float | None:
    ctx = judge_context(rubric, [(C, "Why was my order late?"), (A, reply)])
    return (await rapport_judge(None)(ctx))["professionalism"].score


@pytest.mark.parametrize("bad", [FAMILIAR[0], GOSSIP[1], JIBES[0]])
async def test_each_shape_costs_professionalism(rubric: Rubric, bad: str) -> None:
    composed = "Sorry about that. The courier missed the slot; I've rebooked it for tomorrow."
    low, high = await _professionalism(rubric, bad), await _professionalism(rubric, composed)
    assert low is not None and high is not None and low < high, (bad, low, high)


def test_not_knowing_a_cause_yet_is_not_gossip() -> None:
    assert not colleague_gossip("Our team has no idea what caused it yet, but they're on it.")


MORE_BAD = [
    ("gossip", "Management are clueless about the new rota."),
    ("jibe", "Not sure how you missed it, it's on the first page."),
    ("jibe", "It's pretty self-explanatory once you open the app."),
    ("jibe", "As it clearly says in the email, collection is at noon."),
]


@pytest.mark.parametrize(("kind", "text"), MORE_BAD)
def test_other_wordings_are_seen(kind: str, text: str) -> None:
    check = colleague_gossip if kind == "gossip" else customer_jibe
    assert check(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Management have approved the refund.",
        "I'm not sure how you'd like it sent, by post or email?",
        "It clearly says your order is on its way, so nothing to worry about.",
    ],
)
def test_their_near_misses_are_clean(text: str) -> None:
    assert not (colleague_gossip(text) or customer_jibe(text)), text
