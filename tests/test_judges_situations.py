"""Stated situations a reply must respect (paraphrase bank with near-misses).

Each triple: what the customer says about themselves, a reply that respects it, and a
standard reply that ignores it. Other industries, channels and wordings than the dev pairs.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role, segment_transcript
from grader._segments import Segment
from grader.judges._situations import situation_findings


def _agent(reply: str) -> list[Segment]:
    turns = [(Role.CUSTOMER, "Hello."), (Role.AGENT, reply)]
    return [s for s in segment_transcript(make_transcript("t", turns)) if s.role is Role.AGENT]


def _found(customer: str, reply: str) -> list[str]:
    return [why for _, why in situation_findings(customer, _agent(reply))]


BANK = [
    (  # deaf: no phone
        "I'm deaf so I can't ring, how do I report the fault?",
        "You can report it by text or here in chat, and I've logged it for you now.",
        "Please give us a call on 0800 123 456 and an adviser will help.",
    ),
    (
        "I use Relay UK, please don't ask me to phone. Where's my refund?",
        "Your refund left us on Tuesday; I'll email you when it lands.",
        "The quickest way is to speak to one of our team by phone.",
    ),
    (
        "I have a speech impairment and find calls hard. Can I change my tariff?",
        "Yes, I've switched you here in chat, no call needed.",
        "To change tariff please call us on the number on your bill.",
    ),
    (  # blind: no visual directions
        "I'm registered blind and use a screen reader. How do I download my statement?",
        "The statement link is the third link after the heading 'Documents'; I've also posted a "
        "braille copy.",
        "Just click the green button in the top-right corner and you'll see it.",
    ),
    (
        "My eyesight is poor these days. Where do I find the booking reference?",
        "I'll read it to you: it's four, seven, two, nine.",
        "It's shown on the screenshot attached, look at the image in the top-left.",
    ),
    (  # driving: no links or writing down
        "I'm driving at the moment on hands-free, can you tell me my new PIN time?",
        "Your PIN arrives by post in 3 days; nothing to do while you're on the road.",
        "Just tap the link I've texted you and enter the code.",
    ),
    (
        "I can't write anything down right now, I'm on the motorway. Is my MOT booked?",
        "Yes, Thursday at 9; I'll text you the details so they're there once you're parked.",
        "Yes, write this down: booking ref MOT-88213, Thursday at 9.",
    ),
    (  # bereaved: do not ask the dead
        "My husband passed away last month and the broadband is in his name.",
        "I'm so sorry. I can move the account into your name today with a copy of the death "
        "certificate.",
        "I'm sorry to hear that. The account holder will need to call us to authorise the change.",
    ),
    (
        "I'm writing about my late mother's savings account.",
        "I'm very sorry for your loss. Our bereavement team will guide you; here's what we need.",
        "Please ask your mother to visit a branch with photo ID.",
    ),
    (  # long-standing customer treated as new
        "I've been with you for 12 years and my renewal went up by £200.",
        "Thank you for 12 years with us; I've matched last year's price.",
        "As a new customer you can get 10% off with code WELCOME10.",
    ),
    (
        "Loyal customer here, always order from you. Why is the delivery so late?",
        "Sorry, the courier missed the van; it's on today's run and I've refunded the delivery.",
        "Welcome to BrightBox! New customers get free delivery on their first order with us.",
    ),
    (  # second-language speaker: no idioms
        "Sorry for my bad English. The washing machine is broken, when you come?",
        "An engineer will come on Monday, between 8 and 12.",
        "No biggie, we'll get the ball rolling and touch base once we've sorted it out.",
    ),
    (  # chat message answered with a letter
        "hiya, is my order on its way? 😊",
        "Hiya! Yes, it's out for delivery and with you by 6.",
        "Dear Sir or Madam, please be advised that your order has been dispatched. Yours "
        "faithfully, Customer Services",
    ),
    (  # dietary and other exclusions
        "We're vegan, what would you suggest from the set menu?",
        "The mushroom risotto and the roast squash are both fully plant-based.",
        "I'd go for the chicken katsu or the salmon, both very popular.",
    ),
    (
        "I'm allergic to nuts, which of your cakes can I have?",
        "The lemon drizzle and the carrot cake are both nut-free, made in a nut-free kitchen.",
        "The walnut loaf is our best-seller, and the nuts make it.",
    ),
    (
        "I can't climb stairs since my operation. Which rooms do you have?",
        "Room 3 is on the ground floor, with no steps from the car park.",
        "Our best room is up the stairs on the second floor, with a view.",
    ),
    (
        "I can't do Mondays because of work. When can the fitter come?",
        "The fitter can come on Wednesday or Friday morning.",
        "The fitter can come on Monday at 10.",
    ),
    (  # asked not to be called
        "Please don't call me, I'm on shift all day. Has the claim been approved?",
        "Yes, approved this morning; I've put the letter in your messages here.",
        "I'll give you a call this afternoon to go through it.",
    ),
    (
        "Email only please, I can't take calls at work. When is the survey?",
        "The survey is on 12 May at 10am; the surveyor will email you the day before.",
        "The surveyor will call you to arrange a time.",
    ),
    (  # said they don't read email
        "I never check my emails, so please tell me here: is my parcel coming today?",
        "Yes, it's on the van and due between 2 and 4 today.",
        "I've sent you an email with the tracking details, please check your inbox.",
    ),
    (  # dyslexic: no wall of text
        "I'm dyslexic so long emails are really hard for me. What do I need to send?",
        "Just two things: a photo of your ID and a recent bill.",
        " ".join(["Please read the following carefully as there are several requirements"] * 9),
    ),
]


@pytest.mark.parametrize(("customer", "respects", "ignores"), BANK)
def test_a_reply_ignoring_a_stated_situation_is_found(
    customer: str, respects: str, ignores: str
) -> None:
    assert not _found(customer, respects), respects
    assert _found(customer, ignores), ignores


@pytest.mark.parametrize(
    ("customer", "reply"),
    [
        # nothing stated: the standard answer is no misfit
        ("How do I report a fault?", "Please give us a call on 0800 123 456."),
        ("Where's the booking reference?", "Click the green button in the top-right corner."),
        ("What's good on the set menu?", "I'd go for the chicken katsu."),
        ("When can the fitter come?", "The fitter can come on Monday at 10."),
        # the limit named to work around it
        ("I'm deaf, how do I report it?", "As you can't call, I've logged it here instead."),
        ("I'm allergic to nuts, any cakes?", "Avoid the walnut loaf; the lemon one has no nuts."),
        ("I'm driving, is my MOT booked?", "Yes; once you're parked, tap the link I've sent."),
        # a death mentioned, the reply asking the customer, not the deceased
        ("My dad passed away in May.", "I'm so sorry. Could you send us the death certificate?"),
        # a formal customer may get a letter
        ("Dear Sir or Madam, has my order shipped?", "Dear Ms Lee, yes. Yours sincerely, Tom"),
        # a call is fine for someone who did not rule it out
        ("Has the claim been approved?", "I'll give you a call this afternoon to go through it."),
        ("Don't call me before 9, but I'm free after.", "I'll give you a call at 9:30 then."),
        # 'no X' is something missing, not ruled out
        ("I've had no email about my booking.", "Sorry, I've resent the email now."),
    ],
)
def test_near_misses_are_no_finding(customer: str, reply: str) -> None:
    assert not _found(customer, reply), reply
