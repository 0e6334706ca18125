"""Said no, then yes: a plain yes to what the agent said earlier is not supported.

Each case is the same behaviour in another industry: the negative statement, the customer's
yes/no question naming the same thing, the right answer (still no) and the reversal (yes).
Near-misses (another model, a yes with a "but", an unrelated question) raise nothing.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role
from grader._segments import Segment, segment_transcript
from grader.judges._consistency import restatement_conflicts
from grader.judges._reversals import reversal_errors

Turns = list[tuple[Role, str]]
C, A = Role.CUSTOMER, Role.AGENT


def _segs(texts: Turns) -> list[Segment]:
    return segment_transcript(make_transcript(texts=texts))


_BANK = [  # (the agent's no, the customer's question, still no, the reversal)
    (
        "The Hub 2 talks Zigbee and Matter. It doesn't have a Z-Wave radio.",
        "My old door sensor is the Z-Wave one. Will that pair with it?",
        "Sadly not, that one's Z-Wave, so it won't pair.",
        "Yes, that should pair fine, just press the button on the sensor.",
    ),
    (
        "We ship across Great Britain but we don't deliver to Northern Ireland.",
        "I'm in Belfast, Northern Ireland. Can you send it here?",
        "I'm sorry, we can't ship to Northern Ireland yet.",
        "Yes, we can get it to you in 3 to 5 days.",
    ),
    (
        "We take Visa and Mastercard; we don't accept Amex.",
        "I've only got an Amex card. Can I pay with that?",
        "I'm afraid not, it would need to be Visa or Mastercard.",
        "Sure, just enter it at checkout.",
    ),
    (
        "The Basic plan doesn't include 5G, it's 4G only.",
        "I've got a 5G phone, will I get 5G speeds on Basic?",
        "No, Basic stays on 4G whatever the phone.",
        "Yes, you'll get 5G wherever there's coverage.",
    ),
    (
        "That charger is USB-A only, it has no USB-C port.",
        "My laptop charges over USB-C. Does it work with that?",
        "It won't, you'd need a USB-C charger.",
        "It does, just plug it straight in.",
    ),
    (
        "Our standard cover isn't valid in the USA.",
        "We're going to Florida in the USA. Are we covered there?",
        "Not on standard, you'd need worldwide cover.",
        "Yes, you're covered for the whole trip.",
    ),
    (
        "The 9:40 service doesn't stop at Didcot.",
        "I need to get off at Didcot. Will the 9:40 drop me there?",
        "No, you'd need the 9:52 for Didcot.",
        "Yes, it'll drop you at Didcot at 10:25.",
    ),
    (
        "The studio flat isn't suitable for pets, there's a no-pets clause for Flat 3.",
        "We have a small cat. Is Flat 3 okay with her?",
        "I'm sorry, Flat 3 has the no-pets clause.",
        "Of course, Flat 3 is fine with a cat.",
    ),
    (
        "The app doesn't run on Windows, only on macOS and iPad.",
        "I'm on a Windows laptop. Can I install it?",
        "Not at the moment, it's macOS and iPad only.",
        "Absolutely, just download it from our site.",
    ),
    (
        "The printer isn't compatible with AirPrint.",
        "I print from my iPhone with AirPrint. Will it print from that?",
        "It won't with AirPrint, but our app will do it.",
        "Yep, AirPrint will find it straight away.",
    ),
]


@pytest.mark.parametrize(("no", "question", "still_no", "yes"), _BANK)
def test_a_plain_yes_to_what_was_said_unsupported_is_found(
    no: str, question: str, still_no: str, yes: str
) -> None:
    base: Turns = [(C, "Hi, a quick question."), (A, no), (C, question)]
    errors, checked = reversal_errors(_segs([*base, (A, still_no)]))
    assert errors == [] and checked == ["T3.1"]  # the answer still says no: checked, no error
    errors, _ = reversal_errors(_segs([*base, (A, yes)]))
    assert errors and errors[0][0] == "T3.1"


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("What about the Hub 3, does the Hub 3 have Z-Wave?", "Yes, the Hub 3 has it built in."),
        ("Could I use a Z-Wave bridge?", "Yes, a bridge would do it."),  # another thing
        ("Will the Z-Wave one pair?", "Yes, but only through the bridge."),  # a yes with a but
        ("Will a Zigbee sensor pair?", "Yes, any Zigbee 3.0 sensor pairs."),  # not the denied one
        ("Is delivery free?", "Yes, delivery is free."),  # nothing denied named
    ],
)
def test_near_misses_raise_nothing(question: str, answer: str) -> None:
    no = "The Hub 2 talks Zigbee and Matter. It doesn't have a Z-Wave radio."
    texts: Turns = [(C, "Hi."), (A, no), (C, question), (A, answer)]
    assert reversal_errors(_segs(texts))[0] == []


def test_no_problem_is_not_a_denial() -> None:
    texts: Turns = [
        (C, "Hi."),
        (A, "No problem, the Z-Wave module is in stock."),
        (C, "Great, will the Z-Wave module fit my hub?"),
        (A, "Yes, it slots into the side."),
    ]
    assert reversal_errors(_segs(texts))[0] == []


def test_the_restatement_reader_reports_reversals() -> None:
    no, question, _, yes = _BANK[2]
    texts: Turns = [(C, "Hi."), (A, no), (C, question), (A, yes)]
    conflicts, _ = restatement_conflicts(_segs(texts))
    assert [sid for sid, _ in conflicts] == ["T3.1"]
