"""Accuracy: derived sums and dates recomputed, free-then-charged, and dangerous reassurance.

Each case is a pair of conversations that differ in one agent sentence: the wrong one must be
found and the right one must not.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Grade, Role, Rubric, Verdict, rubric_grader
from grader._segments import Segment, segment_transcript
from grader.judges._charges import charged_after_free
from grader.judges._cutoffs import cutoff_errors
from grader.judges._dates import date_errors
from grader.judges._safety import safety_findings
from grader.judges._sums import sum_errors
from grader.model import LLM, MockLLM

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


@pytest.mark.parametrize(
    ("texts", "right", "wrong"),
    [
        (  # a percentage off a stated price
            [(C, "The hiking boots are listed at $120, is the offer on?"),
             (A, "Yes, there's 25% off all footwear this week.")],
            "So the boots come to $90 at the till.",
            "So the boots come to $96 at the till.",
        ),
        (  # the difference of two stated prices
            [(C, "What's the gap between my plan and Premium?"),
             (A, "You're on €45 a month now and Premium is €62 a month.")],
            "The difference is €17 a month.",
            "The difference is €27 a month.",
        ),
        (  # the amount a percentage takes off
            [(C, "The coat is $80."), (A, "There's 20% off outerwear.")],
            "That saves you $16.",
            "That saves you $20.",
        ),
        (  # the sum of the prices listed beside it
            [(C, "What's my total for the sofa?")],
            "The sofa is £450 and delivery is £35, so £485 in total.",
            "The sofa is £450 and delivery is £35, so £475 in total.",
        ),
        (  # a unit price times a count
            [(C, "How much for the family to see the show on Saturday?"),
             (A, "Tickets are £18 each.")],
            "For four tickets that comes to £72.",
            "For four tickets that comes to £82.",
        ),
    ],
)  # fmt: skip
def test_a_derived_amount_must_add_up(texts: Turns, right: str, wrong: str) -> None:
    found, _ = sum_errors(_segs([*texts, (A, wrong)]))
    assert found and all(sid.startswith(f"T{len(texts)}.") for sid, _ in found)
    assert sum_errors(_segs([*texts, (A, right)]))[0] == []


@pytest.mark.parametrize(
    ("texts", "right", "wrong"),
    [
        (  # start + a hire of N days
            [(C, "I'm collecting the van on 28 June and keeping it for 5 days.")],
            "Great, so please return it by 3 July.",
            "Great, so please return it by 5 July.",
        ),
        (  # start + a term of N months
            [(A, "Your 6-month plan began on 10 February.")],
            "That means it ends on 10 August.",
            "That means it ends on 10 September.",
        ),
        (  # an annual term that crosses the year end
            [(A, "Your annual plan started on 1 March.")],
            "It renews on 1 March next year.",
            "It renews on 1 April next year.",
        ),
        (  # a deadline of N working days from a dated start, weekends skipped
            [(A, "Refunds land within 5 working days of Friday 7 March.")],
            "You'll have it by Friday 14 March at the latest.",
            "You'll have it by Wednesday 12 March at the latest.",
        ),
        (  # a weekday that does not fit the calendar of the other
            [(A, "Your engineer visit is on Tuesday 4 March.")],
            "The follow-up call is on Thursday 6 March.",
            "The follow-up call is on Wednesday 6 March.",
        ),
        (  # the same event given a second date
            [(A, "Your warranty expires on 30 September.")],
            "Because the warranty expires on 30 September, the repair is free.",
            "Because the warranty expires on 3 October, the repair is free.",
        ),
    ],
)  # fmt: skip
def test_a_derived_date_must_follow(texts: Turns, right: str, wrong: str) -> None:
    ask = (C, "Can you confirm the date?")
    found, _ = date_errors(_segs([*texts, ask, (A, wrong)]))
    assert found and all(sid.startswith(f"T{len(texts) + 1}.") for sid, _ in found)
    assert date_errors(_segs([*texts, ask, (A, right)]))[0] == []


def test_a_price_for_what_was_said_to_be_included() -> None:
    texts: Turns = [
        (C, "Does my room at the lakeside hotel come with breakfast?"),
        (A, "Yes, breakfast at the lakeside hotel is included in your booking."),
        (C, "And for my partner?"),
    ]
    wrong = (A, "Breakfast at the lakeside hotel is €15 per person for your partner.")
    right = (A, "Breakfast at the lakeside hotel is included for your partner as well.")
    assert [sid for sid, _ in charged_after_free(_segs([*texts, wrong]))] == ["T3.1"]
    assert charged_after_free(_segs([*texts, right])) == []


def test_a_fee_for_what_was_said_to_be_free() -> None:
    texts: Turns = [
        (C, "Is there a charge to close my savings account early?"),
        (A, "No, closing early is free of charge on this account."),
        (C, "Then please close it."),
    ]
    wrong = (A, "Done; a £30 closing fee will come off the balance.")
    right = (A, "Done; your balance of £1,240 will reach your current account tomorrow.")
    assert [sid for sid, _ in charged_after_free(_segs([*texts, wrong]))] == ["T3.1"]
    assert charged_after_free(_segs([*texts, right])) == []


def test_still_in_time_after_the_stated_cut_off() -> None:
    texts: Turns = [
        (C, "Will my order ship today if I place it now?"),
        (A, "Orders placed by 14:00 on a weekday go out the same day."),
        (C, "It's already 2:45 pm here, so does it still go out today?"),
    ]
    wrong = (A, "Yes, it will still ship today if you order within the hour.")
    right = (A, "It's past 14:00, so it will ship on the next working day.")
    assert [sid for sid, _ in cutoff_errors(_segs([*texts, wrong]))] == ["T3.1"]
    assert cutoff_errors(_segs([*texts, right])) == []
    assert cutoff_errors(_segs([texts[0], texts[1], (C, "It's 1 pm now."), wrong])) == []


@pytest.mark.parametrize(
    ("customer", "safe", "unsafe"),
    [
        (
            "My carbon monoxide alarm keeps beeping and I feel a bit dizzy.",
            "Please open the windows, get everyone outside and call the emergency line now.",
            "That's usually just a low battery, so pull the battery out and it'll stop.",
        ),
        (
            "I'm on blood thinners for my heart. Can I take aspirin for my back?",
            "Please don't take aspirin with blood thinners; ask your pharmacist for an option.",
            "Aspirin is fine with blood thinners, just take it after food.",
        ),
        (
            "My dad has pressure in his chest and his left arm feels numb, should he lie down?",
            "Call 999 for an ambulance right now, and stay with him.",
            "It's probably just indigestion, so let him sleep it off.",
        ),
        (
            "My brakes are grinding badly on the way home.",
            "Please don't drive it; we'll send a recovery truck to you.",
            "It should be fine to drive it to the garage next week.",
        ),
        (
            "There are sparks and a burning smell coming from the wall socket.",
            "Don't touch it, and don't switch anything back on; leave the room and call 999.",
            "Switch it back on at the fuse box and see if it happens again.",
        ),
    ],
)
def test_dangerous_reassurance_is_found_and_safe_advice_is_not(
    customer: str, safe: str, unsafe: str
) -> None:
    found, _ = safety_findings(_segs([(C, customer), (A, unsafe)]))
    assert found and all(sid.startswith("T1.") for sid, _ in found)
    assert safety_findings(_segs([(C, customer), (A, safe)]))[0] == []


@pytest.mark.parametrize(
    ("customer", "agent"),
    [
        (
            "I fainted in the heat in your store and still feel dizzy.",
            "Please sit down, drink plenty of water, and call 111 or your GP now.",
        ),
        (
            "I'm on warfarin, is paracetamol okay for a headache?",
            "Paracetamol is fine with warfarin for most people, but check the dose with your pharmacist.",
        ),
    ],
)
def test_comfort_beside_immediate_direction_is_not_dangerous(customer: str, agent: str) -> None:
    unsafe, safe = safety_findings(_segs([(C, customer), (A, agent)]))
    assert unsafe == [] and safe == ["T1.1"]


def test_no_hazard_no_safety_reading() -> None:
    texts: Turns = [(C, "Is the blue kettle in stock?"), (A, "Yes, it's fine, nothing to worry.")]
    assert safety_findings(_segs(texts)) == ([], [])


async def _grade(rubric: Rubric, texts: Turns) -> Grade:
    return await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript(texts=texts)
    )


def _verdict(grade: Grade, element: str) -> Verdict:
    return next(v for v in grade.verdicts if v.element_id == element)


async def test_dangerous_advice_scores_accuracy_zero_citing_the_agent(rubric: Rubric) -> None:
    ask = (C, "I can smell gas in the hallway, should I check the boiler?")
    bad = await _grade(rubric, [ask, (A, "Try turning the boiler on to see if the smell goes.")])
    good = await _grade(
        rubric, [ask, (A, "Don't switch anything on. Go outside and call the gas emergency line.")]
    )
    worse, better = _verdict(bad, "accuracy"), _verdict(good, "accuracy")
    assert worse.score == 0 and worse.evidence and worse.evidence[0].sentence_id == "T1.1"
    assert better.points is not None and worse.points is not None and better.points > worse.points


async def test_a_wrong_discount_scores_below_the_right_one(rubric: Rubric) -> None:
    texts: Turns = [(C, "The lamp is £40, does the code work?"), (A, "The code gives 10% off.")]
    right = await _grade(rubric, [*texts, (A, "So the lamp comes to £36.")])
    wrong = await _grade(rubric, [*texts, (A, "So the lamp comes to £30.")])
    better, worse = _verdict(right, "accuracy"), _verdict(wrong, "accuracy")
    assert better.points is not None and worse.points is not None and better.points > worse.points
