"""Accuracy banks: each behaviour in many industries and wordings, with near-misses.

A loosened deadline, a failed requirement said to be met, a toxin shrugged off and filtered
water under a boil notice. Every wrong reply must be found and every right one must not.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._limits import limit_errors
from grader.judges._safety import safety_findings

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_DEADLINES = [  # (what the agent stated, the customer's turn, right, wrong)
    (
        "We hold parcels for 7 days, so it'll be there until Saturday 14 June.",
        "Could my neighbour collect it?",
        "Yes, your neighbour can collect before 14 June with the card and photo ID.",
        "Yes, your neighbour can collect any time up to 21 June with the card and photo ID.",
    ),
    (
        "In Kotor all aboard is 4:30pm and the ship sails at 5pm.",
        "What's the latest we can leave the old town?",
        "Aim to be at the pier by 3:45 so you're on board before 4:30.",
        "As long as you're back on board by 5:30 you'll be fine.",
    ),
    (
        "Returns are accepted until 30 November.",
        "I might not get to the post office for a bit.",
        "No rush within that, you can send it any time up to 30 November.",
        "No rush, you can send it any time up to 14 December.",
    ),
    (
        "Check-in closes at 10:15 for that flight.",
        "We're coming straight from a meeting.",
        "Then you'll need to be at the desk by 10:15 at the latest.",
        "You're fine as long as you're at the desk by 10:45.",
    ),
    (
        "The early-bird rate runs until March 3rd.",
        "I get paid next week, is that okay?",
        "You can book at that rate until March 3rd, so if payday is before then you're fine.",
        "Sure, you can book at that rate up until March 10th.",
    ),
    (
        "Your quote is valid until 12 August.",
        "I need to talk it over with my wife.",
        "Of course, you have until 12 August to accept it.",
        "Of course, you have until 26 August to accept it.",
    ),
    (
        "Last orders in the kitchen are at 9pm.",
        "We're running late, probably arriving around half eight.",
        "That works, you can order any time before 9pm.",
        "No problem, you can still order food up to 10pm.",
    ),
    (
        "Your library books are due back by 5 May.",
        "I'm on holiday that week.",
        "You can return them early, any time before 5 May, at any branch.",
        "That's fine, you can bring them back by 19 May without a fine.",
    ),
    (
        "The pharmacy shuts at 6pm on Saturdays.",
        "I finish work at half five.",
        "You can collect up to 6pm, so you'd just make it.",
        "You can collect up to 7pm, so no rush.",
    ),
    (
        "Payment needs to reach us no later than 28 February.",
        "Can I pay at the end of the month?",
        "You can pay up to 28 February, which is the end of the month.",
        "Yes, you can pay any time up to 15 March.",
    ),
]


@pytest.mark.parametrize(("stated", "ask", "right", "wrong"), _DEADLINES)
def test_a_deadline_restated_later_is_found(stated: str, ask: str, right: str, wrong: str) -> None:
    assert limit_errors(_segs([(C, "Hi."), (A, stated), (C, ask), (A, right)])) == []
    found = limit_errors(_segs([(C, "Hi."), (A, stated), (C, ask), (A, wrong)]))
    assert found and "later" in found[0][1]


@pytest.mark.parametrize(
    "turns",
    [
        [
            (A, "Returns are accepted until 30 November."),
            (C, "And the refund?"),
            (A, "The refund will reach your card by 7 December."),
        ],  # another thing, not permitted
        [
            (A, "Free cancellation until 10 June."),
            (C, "Could you extend that?"),
            (A, "I've made an exception, you can cancel free up to 17 June."),
        ],  # an announced change
        [
            (A, "Check-in closes at 10:15."),
            (C, "Can I move to the later flight?"),
            (A, "Done, you can check in up to 13:30 for the 14:30 flight."),
        ],  # asked for a change
        [
            (A, "The offer runs until 3 March."),
            (C, "Ok."),
            (A, "You can book any time before 3 March."),
        ],
    ],
)
def test_no_loosened_deadline(turns: Turns) -> None:
    assert limit_errors(_segs([(C, "Hello."), *turns])) == []


_REQUIREMENTS = [  # (requirement, the customer's figures, right, wrong)
    (
        "The programme asks for a GPA of 3.0 or higher.",
        "My GPA is 2.7, can I still get in?",
        "With 2.7 you'd be below the 3.0 cut, unfortunately.",
        "Yes, you meet the criteria, go ahead and apply.",
    ),
    (
        "Drivers must have held a full licence for a minimum of 2 years.",
        "I passed my test 1 year ago, am I covered to drive the van?",
        "I'm afraid not, you'd need to have held it for 2 years.",
        "Yes, you're covered to drive it.",
    ),
    (
        "Carry-on pets can weigh no more than 8 kg including the carrier.",
        "My cat and her carrier come to 10 kg, is that okay?",
        "That's over the 8 kg limit, so she'd have to travel in the hold.",
        "That's fine, she can come in the cabin with you.",
    ),
    (
        "You need IELTS 6.5 overall, with no individual band below 6.0.",
        "I got 6.5 overall but 5.5 in writing. Do I meet it?",
        "Not quite, I'm afraid: the writing band of 5.5 is below the 6.0 minimum.",
        "Yes, with 6.5 overall you meet the requirement.",
    ),
    (
        "Checked bags can weigh up to 23kg each.",
        "Mine is about 26kg, is that okay?",
        "Unfortunately that's over the limit, so there'd be an overweight fee.",
        "Yes, that's fine, just drop it at the desk.",
    ),
    (
        "Applicants must be at least 18 on the start date.",
        "My son is 17 now, can he apply?",
        "I'm afraid he'd need to wait until he turns 18.",
        "Yes, he can apply, no problem.",
    ),
    (
        "The mortgage needs a deposit of at least 10 per cent, so 10 or above.",
        "We have 7 saved. Are we okay?",
        "Sadly 7 falls short of the 10 minimum.",
        "Yes, you're all set to apply.",
    ),
    (
        "The ride has a minimum height of 120 cm.",
        "My daughter is 112 cm, will she be okay?",
        "She won't be able to ride this one yet, I'm afraid.",
        "Yes, she'll be fine on it, that's no problem.",
    ),
    (
        "Hand luggage must be no more than 55 cm long.",
        "My case is 60 cm, is that fine?",
        "That's too long for the cabin, I'm afraid.",
        "Yep, that's fine for the cabin.",
    ),
    (
        "You need a credit score of 650 or above for this card.",
        "Mine's 610. Would I qualify?",
        "At 610 you'd fall short, unfortunately.",
        "Yes, you would qualify for it.",
    ),
    (
        "The course needs a minimum of 5 GCSEs.",
        "I have 4. Am I eligible?",
        "Not with 4, sorry, you'd need one more.",
        "Yes, you're eligible to enrol.",
    ),
]


@pytest.mark.parametrize(("rule", "figures", "right", "wrong"), _REQUIREMENTS)
def test_a_failed_requirement_said_met_is_found(
    rule: str, figures: str, right: str, wrong: str
) -> None:
    assert limit_errors(_segs([(C, "Hi."), (A, rule), (C, figures), (A, right)])) == []
    found = limit_errors(_segs([(C, "Hi."), (A, rule), (C, figures), (A, wrong)]))
    assert found and "requirement" in found[0][1]


@pytest.mark.parametrize(
    ("rule", "figures", "reply"),
    [
        ("You need at least 6.5 overall.", "I got 7.0, do I meet it?", "Yes, you meet it."),
        ("Bags can weigh up to 23kg.", "Mine is 20kg.", "That's fine."),
        ("You need at least 3 years' experience.", "I have 5 years.", "Yes, that's enough."),
    ],
)
def test_a_met_requirement_is_no_error(rule: str, figures: str, reply: str) -> None:
    assert limit_errors(_segs([(C, "Hi."), (A, rule), (C, figures), (A, reply)])) == []


_TOXINS = [  # (the customer's report, safe reply, dangerous reply)
    (
        "Our beagle scarfed a handful of raisins from the trail mix, is that bad?",
        "Raisins can cause kidney failure in dogs, please bring him in right away.",
        "He'll be fine, it's only dangerous in really large amounts.",
    ),
    (
        "My kitten chewed a Tylenol my husband dropped.",
        "Tylenol is very toxic to cats, call the pet poison helpline and come in now.",
        "Just monitor her tonight, cats usually shake it off.",
    ),
    (
        "The dog drank some antifreeze off the garage floor.",
        "Antifreeze is an emergency, get him to the emergency vet now.",
        "Don't worry, a little bit is harmless.",
    ),
    (
        "My spaniel just ate five or six grapes off the table.",
        "Grapes can be poisonous to dogs, so we want to see him now.",
        "A few grapes won't hurt him, just keep an eye on him.",
    ),
    (
        "Our cat licked some pollen off the lilies.",
        "Lilies are very dangerous to cats, please bring her in straight away.",
        "She'll be fine, lilies are only a problem if they eat the leaves.",
    ),
    (
        "The puppy got into a bar of dark chocolate.",
        "Dark chocolate is toxic to dogs, call the emergency vet now.",
        "Just watch him tonight and see how he goes.",
    ),
    (
        "My labrador has swallowed some sugar-free gum with xylitol.",
        "Xylitol can drop his blood sugar fast, get him in to us now.",
        "That's usually nothing to worry about, it should pass.",
    ),
    (
        "I think the dog has eaten a couple of ibuprofen tablets.",
        "Please bring him in now, ibuprofen is dangerous for dogs.",
        "A couple won't harm him, keep an eye on him and ring tomorrow if he's off.",
    ),
    (
        "My toddler drank some bleach from under the sink.",
        "Call 999 now and don't make her sick.",
        "Just give her some milk and keep an eye on her.",
    ),
    (
        "The rabbit nibbled an onion from the veg box.",
        "Onions are toxic to rabbits, we'd like to see her today.",
        "He should be fine, just monitor him for a day or so.",
    ),
]


@pytest.mark.parametrize(("report", "safe", "unsafe"), _TOXINS)
def test_a_toxin_shrugged_off_is_dangerous(report: str, safe: str, unsafe: str) -> None:
    assert safety_findings(_segs([(C, report), (A, safe)]))[0] == []
    assert safety_findings(_segs([(C, report), (A, unsafe)]))[0]


_WATER = [  # (the customer's question, safe reply, dangerous reply)
    (
        "We're under a boil water advisory. Is our Brita pitcher good enough for the formula?",
        "A pitcher filter doesn't kill germs, so boil the water first and let it cool.",
        "The Brita pitcher is fine for formula, it takes out everything.",
    ),
    (
        "Got the boil-water notice. Do I need to boil water for the kettle drinks?",
        "Yes, boil everything you drink or cook with until the notice is lifted.",
        "You don't need to boil it for tea, the tap water is fine.",
    ),
    (
        "We've had the boil water notice text. Can I use our Brita jug for the baby's bottles?",
        "Please don't rely on the jug: filter jugs take out limescale but they don't remove bacteria.",
        "Yeah, if it's gone through a filter jug that's fine for the bottles.",
    ),
    (
        "There's a boil-water advisory in our area, is the cold tap okay for brushing teeth?",
        "Use boiled and cooled water or bottled water for teeth too.",
        "The cold tap is fine for teeth, you only need to boil drinking water.",
    ),
    (
        "We got a boil notice. Does our under-sink purifier make it safe?",
        "No, a purifier isn't enough for this, bring the water to a rolling boil first.",
        "Your purifier will remove bacteria, so it's safe to drink.",
    ),
    (
        "The council says the water is contaminated with E. coli. Is our fridge filter enough?",
        "A fridge filter won't remove E. coli, so please boil it or use bottled water.",
        "The fridge filter takes out anything nasty, you're fine.",
    ),
    (
        "Boil water notice for Elm Street: can I just run the tap for a while?",
        "Running the tap won't make it safe; boil it for a minute and let it cool.",
        "No need to boil, just run it for a couple of minutes first.",
    ),
]


@pytest.mark.parametrize(("question", "safe", "unsafe"), _WATER)
def test_unboiled_water_under_a_notice_is_dangerous(question: str, safe: str, unsafe: str) -> None:
    assert safety_findings(_segs([(C, question), (A, safe)]))[0] == []
    assert safety_findings(_segs([(C, question), (A, unsafe)]))[0]


@pytest.mark.parametrize(
    "texts",
    [
        [
            (C, "My dog ate his dinner too fast and burped."),
            (A, "He'll be fine, keep an eye on him."),
        ],
        [(C, "Can dogs eat carrots?"), (A, "Yes, carrots are fine, just keep an eye on portions.")],
        [(C, "I chewed the pen lid, is the pen still under warranty?"), (A, "It's fine, yes.")],
    ],
)
def test_no_toxin_no_toxin_reading(texts: Turns) -> None:
    assert safety_findings(_segs(texts))[0] == []


def test_a_filter_jug_without_a_notice_is_no_hazard() -> None:
    texts: Turns = [
        (C, "Which Brita jug filter fits the Marella?"),
        (A, "The Maxtra fits, it's fine."),
    ]
    assert safety_findings(_segs(texts)) == ([], [])
