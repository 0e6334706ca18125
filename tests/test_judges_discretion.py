"""Empowerment on a bank of paraphrases: the agent who grants what a rule would have stopped
beats the one who lets the rule stand, across industries and registers, and a fix beside the
point (an updated email address) is no exception when the rule is upheld."""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._discretion import discretion
from grader.judges._framing import framing_judge

C, A = Role.CUSTOMER, Role.AGENT

#: (customer asking round a rule, agent who uses discretion, agent who applies the rule)
BANK = [
    (
        "My gym membership lapsed while I was posted overseas. Can I keep my founding-member rate?",
        "Thanks for your service. Since you were posted abroad, I've reinstated the founding rate "
        "at £25 a month.",
        "The founding rate is only valid for continuous memberships, so it would be the standard "
        "£39 a month.",
    ),
    (
        "I have to move my flight because of my grandmother's funeral. Is the £80 change fee "
        "really necessary?",
        "I'm so sorry for your loss. I've waived the change fee, so the new flight costs nothing "
        "extra.",
        "I'm so sorry for your loss. The change fee applies to all fare types, so it would be £80.",
    ),
    (
        "I racked up overdue fines on four library books while I was in hospital. Anything you "
        "can do?",
        "Given you were in hospital, I've wiped the fines from your card.",
        "The fines still stand, though you can pay them in instalments at the desk.",
    ),
    (
        "You've charged me a late payment fee but it was my bank's system that failed that day.",
        "As the payment failed on the bank's side, I've cancelled the late fee.",
        "Late fees are the account holder's responsibility, so I can't remove it.",
    ),
    (
        "My software subscription renewed yesterday and I meant to cancel. I know the refund window "
        "is 24 hours.",
        "You only missed it by three hours, so yes, I'll refund the renewal in full.",
        "Unfortunately refunds are only available within 24 hours of renewal, so I can't refund it.",
    ),
    (
        "The airline cancelled our flight, so we can't make the hotel tonight. Do we still pay "
        "the first night?",
        "It wouldn't be fair to charge you for a cancelled flight. I've cancelled the booking and "
        "you won't be charged.",
        "The cancellation fee applies to every booking at this rate, so the first night will "
        "still be charged in full.",
    ),
    (
        "Is there any way to upgrade my phone now? I'm three months short of the 24.",
        "We can be flexible here. I've let you upgrade today without the early upgrade fee.",
        "Sorry, upgrades are only available after 21 months, so I can't start one now.",
    ),
    (
        "We're moving away suddenly for my partner's job. I know the nursery wants a term's "
        "notice.",
        "That's exactly the kind of thing we can be flexible about. I've ended the place from "
        "Friday and there's nothing to pay for the summer term.",
        "We do need a term's notice, so the summer term will be charged as usual.",
    ),
    (
        "I brought the hire car back two hours late because of a crash on the M6. Surely that "
        "doesn't count?",
        "Since you were stuck behind a crash, I went ahead and dropped the late-return charge.",
        "I'm afraid the late-return charge still applies, whatever the reason for the delay.",
    ),
    (
        "The pizza came an hour late and cold. Your guarantee is 45 minutes, right?",
        "You're right, so yes, I'll refund the whole order to your card.",
        "The guarantee is only valid for orders placed before 7pm, so I can't refund this one.",
    ),
    (
        "My dog's insurance lapsed by two days because the direct debit bounced when my bank "
        "changed its sort code.",
        "That's only fair to put right. I've backdated the renewal so there's no gap in his cover.",
        "The policy is the owner's responsibility to keep up, so the cover ended on the 2nd.",
    ),
    (
        "Can I still get the early-bird price for the conference? I was off sick the week it "
        "closed.",
        "Given that you were off sick, I've applied the early-bird rate to your ticket.",
        "The early-bird rate is only available before 1 May, so your ticket would be the full "
        "price of £450.",
    ),
    (
        "I've been a tenant here nine years and the rent reminder went to my old email. Can the "
        "£30 late charge go?",
        "Considering how long you've been with us, I'll drop the £30 charge and update your email.",
        "I've updated your email. The late charge stands, as the rules are the same for all "
        "tenants.",
    ),
    (
        "My son broke his wrist so he missed the last three swimming lessons. Can we carry them "
        "over?",
        "Of course. Since he couldn't swim with a cast, I'll move the three lessons to next term.",
        "Sorry, the lessons run from the start of term, so missed ones can't be carried over.",
    ),
    (
        "My streaming plan renewed the week my husband died and I never watched a thing. Refund?",
        "I'm so sorry. The 7-day window is there for people who've had use of the plan, and you "
        "haven't, so I've gone ahead and refunded the renewal.",
        "I'm so sorry. It's past the 7-day window, so I'm unable to refund it. I've turned off "
        "auto-renew so you won't be charged next year.",
    ),
]


async def _empowerment(rubric: Rubric, ask: str, reply: str) -> float | None:
    ctx = judge_context(rubric, [(C, ask), (A, reply), (C, "Okay.")])
    return (await framing_judge()(ctx))["empowerment"].score


@pytest.mark.parametrize(("ask", "bent", "kept"), BANK)
async def test_discretion_beats_the_rule_applied(
    rubric: Rubric, ask: str, bent: str, kept: str
) -> None:
    better, worse = await _empowerment(rubric, ask, bent), await _empowerment(rubric, ask, kept)
    assert better is not None and worse is not None and better > worse, (better, worse)


@pytest.mark.parametrize(("ask", "bent", "kept"), BANK)
def test_each_reply_is_read_as_granted_or_upheld(
    rubric: Rubric, ask: str, bent: str, kept: str
) -> None:
    used = discretion(judge_context(rubric, [(C, ask), (A, bent)]), 0)
    held = discretion(judge_context(rubric, [(C, ask), (A, kept)]), 0)
    assert used.granted and not used.upheld, bent
    assert held.upheld and not held.granted, kept


#: The customer pushes back; the agent repeats the rule with regret and gives nothing.
PUSHED = [
    ("Even though the courier lost it for a week?", "Yes, I'm afraid the window is 30 days."),
    ("But I was in hospital the whole time!", "I'm sorry, the dates run from the booking."),
    ("Surely you can make an exception?", "Unfortunately the terms apply to every member."),
]


@pytest.mark.parametrize(("push", "again"), PUSHED)
def test_a_rule_restated_after_push_back_is_upheld(rubric: Rubric, push: str, again: str) -> None:
    texts = [(C, "Can I still return it?"), (A, "The return window has closed."), (C, push)]
    ctx = judge_context(rubric, [*texts, (A, again)])
    assert discretion(ctx, 0).upheld, again


#: Near misses: no discretion used, whatever verbs they share with it.
NOT_GRANTED = [
    "I can't cancel the ticket, I'm afraid.",
    "We're unable to waive the fee on this fare.",
    "If the manager agrees, we could refund it, but I can't promise that.",
    "I've updated the email address on your account.",
    "I've checked your booking and the fee was charged on the 3rd.",
    "I'd love to refund it, but it's not something I'm able to do.",
    "I won't be able to extend the trial.",
    "I've switched off auto-renew so you won't be charged again next year.",
    "I completely understand how frustrating that is.",
    "I'll drop you an email with the details.",
]


@pytest.mark.parametrize("reply", NOT_GRANTED)
def test_near_misses_are_not_discretion(rubric: Rubric, reply: str) -> None:
    ctx = judge_context(rubric, [(C, "Is there any way round the fee?"), (A, reply)])
    assert not discretion(ctx, 0).granted, reply


#: Correct, helpful replies that must not read as a rule let stand.
NOT_UPHELD = [
    "The fee doesn't apply to members, so there's nothing to pay.",
    "Yes, I've refunded it, the money will be back in 3 days.",
    "Our parking is free for hotel guests.",
    "You'll be charged £12 when it ships, as agreed.",
]


@pytest.mark.parametrize("reply", NOT_UPHELD)
def test_helpful_replies_are_not_upheld(rubric: Rubric, reply: str) -> None:
    ctx = judge_context(rubric, [(C, "Can you help with the fee?"), (A, reply)])
    assert not discretion(ctx, 0).upheld, reply


async def test_a_side_fix_is_no_exception_when_the_rule_stands(rubric: Rubric) -> None:
    ask = "My membership ran out on Sunday because your reminder never came. Can I still renew cheaper?"
    kept = (
        "Unfortunately the discount is only available before the expiry date, so the renewal "
        "would be the standard £70. I've fixed the email address for next year."
    )
    bent = "Given that, I've applied the discount to your renewal and fixed the email address."
    worse, better = await _empowerment(rubric, ask, kept), await _empowerment(rubric, ask, bent)
    assert worse is not None and worse <= 1.5 and better == 3.0, (worse, better)


#: Discretion in other words: a state, a result, a waived sum, a rule let slide.
GRANTED_MORE = [
    "I've had a word with my manager and we're happy to refund you in full.",
    "I've got the cancellation fee waived for you.",
    "As you've been with us eight years, I've knocked the £20 fee off.",
    "I'll let it slide this time, the ticket is cancelled.",
    "It wouldn't be fair to charge you for a storm, so I've moved your booking free.",
    "We're glad to honour the old price for you.",
    "I went ahead and comped the restocking fee since the box was never opened.",
    "I've credited the overage charge back as a one-time courtesy.",
]
#: The rule held in other words: hands tied, the terms followed, fairness to others.
UPHELD_MORE = [
    "My hands are tied on this one, the fee has to be paid.",
    "It's out of my hands, I'm afraid.",
    "I can't go against the terms of the booking.",
    "We have to stick to the policy for all bookings.",
    "It wouldn't be fair on other customers to make an exception.",
    "I'm unable to refund a fare once it's been used.",
    "Per our policy, the restocking fee is non-negotiable.",
    "I've reviewed it again and the decision is final.",
    "I completely understand, but the £750 fee does apply, as set out in the contract.",
]


@pytest.mark.parametrize("reply", GRANTED_MORE)
def test_discretion_in_other_words_is_granted(rubric: Rubric, reply: str) -> None:
    ctx = judge_context(rubric, [(C, "Is there any way round the fee?"), (A, reply)])
    used = discretion(ctx, 0)
    assert used.granted and not used.upheld, reply


@pytest.mark.parametrize("reply", UPHELD_MORE)
def test_the_rule_held_in_other_words_is_upheld(rubric: Rubric, reply: str) -> None:
    ctx = judge_context(rubric, [(C, "Is there any way round the fee?"), (A, reply)])
    used = discretion(ctx, 0)
    assert used.upheld and not used.granted, reply
