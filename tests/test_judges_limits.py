"""Empowerment when the better agent bends a limit without naming a rule."""

from __future__ import annotations

from factories import make_transcript

from grader import Role, Rubric, Verdict, rubric_grader
from grader.model import LLM, MockLLM


async def _empowerment(rubric: Rubric, turns: list[tuple[Role, str]]) -> Verdict:
    grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
        make_transcript("t", turns)
    )
    return next(v for v in grade.verdicts if v.element_id == "empowerment")


ASK = (
    Role.CUSTOMER,
    "My contact lenses arrive Monday but I'll run out Friday. Can they come sooner?",
)
LIMIT = (Role.AGENT, "Our courier only delivers to your area on Mondays.")


async def test_a_limit_met_with_a_way_round_it_is_scored_not_na(rubric: Rubric) -> None:
    bent = (
        Role.AGENT,
        "I've moved two boxes to our Bridge Street shop for you to collect tomorrow.",
    )
    kept = (Role.AGENT, "I'm afraid I can't change the delivery day, so they'll arrive Monday.")
    better = await _empowerment(rubric, [ASK, LIMIT, bent, (Role.CUSTOMER, "Brilliant.")])
    worse = await _empowerment(rubric, [ASK, LIMIT, kept, (Role.CUSTOMER, "Oh well.")])
    assert better.status == worse.status == "scored", (better.rationale, worse.rationale)
    assert better.value is not None and worse.value is not None and better.value > worse.value


async def test_a_customer_asking_what_they_can_do_raises_a_limit(rubric: Rubric) -> None:
    plea = (Role.CUSTOMER, "The branch closes at 5 and my train gets in at 6. What can I do?")
    done = (Role.AGENT, "I've arranged for the night desk to hold your parcel until 9 pm.")
    verdict = await _empowerment(rubric, [plea, done, (Role.CUSTOMER, "Thank you!")])
    assert verdict.status == "scored" and verdict.score == 3, verdict.rationale


async def test_no_limit_and_no_plea_is_still_na(rubric: Rubric) -> None:
    verdict = await _empowerment(
        rubric,
        [
            (Role.CUSTOMER, "What time do you open on Saturday?"),
            (Role.AGENT, "We open at 9 am on Saturdays."),
        ],
    )
    assert verdict.status == "na"
