"""Efficient resolution: an identifying detail asked for after the customer was identified."""

from __future__ import annotations

from factories import make_transcript

from grader import Role, Rubric, rubric_grader
from grader.model import LLM, MockLLM


async def _efficiency(rubric: Rubric, turns: list[tuple[Role, str]]) -> float:
    grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript("t", turns)
    )
    verdict = next(v for v in grade.verdicts if v.element_id == "efficient_resolution")
    assert verdict.value is not None, verdict.rationale
    return verdict.value


DONE = (Role.AGENT, "Done: booking CR-55812 now ends on Sunday at 10am, for £43 more.")


async def test_a_needless_check_after_a_booking_reference_costs_efficiency(rubric: Rubric) -> None:
    ask = (Role.CUSTOMER, "Please extend booking CR-55812 by one day, to Sunday 10am.")
    direct = await _efficiency(rubric, [ask, DONE, (Role.CUSTOMER, "Great.")])
    detour = await _efficiency(
        rubric,
        [
            ask,
            (Role.AGENT, "Happy to. Could you confirm the registration of the car, please?"),
            (Role.CUSTOMER, "It's the grey Fiesta, KM21 PLD."),
            DONE,
            (Role.CUSTOMER, "Great."),
        ],
    )
    assert detour < direct


async def test_a_check_whose_answer_is_used_is_not_needless(rubric: Rubric) -> None:
    ask = (Role.CUSTOMER, "Please extend booking CR-55812 by one day, to Sunday 10am.")
    used = await _efficiency(
        rubric,
        [
            ask,
            (Role.AGENT, "Happy to. Could you confirm the registration of the car, please?"),
            (Role.CUSTOMER, "It's KM21 PLD."),
            (Role.AGENT, "Thanks: KM21 PLD is booked to Sunday 10am now, for £43 more."),
            (Role.CUSTOMER, "Great."),
        ],
    )
    assert used == 3


async def test_re_verifying_a_signed_in_customer_costs_efficiency(rubric: Rubric) -> None:
    system = (Role.SYSTEM, "Customer signed in to the app; identity verified (member 4471).")
    ask = (Role.CUSTOMER, "I'd like to pause my membership for August.")
    done = (Role.AGENT, "All set: your membership is paused from 1 to 31 August.")
    direct = await _efficiency(rubric, [system, ask, done])
    detour = await _efficiency(
        rubric,
        [
            system,
            ask,
            (Role.AGENT, "Sure. For security, can I take your date of birth and postcode?"),
            (Role.CUSTOMER, "12/03/1990, OX4 1JP"),
            done,
        ],
    )
    assert detour < direct
