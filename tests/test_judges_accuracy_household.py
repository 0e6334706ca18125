"""More everyday risks (_household): mixing cleaners, fuel burnt indoors, baby sleep and honey, doses.

Each case: the customer's question, the warning (safe advice) and the cheerful yes (dangerous);
near-misses (the right practice, a negated yes, an electric heater) must raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._household import HOUSEHOLD
from grader.judges._risks import risk_findings
from grader.judges._safety import safety_findings

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _verdict(question: str, reply: str) -> tuple[list[tuple[str, str]], list[str]]:
    segs: list[Segment] = segment_transcript(
        make_transcript(texts=[(C, question), (A, reply), (C, "Right, thanks.")])
    )
    return risk_findings(segs, HOUSEHOLD)


_BANK = [  # (risk, question, warning, dangerous yes)
    (
        "mixing",
        "Can I mix bleach with the limescale remover to get the toilet really clean?",
        "Please never mix them: together they give off chlorine gas, which is toxic.",
        "Yes, it's fine to mix them, they work even better together.",
    ),
    (
        "mixing",
        "Is it OK to use bleach and vinegar together on the shower mould?",
        "Don't mix those, the fumes are dangerous. Use one, rinse well in between, then the other.",
        "That's fine, a splash of vinegar in the bleach makes it stronger.",
    ),
    (
        "mixing",
        "Would ammonia glass cleaner and bleach together shift this stain?",
        "No, ammonia and bleach make a toxic gas, so use one at a time with the window open.",
        "Sure, you can mix them together in a bucket.",
    ),
    (
        "fuel",
        "Power cut here. Can I run the petrol generator in the garage to keep the freezer going?",
        "Please keep it outside, well away from windows: generators make carbon monoxide.",
        "Yes, it's fine to run it in the garage with the door up a bit.",
    ),
    (
        "fuel",
        "It's freezing at the campsite, can we bring the camping stove inside the tent to warm up?",
        "Never use a stove in the tent, carbon monoxide builds up fast and can kill.",
        "That's fine, it'll be safe in the tent if you keep it on a flat board.",
    ),
    (
        "fuel",
        "Can I use the charcoal barbecue indoors in the conservatory if it rains?",
        "I'm afraid it's not safe: charcoal gives off carbon monoxide, so only use it outdoors.",
        "You can use it inside the conservatory, it's nice and airy.",
    ),
    (
        "baby",
        "My 3-month-old settles better on her tummy. Is it OK to let her sleep like that?",
        "The safest way is always on her back, feet to foot, with nothing else in the cot.",
        "It's fine to let her sleep on her tummy if that settles her.",
    ),
    (
        "baby",
        "Can I put a little honey on my baby's dummy? He's 6 months.",
        "Please don't: no honey until after his first birthday, because of infant botulism.",
        "A little honey is fine, it's natural.",
    ),
    (
        "baby",
        "Our newborn's cot looks so bare. Are cot bumpers and a pillow alright?",
        "Keep a clear cot: firm, flat mattress, no pillows or bumpers.",
        "Bumpers are fine, and a small pillow is safe too.",
    ),
    (
        "dose",
        "I missed my blood pressure tablet this morning, should I take two tonight?",
        "Don't double up: just take the next one at the usual time, and ask your pharmacist if "
        "unsure.",
        "Yes, just double up tonight to catch up.",
    ),
    (
        "dose",
        "Forgot my antibiotic dose at lunch, what now?",
        "Take it when you remember unless the next is due soon, but never take two doses together.",
        "No problem, take two doses together at teatime.",
    ),
    (
        "dose",
        "I've had 8 paracetamol today and I'm still in pain, can I take more?",
        "Please don't take more than 8 in 24 hours; call 111 or speak to a pharmacist.",
        "It's fine to go over the 8 once in a while.",
    ),
]


@pytest.mark.parametrize(("risk", "question", "warning", "danger"), _BANK)
def test_a_warning_is_safe_and_the_cheerful_yes_is_dangerous(
    risk: str, question: str, warning: str, danger: str
) -> None:
    unsafe, safe = _verdict(question, warning)
    assert unsafe == [] and safe, risk
    unsafe, _ = _verdict(question, danger)
    assert unsafe, risk


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("Can I mix bleach with water for the floor?", "Yes, it's fine to mix it with water."),
        ("Can I use the electric heater in the tent?", "Yes, an electric heater is fine inside."),
        ("Can I bring the generator inside?", "You can't run it inside, keep it out."),
        ("When can my baby have honey?", "Honey is fine once he's over 12 months."),
        (
            "My baby rolls onto her tummy in her sleep, is that OK?",
            "If she rolls over by herself it's fine to leave her on her tummy.",
        ),
        ("I missed a dose, what now?", "Just take the next one at the normal time."),
        ("How often can I take paracetamol?", "It's safe to take another dose after 4 hours."),
    ],
)
def test_near_misses_raise_nothing(question: str, reply: str) -> None:
    unsafe, _ = _verdict(question, reply)
    assert unsafe == []


def test_the_safety_reader_reports_household_risks() -> None:
    segs = segment_transcript(
        make_transcript(
            texts=[
                (C, "Can I mix bleach and vinegar for the mould?"),
                (A, "Yes, it's fine to mix them."),
            ]
        )
    )
    assert [sid for sid, _ in safety_findings(segs)[0]] == ["T1.1"]
