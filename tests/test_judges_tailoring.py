"""Tailoring to a limit the customer stated: no internet, no time, who they are."""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Grade, Role, Rubric, rubric_grader
from grader.model import LLM, MockLLM


async def _tailoring(rubric: Rubric, turns: list[tuple[Role, str]]) -> tuple[float, Grade]:
    grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript("t", turns)
    )
    verdict = next(v for v in grade.verdicts if v.element_id == "tailoring")
    assert verdict.value is not None, verdict.rationale
    return verdict.value, grade


def _judges(grade: Grade) -> set[str]:
    verdict = next(v for v in grade.verdicts if v.element_id == "tailoring")
    return {v.judge for v in verdict.votes}


async def test_a_customer_without_internet_is_not_sent_to_the_app(rubric: Rubric) -> None:
    ask = (Role.CUSTOMER, "My parking permit expires next week. I don't have a computer at home.")
    post = "No problem, I'll post you a paper form today with a prepaid envelope to send it back."
    app = "Easy: download our ParkRight app, sign in to your account and renew under Permits."
    fitted, _ = await _tailoring(rubric, [ask, (Role.AGENT, post), (Role.CUSTOMER, "Lovely.")])
    ignored, grade = await _tailoring(rubric, [ask, (Role.AGENT, app), (Role.CUSTOMER, "Right.")])
    assert fitted > ignored
    assert "detector:constraints" in _judges(grade)


async def test_a_hurried_customer_gets_the_short_answer(rubric: Rubric) -> None:
    ask = (Role.CUSTOMER, "Quick question, I'm in a rush: what's the late fee on my card?")
    short = "It's £12, charged only if the minimum isn't paid by the due date."
    rambling = (
        "Great question! So there are a few different fees on the card, and it depends on the "
        "situation. There is a foreign transaction fee of 2.9% when you spend abroad, a cash "
        "withdrawal fee of 3% with a minimum of £3, and then the late payment fee, which is "
        "£12, charged if the minimum payment hasn't reached us by the due date, and you can "
        "avoid it by setting up a direct debit in the app, which takes about five minutes."
    )
    fitted, _ = await _tailoring(rubric, [ask, (Role.AGENT, short)])
    ignored, _ = await _tailoring(rubric, [ask, (Role.AGENT, rambling)])
    assert fitted > ignored


@pytest.mark.parametrize("again", ["I said I'm self-employed.", "I told you I don't drive."])
async def test_a_customer_repeating_who_they_are_lowers_tailoring(
    rubric: Rubric, again: str
) -> None:
    opening = (Role.CUSTOMER, "Which of your insurance plans suits me? I'm self-employed, no car.")
    reply = (Role.AGENT, "Our Company Car Plus plan covers employees and their company vehicles.")
    heard, _ = await _tailoring(rubric, [opening, reply, (Role.CUSTOMER, "Thanks, I'll look.")])
    repeated, _ = await _tailoring(rubric, [opening, reply, (Role.CUSTOMER, again)])
    assert repeated < heard


async def test_without_a_stated_limit_the_constraints_judge_abstains(rubric: Rubric) -> None:
    _, grade = await _tailoring(
        rubric,
        [
            (Role.CUSTOMER, "Where is order 55120? I'm Priya."),
            (Role.AGENT, "Hi Priya, order 55120 arrives on Thursday."),
        ],
    )
    assert "detector:constraints" not in _judges(grade)


_FORTY = "Hi, I run a candle shop and I'm sending about forty parcels a week. What are my options?"
_SCRIPT = "You can book a parcel online, print your label and drop it at your nearest shop."
_FITTED = "Forty a week, you'd want a business account: we collect free from your door over 25."


@pytest.mark.parametrize(
    "reply",
    [
        "That's what I'm already doing. Forty times.",
        "That's exactly what I do now.",
        "I'm already doing that.",
        "I've already tried it.",
        "This is what I did last week too.",
    ],
)
async def test_a_reply_that_is_what_they_already_do_is_not_tailored(
    rubric: Rubric, reply: str
) -> None:
    fitted, _ = await _tailoring(
        rubric, [(Role.CUSTOMER, _FORTY), (Role.AGENT, _FITTED), (Role.CUSTOMER, "Great, send it.")]
    )
    script, _ = await _tailoring(
        rubric, [(Role.CUSTOMER, _FORTY), (Role.AGENT, _SCRIPT), (Role.CUSTOMER, reply)]
    )
    assert fitted > script, (reply, fitted, script)


async def test_a_spelled_out_count_said_back_is_a_specific_reused(rubric: Rubric) -> None:
    fitted, grade = await _tailoring(rubric, [(Role.CUSTOMER, _FORTY), (Role.AGENT, _FITTED)])
    why = next(v.rationale for v in grade.verdicts if v.element_id == "tailoring")
    assert "forty" in why, why
    vague = _FITTED.replace("Forty", "That many")
    unfitted, _ = await _tailoring(rubric, [(Role.CUSTOMER, _FORTY), (Role.AGENT, vague)])
    assert fitted > unfitted, (fitted, unfitted)
