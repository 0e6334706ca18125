"""Expectation, empathy and diligence shapes on banks of paraphrases and near-misses.

A timing hedged with no time given is vague ("timings can vary"), a trigger is not ("as soon
as it's done"); the customer's situation appraised is empathy ("that must have been
frightening"), a guess at a fact is not ("it must have been sent to your old email"); any
first-person past-tense action is work owned, and closing the chat on the customer is not.
"""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._cues import has
from grader.judges._framing import framing_judge
from grader.judges._timing import signals_judge

Turns = list[tuple[Role, str]]
C, A, S = Role.CUSTOMER, Role.AGENT, Role.SYSTEM


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Apple processes it. Timings can vary, but we'll email you once it's done.", True),
        ("There's no set timeframe for refunds.", True),
        ("It's hard to say how long it'll take.", True),
        ("I can't tell you exactly when it'll arrive.", True),
        ("This can take a while.", True),
        ("Turnaround times do vary.", True),
        ("How long it takes depends on the bank.", True),
        ("That might take some time.", True),
        ("We'll email you as soon as it's done.", False),
        ("I'll call you as soon as I hear.", False),
        ("The price can vary by region.", False),
        ("It depends on your plan whether roaming is included.", False),
        ("It depends on the courier whether it is tracked.", False),
    ],
)
def test_a_hedged_timing_is_vague_and_a_trigger_is_not(text: str, vague: bool) -> None:
    assert has("vague_time", text) is vague


@pytest.mark.parametrize(
    ("text", "felt"),
    [
        ("That must have been frightening, with them in the car.", True),
        ("That must've been a real shock.", True),
        ("This must have been so stressful.", True),
        (
            "An exam on Saturday and your revision app stops working, that's really bad timing.",
            True,
        ),
        ("What awful timing, right before your flight.", True),
        ("I'm really glad you and the kids are okay.", True),
        ("Glad everyone's safe.", True),
        ("What a fright that must have been.", True),
        ("It must have been delivered to the wrong address.", False),
        ("That must have been sent to your old email.", False),
        ("This must have been a system error.", False),
        ("The timing of the refund is 5 days.", False),
        ("I'm glad to help.", False),
        ("Glad you got the code.", False),
    ],
)
def test_their_situation_appraised_is_an_acknowledgement(text: str, felt: bool) -> None:
    assert has("feeling", text) is felt


async def _diligence(rubric: Rubric, texts: Turns) -> float:
    ctx = judge_context(rubric, texts)
    score = (await framing_judge()(ctx))["diligence"].score
    assert score is not None
    return score


_ASK = (C, "Someone else is using my account, there are devices in Leeds I don't know.")


@pytest.mark.parametrize(
    "done",
    [
        "I've signed out every device and switched your email settings back.",
        "We've blocked the Leeds phone and changed the recovery number.",
        "I have now removed the unknown TV from your profile.",
        "We've also unlinked the card they added.",
    ],
)
async def test_any_action_reported_done_is_owned(rubric: Rubric, done: str) -> None:
    plain = "Thanks for letting us know about this."
    assert await _diligence(rubric, [_ASK, (A, done)]) > await _diligence(
        rubric, [_ASK, (A, plain)]
    )


@pytest.mark.parametrize(
    "closing",
    [
        "Chat closed by agent.",
        "This conversation was ended by the advisor.",
        "Agent has left the chat.",
    ],
)
async def test_the_agent_closing_the_chat_costs_diligence(rubric: Rubric, closing: str) -> None:
    tip = "You can sign out devices under Account > Devices. Hope that helps!"
    left = await _diligence(rubric, [_ASK, (A, tip), (S, closing)])
    assert left < await _diligence(rubric, [_ASK, (A, tip), (C, "ok thanks")])


@pytest.mark.parametrize(
    "said",
    ["I've wondered about that too.", "We've needed a new form for this.", "I've tried, sorry."],
)
async def test_wishes_and_attempts_are_not_work_done(rubric: Rubric, said: str) -> None:
    plain = "Thanks for letting us know about this."
    assert await _diligence(rubric, [_ASK, (A, said)]) == await _diligence(
        rubric, [_ASK, (A, plain)]
    )


async def _steps(rubric: Rubric, texts: Turns) -> float:
    ctx = judge_context(rubric, texts)
    score = (await signals_judge()(ctx))["efficient_resolution"].score
    assert score is not None
    return score


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("Charger BRS-07 took £38 for a failed session at 14:10 today.", "BRS-07, at 14:10"),
        ("No hot water, boiler shows F28, 14 Elm Close BS7.", "(DM) 14 Elm Close BS7, code F28"),
        ("Order 88213 arrived broken, invoice INV-5521.", "it's 88213 and INV-5521 like I wrote"),
        ("My flight BA2670 on 12/06 lost my bag, ref LGW-11730.", "Ref LGW-11730, flight BA2670"),
    ],
)
async def test_figures_given_twice_cost_efficiency(rubric: Rubric, first: str, again: str) -> None:
    asked = (A, "Could you send us those details please?")
    done = (A, "Thanks, that's sorted for you now.")
    twice = await _steps(rubric, [(C, first), asked, (C, again), done])
    assert twice < await _steps(rubric, [(C, first), done, (C, "thanks")])


@pytest.mark.parametrize(
    "reply",
    ["yes, that's right", "just the £38 back please", "Order 88213 is fine, thanks", "ok cheers"],
)
async def test_one_figure_or_none_said_again_is_not_a_repeat(rubric: Rubric, reply: str) -> None:
    first = (C, "Order 88213 arrived broken, invoice INV-5521, I paid £38.")
    done = (A, "Thanks, that's sorted for you now.")
    assert await _steps(rubric, [first, done, (C, reply)]) == 3.0
