"""Escalation: a referral in any wording is a hand-off; a warm one says why, to whom and when."""

from __future__ import annotations

from factories import make_transcript

from grader import Role, Rubric, Verdict, compute_signals, rubric_grader
from grader.model import LLM, MockLLM

ASK = (Role.CUSTOMER, "The new tablets make my ankles swell. Should I stop taking them?")


async def _escalation(rubric: Rubric, turns: list[tuple[Role, str]]) -> Verdict:
    grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript("t", turns)
    )
    return next(v for v in grade.verdicts if v.element_id == "escalation")


def test_sending_a_team_a_note_is_a_referral() -> None:
    for line in (
        "I've sent the nursing team a note with the tablet name.",
        "I've messaged the depot and asked them to check coach C.",
        "I've sent Dana (our duty pharmacist) the details.",
        "I'm looping in our claims team.",
        "I've copied in Omar from the accounts team.",
        "Our repairs team will be in touch by Thursday.",
        "I'll have someone from the lettings team ring you.",
        "I've asked Bea in logistics to give you a call.",
    ):
        signals = compute_signals(make_transcript("t", [ASK, (Role.AGENT, line)]))
        assert [e.kind for e in signals.escalations] == ["case_referred"], line
    for line in ("Our team is working hard on it.", "I'll check with the warehouse."):
        signals = compute_signals(make_transcript("t", [ASK, (Role.AGENT, line)]))
        assert signals.escalations == [], line


async def test_a_hand_off_that_says_why_and_when_beats_one_that_does_not(rubric: Rubric) -> None:
    warm = (
        "I can't advise on medication from the front desk, so I've sent our duty nurse a note "
        "with the tablet name and the swelling. She will call you between 2 and 4 pm today."
    )
    bare = "I've sent the nursing team a note with the tablet name and the swelling."
    better = await _escalation(rubric, [ASK, (Role.AGENT, warm), (Role.CUSTOMER, "Thanks.")])
    worse = await _escalation(rubric, [ASK, (Role.AGENT, bare), (Role.CUSTOMER, "Thanks.")])
    assert better.status == worse.status == "scored"
    assert better.value is not None and worse.value is not None and better.value > worse.value


async def test_a_customer_who_must_explain_it_all_again_lowers_escalation(rubric: Rubric) -> None:
    hand_off = (Role.AGENT, "I've passed your case with the details to our billing team.")
    asks = (Role.AGENT, "Hi, billing team here. Could you explain the issue from the start?")
    kept = await _escalation(rubric, [ASK, hand_off, asks, (Role.CUSTOMER, "Sure, thanks.")])
    again = await _escalation(
        rubric, [ASK, hand_off, asks, (Role.CUSTOMER, "I explained it all in my first message.")]
    )
    assert kept.value is not None and again.value is not None and again.value < kept.value
