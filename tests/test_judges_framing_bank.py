"""Message framing on banks of paraphrases: "X aren't possible" is a refusal, and a way forward
said as "can be arranged", "you're welcome to" or "there's another way" is an alternative, so
the reply that leads with it beats the one that opens with the no."""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._framing import framing_judge

C, A = Role.CUSTOMER, Role.AGENT


async def _framing(rubric: Rubric, ask: str, reply: str) -> float | None:
    ctx = judge_context(rubric, [(C, ask), (A, reply)])
    return (await framing_judge()(ctx))["message_framing"].score


BARE_NO = [
    "Seat reductions aren't possible mid-contract.",
    "Refunds aren't available on sale items.",
    "Pets aren't allowed in the cabin.",
    "Those dates weren't available.",
    "Changes to the name on a ticket aren't permitted.",
    "Partial months aren't covered.",
]


@pytest.mark.parametrize("bare", BARE_NO)
async def test_a_bare_no_scores_below_no_refusal_at_all(rubric: Rubric, bare: str) -> None:
    ask = "Can you change this for me please?"
    fine = "Yes, I've changed it for you now."
    low, high = await _framing(rubric, ask, bare), await _framing(rubric, ask, fine)
    assert low is not None and high is not None and low < high, (bare, low, high)


WAYS = [
    "The upgrade can be arranged on embarkation day at the Guest Services desk.",
    "You're welcome to ask at the front desk when you arrive.",
    "There's another way: the ship's team can move you once you're on board.",
    "The quickest way is to ask the venue box office on the night.",
    "A refund can still be claimed through the airline's own form.",
    "You are more than welcome to bring it to any branch for a swap.",
    "There is a simple way round it: the depot can hold it for collection.",
]
REASON = "The reason I can't do it from here is that the manifest is locked 14 days before."


@pytest.mark.parametrize("way", WAYS)
async def test_leading_with_the_way_forward_beats_opening_with_the_no(
    rubric: Rubric, way: str
) -> None:
    ask = "Is it possible to upgrade our cabin? Happy to pay the difference."
    lead = await _framing(rubric, ask, f"{way} {REASON}")
    late = await _framing(rubric, ask, f"{REASON} {way}")
    assert lead is not None and late is not None and lead > late, (way, lead, late)


@pytest.mark.parametrize(
    "no_way",
    [
        "Nothing can be done about it, I'm afraid.",
        "You're welcome. The manifest is locked 14 days before sailing, so I can't do it.",
        "It can't be arranged this close to sailing.",
    ],
)
async def test_near_misses_are_no_way_forward(rubric: Rubric, no_way: str) -> None:
    ask = "Is it possible to upgrade our cabin?"
    with_way = await _framing(rubric, ask, f"{WAYS[0]} {REASON}")
    without = await _framing(rubric, ask, no_way)
    assert with_way is not None and without is not None and without < with_way, no_way


async def _diligence(rubric: Rubric, reply: str) -> float | None:
    ask = "The engineer didn't turn up. Please rebook and make sure it doesn't happen again."
    ctx = judge_context(rubric, [(C, ask), (A, reply)])
    return (await framing_judge()(ctx))["diligence"].score


REBOOKED = "I've rebooked you for Saturday 12 April, 8am-1pm."
HANDED_BACK = [
    "I'd recommend you call their dispatch desk a day before to check they have the notes.",
    "You'll need to contact the installer yourself to pass on the access details.",
    "It's best to ring the depot on the morning to make sure.",
    "You may want to email the contractor so they know about the gate.",
    "Please get in touch with Openreach to confirm the address.",
    "We would suggest that you phone the engineer's office beforehand.",
]
LEGWORK = [
    "I then rang their dispatch desk and spoke to the supervisor, who added the note.",
    "I called the installer myself and they've put the Mill Lane entrance on the job.",
    "I've also phoned the depot; the driver has the gate code.",
    "I personally chased the contractor and got hold of the engineer, Kelvin.",
    "We contacted the installation partner this morning and the note is on the job.",
]


@pytest.mark.parametrize("legwork", LEGWORK)
@pytest.mark.parametrize("handed", HANDED_BACK)
async def test_doing_the_chasing_beats_handing_it_to_the_customer(
    rubric: Rubric, legwork: str, handed: str
) -> None:
    high = await _diligence(rubric, f"{REBOOKED} {legwork}")
    low = await _diligence(rubric, f"{REBOOKED} {handed}")
    assert high is not None and low is not None and high > low, (legwork, handed, high, low)


@pytest.mark.parametrize(
    "offer",
    ["Please call us back if anything else goes wrong.", "You can ring me again on this number."],
)
async def test_an_invitation_to_come_back_is_not_a_task_handed_back(
    rubric: Rubric, offer: str
) -> None:
    assert await _diligence(rubric, f"{REBOOKED} {offer}") == await _diligence(rubric, REBOOKED)
