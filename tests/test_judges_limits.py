"""Empowerment when the better agent bends a limit without naming a rule."""

from __future__ import annotations

import pytest
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


#: (customer, a limit the agent states first or "", the better reply, the worse reply):
#: the better agent finds a way round the limit, often without naming a rule.
BANK = [
    (
        "The guarantee ran out last week, so now I have to pay £140 for the same motor again?",
        "",
        "As it's the same motor we replaced in March, we'll treat it as part of that repair. "
        "No charge.",
        "As the guarantee ended on the 4th, the repair would be chargeable at £140.",
    ),
    (
        "I need to pay £15,000 today but the app says my daily limit is £10,000. Help!",
        "",
        "After a quick security check I've lifted your limit to £20,000 for today.",
        "Sorry, the daily limit is £10,000 and I can't change it. Send the rest tomorrow.",
    ),
    (
        "The app says my return window closed, but the parcel sat at the depot for ten days.",
        "",
        "That window is meant to give you two weeks with the item, so I've reopened the return "
        "until the 28th.",
        "I'm sorry, the window is 14 days from the delivery scan and it has closed, so I can't "
        "open a return.",
    ),
    (
        "I can only manage £25 a month towards the arrears. Is that acceptable?",
        "Our standard plans start at £40 a month.",
        "That isn't designed for your situation, so I've set up a plan at £25 a month as you asked.",
        "Unfortunately we are not able to accept £25 a month. I can set up a £40 plan if you reply.",
    ),
    (
        "Your letter says I missed my scan, but the hospital bus never came!",
        "The system marks it as did not attend automatically when you aren't checked in.",
        "That rule is for people who don't turn up, not when our own transport fails, so I've "
        "changed it to cancelled by hospital.",
        "I'm sorry, I'm not able to change the outcome once it's recorded. I've booked the next "
        "slot on Monday.",
    ),
    (
        "You want me to collect from the depot but I don't drive and it's my medication.",
        "After two failed attempts the system sends parcels back to the depot.",
        "That won't work for you, so I've redirected it to the corner shop five minutes from you "
        "for tomorrow.",
        "So it needs collecting from the depot, open 8 till 6. Bring your ID.",
    ),
    (
        "Can I get a repeat of my dog's heart tablets? Her check-up is overdue, she has three days "
        "left.",
        "We can only do repeats if she's been seen in the last six months.",
        "So she isn't without them, I've asked the vet and she's okayed a two-week supply for "
        "collection today.",
        "The earliest check-up I have is next Friday, and the vet can prescribe after that.",
    ),
]


@pytest.mark.parametrize(("customer", "limit", "better", "worse"), BANK)
async def test_a_way_round_the_limit_beats_applying_it(
    rubric: Rubric, customer: str, limit: str, better: str, worse: str
) -> None:
    def turns(reply: str) -> list[tuple[Role, str]]:
        shared = [(Role.AGENT, limit)] if limit else []
        return [(Role.CUSTOMER, customer), *shared, (Role.AGENT, reply)]

    won, kept = await _empowerment(rubric, turns(better)), await _empowerment(rubric, turns(worse))
    assert won.value is not None and kept.value is not None, (won.rationale, kept.rationale)
    assert won.value > kept.value
