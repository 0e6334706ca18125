"""The detector rules added from the blind contrast batches, each on a pair that differs in one way."""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Grade, Role, Rubric, Verdict, compute_signals, rubric_grader
from grader._segments import segment_transcript
from grader.judges._answers import dodged_questions
from grader.judges._consistency import restatement_conflicts
from grader.model import LLM, MockLLM

Turns = list[tuple[Role, str]]


def _conflicts(texts: Turns) -> list[str]:
    found, _ = restatement_conflicts(segment_transcript(make_transcript(texts=texts)))
    return [why for _, why in found]


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (
            "Your smart meter installation is booked for Tuesday 3 June, between 8 am and 12 noon.",
            "Summary: smart meter installation on Wednesday 4 June, 1 pm to 5 pm.",
        ),
        ("Unlimited data is £32 a month.", "You'll pay £38 a month for unlimited data."),
        (
            "Your fare includes one checked bag up to 23 kilos.",
            "That'll be 45 euros for a checked bag on this fare.",
        ),
        (
            "The next train leaves at 18:35 from platform 4.",
            "The train leaves at 18:50 from platform 4.",
        ),
        ("Your policy has an excess of £250 for storm damage.", "You'll pay the £400 excess."),
        ("The fixed saver pays 4.6% AER.", "Your fixed saver is open, earning 4.1% AER."),
        (
            "Your contents policy doesn't include accidental damage.",
            "You can claim for it under your contents policy and we'll cover the damage.",
        ),
    ],
)
def test_a_restated_fact_that_changed_is_a_contradiction(first: str, then: str) -> None:
    texts: Turns = [
        (Role.CUSTOMER, "Can you tell me?"),
        (Role.AGENT, first),
        (Role.CUSTOMER, "Please confirm it."),
        (Role.AGENT, then),
    ]
    assert _conflicts(texts), then


@pytest.mark.parametrize(
    ("ask", "then"),
    [
        ("Please confirm it.", "Your installation is booked for Tuesday 3 June, 8 am to 12 noon."),
        ("Can we move it to Wednesday?", "Done, your installation is moved to Wednesday 4 June."),
    ],
)
def test_the_same_fact_or_an_asked_for_change_is_consistent(ask: str, then: str) -> None:
    texts: Turns = [
        (Role.CUSTOMER, "When is it?"),
        (Role.AGENT, "Your installation is booked for Tuesday 3 June, between 8 am and 12 noon."),
        (Role.CUSTOMER, ask),
        (Role.AGENT, then),
    ]
    assert _conflicts(texts) == []


def test_an_amount_quoted_for_the_wrong_item() -> None:
    texts: Turns = [
        (Role.CUSTOMER, "I bought a jacket at £60 and a scarf at £24.50; I'm returning the scarf."),
        (Role.AGENT, "You'll get £60.00 back once the scarf reaches us."),
    ]
    assert _conflicts(texts) and not _conflicts([texts[0], (Role.AGENT, "You'll get £24.50 back.")])


def test_a_closed_question_answered_around_is_a_dodge() -> None:
    def dodged(reply: str) -> list[str]:
        t = make_transcript(
            texts=[
                (Role.CUSTOMER, "Is my appointment on Thursday still going ahead?"),
                (Role.AGENT, reply),
            ]
        )
        return dodged_questions(segment_transcript(t))

    assert dodged("Our clinics are running as normally as possible this week.") == ["T1.1"]
    assert dodged("Yes, it is: Thursday at 10:40.") == []


def _kinds(agent: str) -> list[str]:
    t = make_transcript(
        texts=[(Role.CUSTOMER, "My claim was denied by mistake."), (Role.AGENT, agent)]
    )
    return [e.kind for e in compute_signals(t).escalations]


def test_a_case_passed_to_a_team_and_a_customer_sent_elsewhere_are_hand_offs() -> None:
    assert _kinds("I've passed your case to our claims team with the letter.") == ["case_referred"]
    assert _kinds("Denials are handled by our claims team. Please call them on 0800 555 0199.") == [
        "sent_elsewhere"
    ]
    assert _kinds("I've corrected the claim and it is approved.") == []


async def _grade(rubric: Rubric, texts: Turns) -> Grade:
    return await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript(texts=texts)
    )


def _verdict(grade: Grade, element: str) -> Verdict:
    return next(v for v in grade.verdicts if v.element_id == element)


async def test_escalation_refused_on_an_issue_that_keeps_coming_back(rubric: Rubric) -> None:
    ask = (
        Role.CUSTOMER,
        "This is the fourth time my broadband drops every evening. I want it looked at properly.",
    )
    referred = await _grade(
        rubric,
        [ask, (Role.AGENT, "I've raised a case with our network engineers, with the four dates.")],
    )
    refused = await _grade(
        rubric,
        [ask, (Role.AGENT, "There's no need to pass this on. Please restart the router again.")],
    )
    better, worse = _verdict(referred, "escalation"), _verdict(refused, "escalation")
    assert better.points is not None and worse.points is not None and better.points > worse.points


async def test_a_plea_granted_beats_the_rule_applied(rubric: Rubric) -> None:
    plea = (
        Role.CUSTOMER,
        "My trial ran out while I was on holiday. Is there any way to get more time?",
    )
    granted = await _grade(
        rubric,
        [
            plea,
            (Role.AGENT, "Trials are normally 14 days, but I've given you another 14 from today."),
        ],
    )
    applied = await _grade(
        rubric, [plea, (Role.AGENT, "Trials are 14 days for every account and can't be extended.")]
    )
    better, worse = _verdict(granted, "empowerment"), _verdict(applied, "empowerment")
    assert better.points is not None and worse.points is not None and better.points > worse.points
