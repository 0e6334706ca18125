"""Escalation: a referral in any wording is a hand-off; a warm one says why, to whom and when."""

from __future__ import annotations

import pytest
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
        "I've passed your case on, with the engineer's notes and your photos.",
        "I've passed her your booking and everything in your email.",
    ):
        signals = compute_signals(make_transcript("t", [ASK, (Role.AGENT, line)]))
        assert [e.kind for e in signals.escalations] == ["case_referred"], line
    for line in (
        "Our team is working hard on it.",
        "I'll check with the warehouse.",
        "I've passed your details to the courier label printer.",
    ):
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


C, A, S = Role.CUSTOMER, Role.AGENT, Role.SYSTEM
#: (shared opening, the better twin's rest, the worse twin's rest) of one escalation each.
HANDOFFS = [
    (
        [
            (C, "My claim was declined but the vet says it wasn't pre-existing."),
            (A, "I can't change a decision myself; that needs our claims review team."),
        ],
        [
            (
                A,
                "So I'm passing it to Priya in claims review now with a note about the vet "
                "letter, so you won't need to explain it again. She'll call you by 5pm tomorrow.",
            ),
            (C, "Great, thanks."),
        ],
        [
            (A, "I'll put you through to them now."),
            (S, "Call transferred to claims queue."),
            (A, "Claims, Priya speaking. What's the claim about?"),
            (C, "I already explained all this."),
        ],
    ),
    (
        [(C, "A lamp post is hanging off its base on Elm Road right by the bus stop.")],
        [
            (
                A,
                "That's dangerous. I'm passing this straight to the street lighting officer "
                "with the location; they aim to make it safe within 2 hours.",
            ),
            (C, "Thanks"),
        ],
        [
            (
                A,
                "This chat only logs non-urgent issues. You'll need to phone the emergency line "
                "yourself on 0300 555 0199.",
            ),
            (C, "Seriously?"),
        ],
    ),
    (
        [
            (C, "My £900 laptop arrived smashed. Photos attached."),
            (A, "Claims over £300 have to be handled by our claims team."),
        ],
        [
            (
                A,
                "I've opened claim CL-1200 and passed it to them with your photos and the "
                "value. A handler will email you within 2 working days.",
            ),
            (C, "Ok, great."),
        ],
        [
            (A, "Transferring you now."),
            (S, "You are now in a queue."),
            (C, "Hello? Anyone there?"),
            (S, "This chat has ended."),
        ],
    ),
    (
        [(C, "This is the third time I've called about this bill. I want someone more senior.")],
        [
            (
                A,
                "I'm raising it as a formal complaint, which goes to our complaints team; a "
                "case manager will ring you by Friday.",
            ),
            (C, "Okay."),
        ],
        [
            (A, "There isn't anyone more senior I can put you through to, I'm afraid."),
            (C, "Brilliant."),
        ],
    ),
    (
        [(C, "My listing was removed as fake but it's genuine, I have the receipt.")],
        [
            (
                A,
                "Only our Trust team can reinstate it. I'm moving you to them now and I've "
                "written them a note with the listing and your receipt.",
            ),
            (A, "Hi, Trust team here, I've read the note. Upload the receipt and I'll review it."),
        ],
        [
            (A, "I'll transfer you now."),
            (A, "Hi, Trust team here. How can I help today?"),
            (C, "ugh. my listing was removed as fake, it's genuine, I have the receipt."),
        ],
    ),
]


@pytest.mark.parametrize(("shared", "better", "worse"), HANDOFFS)
async def test_a_warm_hand_off_beats_a_cold_dropped_or_refused_one(
    rubric: Rubric,
    shared: list[tuple[Role, str]],
    better: list[tuple[Role, str]],
    worse: list[tuple[Role, str]],
) -> None:
    won = await _escalation(rubric, shared + better)
    lost = await _escalation(rubric, shared + worse)
    assert won.status == lost.status == "scored", (won.rationale, lost.rationale)
    assert won.value is not None and lost.value is not None and won.value > lost.value
