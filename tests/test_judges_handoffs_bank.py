"""Escalation on a bank of paraphrases: hand-offs said in the future tense are hand-offs; a
warm one (why, who, the story carried, when they will hear) beats a cold one; a customer left
asking "what happens now?" or telling the story again shows the hand-off was cold."""

from __future__ import annotations

import pytest
from factories import judge_context, make_transcript

from grader import Role, Rubric, compute_signals
from grader.judges._handoffs import escalation_vote

C, A = Role.CUSTOMER, Role.AGENT

ANNOUNCED = [
    "I'll pass that over to the billing team now.",
    "Let me put you through.",
    "I'll send this straight to our claims team.",
    "I'll forward your photos on to the warranty team.",
    "We'll hand it over to the installers' team today.",
    "Priya, our scheduler, can fix that. I'll message her with all the details now.",
    "I'll connect you, one moment.",
    "I'm going to escalate this to my supervisor.",
    "I will refer your case to the complaints team.",
    "Okay, I'll just transfer you.",
]
NOT_HANDOFFS = [
    "I'll send you the form to fill in.",
    "I'll forward the receipt to your email address.",
    "Let me check that for you.",
    "I'll pass on my thanks, that's kind of you.",
    "I'll put you down for the 3pm slot.",
]


@pytest.mark.parametrize("text", ANNOUNCED)
def test_a_hand_off_said_ahead_is_an_event(text: str) -> None:
    transcript = make_transcript(texts=[(C, "My boiler's leaking again."), (A, text)])
    assert compute_signals(transcript).escalations, text


@pytest.mark.parametrize("text", NOT_HANDOFFS)
def test_offers_and_checks_are_not_hand_offs(text: str) -> None:
    transcript = make_transcript(texts=[(C, "My boiler's leaking again."), (A, text)])
    assert not compute_signals(transcript).escalations, text


#: (customer, warm hand-off, cold hand-off): the same team, one says why, whom and when.
WARM_COLD = [
    (
        "The app keeps charging me twice for the same ride.",
        "Duplicate charges are fixed by our payments team, because they can reverse them at the "
        "bank. I'll pass this to them with both receipts, and they'll email you by Friday.",
        "I'll pass that to the payments team.",
    ),
    (
        "My mum's care visit didn't happen this morning.",
        "I'll send this to Amir, the coordinator for her area, with everything you've told me. "
        "He'll ring you within the hour.",
        "I'll send that to the coordinators.",
    ),
    (
        "The dishwasher you fitted has flooded the kitchen.",
        "Because it's a fitting fault, our installation team handles it. I've passed them your "
        "photos and they'll call you tomorrow morning to book a visit.",
        "I've passed it to the installation team today.",
    ),
    (
        "I was billed for a course I never enrolled on.",
        "Enrolment errors go to our registry team since only they can cancel an enrolment. I'm "
        "forwarding your email to them now, and you'll hear back within 2 working days.",
        "I'm forwarding your email to the registry team.",
    ),
]


def _score(rubric: Rubric, texts: list[tuple[Role, str]]) -> float | None:
    return escalation_vote(judge_context(rubric, texts)).score


@pytest.mark.parametrize(("ask", "warm", "cold"), WARM_COLD)
def test_a_warm_hand_off_beats_a_cold_one(rubric: Rubric, ask: str, warm: str, cold: str) -> None:
    better = _score(rubric, [(C, ask), (A, warm), (C, "Okay, thanks.")])
    worse = _score(rubric, [(C, ask), (A, cold), (C, "Okay, thanks.")])
    assert better is not None and worse is not None and better > worse, (better, worse)


LOST = [
    "Okay, so what happens now?",
    "Right... and when will I hear?",
    "Do I need to call them myself?",
    "Will someone call me back?",
]


@pytest.mark.parametrize("lost", LOST)
def test_a_customer_left_asking_what_next_costs(rubric: Rubric, lost: str) -> None:
    handed = "I'll pass that to the claims team with your details."
    ask = "My claim form was rejected."
    asked = _score(rubric, [(C, ask), (A, handed), (C, lost)])
    content = _score(rubric, [(C, ask), (A, handed), (C, "Great, thanks.")])
    assert asked is not None and content is not None and asked < content, (asked, content)


def test_telling_the_story_again_after_a_transfer_costs(rubric: Rubric) -> None:
    ask = (C, "My order 55123 arrived broken.")
    handed = (A, "I'll put you through.")
    again = [(A, "Returns desk, what's the problem?"), (C, "I've just explained all this.")]
    fine = [(A, "Returns desk, I've got your note about order 55123."), (C, "Great.")]
    worse = _score(rubric, [ask, handed, *again])
    better = _score(rubric, [ask, handed, *fine])
    assert worse is not None and better is not None and worse < better, (worse, better)


#: When the customer will hear, said in the present tense; against the hand-off's own date.
WHEN = [
    "She rings back between 2 and 4 today.",
    "They phone back within 2 hours.",
    "The duty engineer calls customers back tomorrow morning.",
    "You'll hear from them by Friday.",
]


@pytest.mark.parametrize("when", WHEN)
def test_when_they_will_hear_beats_when_it_was_passed(rubric: Rubric, when: str) -> None:
    ask = (C, "My heating has stopped working.")
    passed = "I've sent the repairs team a note with the details today."
    told = _score(rubric, [ask, (A, f"{passed} {when}"), (C, "Thanks.")])
    dated = _score(rubric, [ask, (A, passed), (C, "Thanks.")])
    assert told is not None and dated is not None and told > dated, (told, dated)


SENT_AWAY = [
    "You'll have to take that up with the manufacturer's warranty team.",
    "That's one for our lettings team, just drop them an email.",
    "Please take it up with the billing department.",
    "Give them a ring at the depot, they'll know.",
]


@pytest.mark.parametrize("text", SENT_AWAY)
def test_the_customer_sent_to_another_team_is_a_cold_hand_off(text: str) -> None:
    transcript = make_transcript(texts=[(C, "The oven door has cracked."), (A, text)])
    kinds = [e.kind for e in compute_signals(transcript).escalations]
    assert kinds == ["sent_elsewhere"], (text, kinds)
