"""Tailoring: a reply that never names the thing the customer came about, and pushback.

Paraphrase bank across industries, with near-misses: a thing named once, or named back by the
agent, must not cost; a customer opening "I said ..." after the reply is pushback.
"""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._focus import missed_focus, pushed_back
from grader.judges._lexical import lexical_judge

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


async def _tailoring(rubric: Rubric, texts: Turns) -> float:
    ctx = judge_context(rubric, texts)
    score = (await lexical_judge()(ctx))["tailoring"].score
    assert score is not None
    return score


_CASES = [
    (
        "My mother's folding wheelchair hasn't arrived, ref LGW-11730. We need a wheelchair.",
        "I've put the wheelchair on priority trace and we'll lend you one today.",
        "Thank you for contacting us regarding ref LGW-11730. We're sorry your item is late.",
    ),
    (
        "The pram was left at gate 12, booking QX-5521. Without the pram I can't get home.",
        "The pram is with the gate team and we'll courier it to you tonight.",
        "Regarding booking QX-5521 and gate 12, your belongings will be traced.",
    ),
    (
        "My insulin fridge at 4 Mill Lane stopped. The insulin has to stay cold. Job JB-7781.",
        "An engineer will replace the insulin fridge this afternoon.",
        "Job JB-7781 at 4 Mill Lane is logged for your appliance.",
    ),
    (
        "The ramp for my scooter at flat 9B is broken, I need the ramp. Case CS-2290.",
        "I've booked the ramp repair for tomorrow morning.",
        "Case CS-2290 for flat 9B has been raised with the repairs team.",
    ),
]


@pytest.mark.parametrize(("ask", "named", "generic"), _CASES)
async def test_a_reply_that_never_names_their_thing_is_less_tailored(
    rubric: Rubric, ask: str, named: str, generic: str
) -> None:
    better = await _tailoring(rubric, [(C, ask), (A, named)])
    assert better > await _tailoring(rubric, [(C, ask), (A, generic)])


@pytest.mark.parametrize(
    "ask",
    [
        "My wheelchair hasn't arrived, what can you do?",  # named once: no focus to miss
        "Where is my parcel? It was due Monday.",
    ],
)
async def test_a_thing_named_once_sets_no_focus(rubric: Rubric, ask: str) -> None:
    ctx = judge_context(rubric, [(C, ask), (A, "Thanks, we're looking into it.")])
    assert not missed_focus(ctx)


@pytest.mark.parametrize(
    ("text", "pushback"),
    [
        ("I said we don't need essentials. She needs a wheelchair.", True),
        ("No, I asked about the pram, not the bag.", True),
        ("But I wrote that in my first line.", True),
        ("I asked whether it can come today.", True),
        ("She said it was fine, thanks.", False),
        ("I'd say that works.", False),
        ("Delivery please, to 22 Ferndale Road.", False),
    ],
)
def test_a_turn_opening_i_said_is_pushback(text: str, pushback: bool) -> None:
    assert pushed_back(text) is pushback
