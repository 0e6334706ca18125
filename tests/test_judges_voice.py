"""Brand voice: warmth any company could send versus a reply showing what this one stands for.

A paraphrase bank (industries, channels, registers) of replies that say why the company
works as it does, each against a warm but generic twin; and near-misses that must not count.
"""

from __future__ import annotations

import pytest
from factories import judge_context

from grader import Role, Rubric
from grader.judges._extras import _FILLER, _VALUES, voice

#: (customer, a reply showing the company's values, a warm reply any company could send)
BANK = [
    (
        "Anyone used you lot for a house move in Sheffield?",
        "Hi Jess! We're a family firm, and the Bramleys who quote are the ones carrying your "
        "boxes, no subcontractors.",
        "Hi Jess! Thanks so much for thinking of us, we'd love to help with your move!",
    ),
    (
        "Just set up a monthly £10 to you after meeting a guide dog today.",
        "Welcome, Lou! Your £10 a month keeps a puppy in training treats through its first year.",
        "Thank you so much, Lou! We're so grateful, it really means a lot. Have a lovely day!",
    ),
    (
        "Why would I sell my prints with you and not the big sites?",
        "We started because we're illustrators too, and we print every order ourselves.",
        "Thanks so much for your interest, we'd love to have you! Our print quality is excellent.",
    ),
    (
        "Is there any reason to take a loan with you rather than my bank?",
        "We're member-owned, so there are no shareholders taking a cut; that's why the rate is "
        "lower.",
        "Thanks so much for getting in touch! We'd love to help you with your car loan.",
    ),
    (
        "Where is your coffee roasted?",
        "We roast it in our own roastery in Leith, as we have since 2009, the week it ships.",
        "Great question! Our coffee is high-quality and we're sure you'll love it. Have a great "
        "day!",
    ),
    (
        "What makes your care agency different?",
        "We're still run by the family who started us, which is why Dorothy would see the same "
        "two carers.",
        "We provide top-notch, high-quality care. We'd love to help your family!",
    ),
    (
        "Do you test your bikes before they're sent out?",
        "Every bike is checked by Sam in our own workshop before it goes out, and we stand "
        "behind every frame.",
        "Absolutely, our bikes are world-class! Thanks so much for asking, have a wonderful day!",
    ),
    (
        "Why is your broadband more expensive than the big providers?",
        "There's no call centre: the person answering is one of our team of 12 engineers, "
        "because we think you should talk to someone who can fix it.",
        "We value your business and our service is second to none! We'd love to help.",
    ),
    (
        "Is the wool in your jumpers British?",
        "Yes, it's from three farms in the Borders, and it's spun and knitted in our own mill "
        "in Hawick since 1961.",
        "Thanks so much for your question! Our jumpers are high-quality and so cosy.",
    ),
    (
        "Do you recycle the returned mattresses?",
        "We do, because we'd rather give a bed than fill a landfill: every return goes to Hope "
        "House nearby.",
        "Thanks so much for asking! We're so grateful for customers like you who care.",
    ),
]


def _score(rubric: Rubric, customer: str, reply: str) -> float:
    vote = voice(judge_context(rubric, [(Role.CUSTOMER, customer), (Role.AGENT, reply)]))
    assert vote is not None and vote.score is not None
    return vote.score


@pytest.mark.parametrize(("customer", "values", "generic"), BANK)
def test_showing_what_the_company_stands_for_beats_generic_warmth(
    rubric: Rubric, customer: str, values: str, generic: str
) -> None:
    assert _VALUES.search(values), values
    assert not _VALUES.search(generic), generic
    assert _score(rubric, customer, values) > _score(rubric, customer, generic)


@pytest.mark.parametrize(
    "reply",
    [
        "We're open every day from 9 to 5.",
        "Because your order was late, I've refunded the delivery.",
        "The parcel is with our courier and arrives Friday.",
        "Every time you log in you'll see the new menu.",
        "Thanks for waiting, the refund is on its way.",
        "We'd be glad to check that for you.",
    ],
)
def test_ordinary_service_sentences_show_no_values(reply: str) -> None:
    assert not _VALUES.search(reply), reply


@pytest.mark.parametrize(
    "reply",
    [
        "Thanks so much for your patience, the engineer comes Tuesday.",
        "It really means a lot that you came back to us.",
        "Our service is second to none.",
    ],
)
def test_warm_filler_is_recognised(reply: str) -> None:
    assert _FILLER.search(reply)


def test_filler_with_values_is_not_docked(rubric: Rubric) -> None:
    customer = "Why should I pick you?"
    both = "Thanks so much for asking! We're a co-op, so every penny goes back into the shop."
    bare = "Thanks so much for asking! We'd love to have you."
    assert _score(rubric, customer, both) > _score(rubric, customer, bare)


#: A second bank written after the rule: repairs, candles, eggs, pans, a bank, coffee.
FRESH = [
    (
        "Do you do repairs on old boots?",
        "We'd love to! We've resoled boots for 40 years, and we'll repair rather than replace "
        "whenever we can, it's kinder to the planet.",
        "Yes, we offer a repair service. Please send your boots to our returns address and we'll "
        "be in touch!",
    ),
    (
        "Are your candles vegan?",
        "They are! Every candle is hand-poured by Priya and Tom in our Margate studio with "
        "rapeseed wax, and we give 5% of every sale to the Marine Conservation Society.",
        "Yes, our candles are vegan. Thanks so much for asking, have a lovely day!",
    ),
    (
        "Why are your eggs dearer than the supermarket's?",
        "Our hens are truly free-range on our family farm, we pay everyone the real Living Wage, "
        "and we'd rather charge fairly than cut corners.",
        "Our eggs are high-quality and we're sure you'll love them! Thanks for your question.",
    ),
    (
        "Is the warranty any good?",
        "It's for life. If it ever breaks, we fix it free, because we'd rather you kept one pan "
        "for 30 years than bought five.",
        "Our products come with an excellent warranty. We'd love to help if you have any issues!",
    ),
    (
        "Why should I bank with you?",
        "We're a B Corp and we only lend to local businesses and homes, so your savings stay in "
        "the community.",
        "We'd love to have you! Opening an account is quick and easy, and our service is second to "
        "none.",
    ),
    (
        "Hi, what's your coffee like?",
        "Our founder Ana still visits every farm we buy from in Huila, and we pay them 40% above "
        "the Fairtrade price.",
        "Our coffee is delicious and high-quality! Thanks so much for your interest.",
    ),
]


@pytest.mark.parametrize(("customer", "values", "generic"), FRESH)
def test_a_second_bank_of_values_against_warmth(
    rubric: Rubric, customer: str, values: str, generic: str
) -> None:
    assert _score(rubric, customer, values) > _score(rubric, customer, generic)


@pytest.mark.parametrize(
    "reply",
    [
        "We'll hold your booking for 3 days.",
        "Your warranty lasts 2 years from delivery.",
        "Artists keep 60% of every sale.",
        "Our studio is closed on Sundays.",
    ],
)
def test_product_facts_are_not_values(reply: str) -> None:
    assert not _VALUES.search(reply), reply
