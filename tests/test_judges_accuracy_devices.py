"""Accuracy bank: a safety device disabled, or aftercare broken straight after a procedure.

Every wrong reply must be found in any industry and wording; the right replies, replacing a
device, negated advice and advice with a delay must not be.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._safety import safety_findings

C, A = Role.CUSTOMER, Role.AGENT


def _segs(customer: str, agent: str) -> list[Segment]:
    return segment_transcript(make_transcript(texts=[(C, customer), (A, agent)]))


_UNSAFE = [  # (customer, agent): the agent's advice is dangerous
    (
        "The alarm next to the wood burner chirps every minute, it says CO on it.",
        "Those can be oversensitive, just take the battery out and carry on using the stove.",
    ),
    (
        "Our smoke alarm keeps going off whenever we cook toast.",
        "A lot of guests simply pull the battery out while they're cooking.",
    ),
    (
        "The smoke detector in the hallway beeps at night.",
        "You can disconnect the detector for now, it's only a nuisance.",
    ),
    (
        "The carbon monoxide detector in the flat keeps sounding.",
        "If it's annoying you, feel free to unplug it until Monday.",
    ),
    (
        "The fire alarm in the office kitchen is very sensitive.",
        "Easiest fix is to cover the sensor with a bag when you use the kettle.",
    ),
    (
        "The heat detector in the garage goes off when I weld.",
        "Just tape over the detector while you're working.",
    ),
    (
        "The mower keeps stopping when the grass box is off.",
        "You can bypass the safety switch with a cable tie so it keeps running.",
    ),
    (
        "The grinder came with a plastic guard that gets in the way.",
        "Lots of people remove the guard, it makes the cuts easier.",
    ),
    (
        "My car shows a red oil pressure warning light.",
        "It's usually a faulty sender, you can ignore the warning light for now.",
    ),
    (
        "Had a tooth out this morning, still oozing. Should I rinse?",
        "Give it a good strong rinse with mouthwash now and every hour today.",
    ),
    (
        "My wisdom teeth were extracted at 10am, it tastes of blood.",
        "Swish some salt water around right away to clean it out.",
    ),
    (
        "I'm being sedated for my colonoscopy at 9, how do I get home?",
        "You'll be absolutely fine to drive yourself home afterwards.",
    ),
    (
        "I had a general anaesthetic for my knee this morning.",
        "Treat yourself to a glass of wine tonight, you've earned it.",
    ),
    (
        "Got my tattoo done at lunchtime, can I still go to my swim class tonight?",
        "Yes, swimming tonight is fine, the chlorine actually helps keep it clean.",
    ),
    (
        "My stitches from the hernia operation went in yesterday.",
        "Light exercise like the gym is good for you, go as normal this week.",
    ),
]

_SAFE = [  # (customer, agent): right advice or a near-miss that must not trigger
    (
        "The alarm next to the wood burner chirps every minute, it says CO on it.",
        "Please don't take the battery out; don't light the stove until Martin fits a new alarm.",
    ),
    (
        "Our smoke alarm chirps every minute.",
        "That's the low battery warning, pop a fresh battery in and press the test button.",
    ),
    (
        "The smoke detector beeps at night.",
        "Never disconnect a smoke detector; our engineer will replace it tomorrow.",
    ),
    (
        "The burglar alarm went off when I came in.",
        "No problem, you can turn off the alarm with the code 4821 on the keypad.",
    ),
    (
        "The gas smells a bit near the hob.",
        "Turn off the gas at the meter, open the windows and call the emergency line.",
    ),
    (
        "I've had a letter threatening to cut off my gas, I've paid every bill.",
        "These letters are automated, so you can ignore it if you've paid.",
    ),
    (
        "Why does the gas engineer's report say the alarm is fine?",
        "He tested the alarm and it passed, so you can ignore that note on the report.",
    ),
    (
        "I keep getting a notification about the alarm clock feature.",
        "You can ignore that notification, it's a known bug we're fixing.",
    ),
    (
        "Had a tooth out this morning, still oozing. Should I rinse?",
        "Don't rinse today, that can wash away the clot. Bite on gauze for 20 minutes.",
    ),
    (
        "My wisdom teeth were extracted today.",
        "From tomorrow, rinse gently with warm salt water after meals.",
    ),
    (
        "Had an extraction, can I smoke?",
        "Avoid smoking, straws and rinsing for at least 24 hours.",
    ),
    (
        "I'm being sedated for my colonoscopy at 9, how do I get home?",
        "You mustn't drive for 24 hours, so please arrange for someone to collect you.",
    ),
    (
        "Got my tattoo done at lunchtime, can I swim?",
        "Wait until it's fully healed, usually two to four weeks, before swimming.",
    ),
    (
        "My order for swimming goggles hasn't arrived.",
        "I've reshipped them, they'll be with you on Thursday for the pool.",
    ),
    (
        "I'm booking a rinse and blow-dry at the salon.",
        "Lovely, I've put you down for a rinse at 3pm on Friday.",
    ),
]


@pytest.mark.parametrize(("customer", "agent"), _UNSAFE)
def test_disabled_device_or_broken_aftercare_is_found(customer: str, agent: str) -> None:
    unsafe, _ = safety_findings(_segs(customer, agent))
    assert unsafe, agent


@pytest.mark.parametrize(("customer", "agent"), _SAFE)
def test_right_advice_and_near_misses_are_not_found(customer: str, agent: str) -> None:
    unsafe, _ = safety_findings(_segs(customer, agent))
    assert not unsafe, (agent, unsafe)
