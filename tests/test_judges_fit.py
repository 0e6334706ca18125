"""The fit judge: replies read against the situation the customer stated (paraphrase banks).

Each bank is written for the behaviour, not for a contrast pair: other industries, channels,
registers and wordings, and near-misses that must not trigger.
"""

from __future__ import annotations

import pytest
from factories import make_transcript

from grader import Role, Rubric, rubric_grader, segment_transcript
from grader._segments import Segment
from grader.judges._constraints import _HURRIED
from grader.judges._fit import FIT, MISFIT, fit_findings, fit_shift
from grader.judges._profile import Profile, not_attributes, profile_of
from grader.model import LLM, MockLLM


def _segments(customer: str, agent: str, after: str = "") -> list[Segment]:
    turns = [(Role.CUSTOMER, customer), (Role.AGENT, agent)]
    if after:
        turns.append((Role.CUSTOMER, after))
    return segment_transcript(make_transcript("t", turns))


def _misfits(customer: str, agent: str, after: str = "") -> list[str]:
    return [why for _, why in fit_findings(_segments(customer, agent, after))[1]]


def _fits(customer: str, agent: str) -> list[str]:
    return [why for _, why in fit_findings(_segments(customer, agent))[2]]


def _profile(customer: str) -> Profile:
    return profile_of(_segments(customer, "Thanks, let me look."))


EXPERTS = [
    "Network engineer here. The hub drops off the VLAN every night, any known issue?",
    "I'm a sparky myself, so give it me straight: is the RCD on the board Type A or AC?",
    "Hi, I'm a chartered accountant. Does the export apply accrual or cash basis?",
    "As a vet nurse I know the drill, is a TPLO on the other leg covered?",
    "I'm a retired heating engineer so skip the basics, the boiler shows F28.",
    "Same as usual, 4 pallets to Rotterdam, DAP. Anything different with the new rules?",
    "Our webhook endpoint returns 200 but you keep retrying. Is there a timeout we miss?",
    "We're getting HTTP 429 from /v2/orders with one API token. Per token or per account?",
    "IPv6 on eth0 stopped after maintenance; ndisc to fe80::1 gets no NA, v4 is fine.",
    "I'm a pharmacist: is the 5mg tablet bioequivalent to the old brand?",
    "Speaking as a solicitor, is clause 14.2 a condition precedent or an innominate term?",
    "Shooting on a RED Komodo 6K with an EF-RF adapter, 2.6kg all in. Will the RS 3 take it?",
    "Thanks,\nAna Ribeiro, lead developer",
    "I do this for a living, I just need the torque spec for the M12 caliper bolts.",
    "I'm a qualified mechanic, does the 1.6 TDCi need the DPF regen before the MOT?",
]
NOT_EXPERTS = [
    "Hi, my parcel hasn't arrived yet. Can you check where it is?",
    "My son is an engineer and he said the router is broken.",
    "I'm not an engineer, I just want the heating to work.",
    "My order 448812 was charged twice, can you refund one?",
    "I'm 79 and not very good with these things. How do I borrow an ebook?",
    "Can I change my delivery to Saturday? I work in London on weekdays.",
    "Our internet keeps dropping in the evenings. Is there an outage?",
    "Hello, I'd like to book a table for four on Friday at 7pm.",
]


@pytest.mark.parametrize("said", EXPERTS)
def test_an_expert_is_read_from_what_they_say_or_how_they_ask(said: str) -> None:
    assert _profile(said).expert, said


NOVICES = [
    "I'm 79 and not very good with these things.",
    "I'm a first-time buyer, what's a mortgage in principle?",
    "I'm hopeless with computers, sorry.",
    "My granddaughter usually does this for me.",
    "I'm not an engineer, I just want the heating to work.",
    "I'm a complete beginner with sewing machines.",
    "I don't really know what an 'app' is.",
    "I've only got an old flip phone.",
]


@pytest.mark.parametrize("said", NOVICES)
def test_a_newcomer_is_read_from_what_they_say(said: str) -> None:
    assert _profile(said).novice, said
    assert not _profile(said).expert, said


@pytest.mark.parametrize("said", NOT_EXPERTS)
def test_a_lay_customer_is_no_expert(said: str) -> None:
    assert not _profile(said).expert, said


#: (customer, a reply at their level, the basics or a first-line script)
EXPERT_TRIPLES = [
    (
        "I'm an ACA. Does your MTD submission take box 6 from payment dates under the cash scheme?",
        "Yes, with the cash scheme flag on, box 6 is built from payment dates.",
        "Great question! VAT is a tax added to goods and services. We recommend speaking to an "
        "accountant if you're unsure.",
    ),
    (
        "Network engineer here. DHCP reservations set, dedicated 2.4GHz SSID, band steering "
        "off. Hub logs show mDNS timeouts. Known issue with IGMP snooping?",
        "Yes, with IGMP snooping on and no querier, the mDNS multicast gets dropped. Turn on a "
        "querier for that VLAN.",
        "Sorry about that! 1) Restart your router and hub. 2) Make sure the cameras are "
        "connected to a 2.4GHz network. 3) Move the cameras closer to the router.",
    ),
    (
        "Hi, I'm an RVN. If the right CCL goes after a TPLO on the left, is it pre-existing?",
        "It's covered: the right CCL would be a new condition, with its own limit.",
        "A cruciate ligament is a ligament in your pet's knee. Whether it is covered depends "
        "on your policy terms.",
    ),
    (
        "We're getting HTTP 429 from /v2/invoices with one API token. What's the real limit?",
        "The limit on /v2/invoices is 600 per minute per account, so a second API token won't "
        "help.",
        "Thank you for contacting us. If you receive a 429 error, please wait and try again. "
        "You can find more information about rate limits in our developer documentation.",
    ),
    (
        "Same as usual, 6 pallets to Lyon, DAP, EORI on file. The consignee wants postponed VAT "
        "accounting. Anything different?",
        "Nothing changes on your side; I just need the consignee's VAT number for the DAP booking.",
        "To explain, DAP (Delivered at Place) is an Incoterm. An EORI number is a registration "
        "number for customs.",
    ),
    (
        "I'm a sparky, what export limit are you applying for with the DNO, G98 or G99?",
        "Over 3.68kW it's a G99, so we'd apply for the full 5kW export.",
        "Solar panels are designed to give you the best savings. There's nothing to worry about, "
        "we handle the paperwork.",
    ),
    (
        "Our webhook endpoint returns 200 but you retry 'invoice.paid'. Is there a timeout?",
        "Yes: a webhook slower than 10 seconds counts as failed even with a 200, so reply "
        "first and process later.",
        "Webhooks let you receive notifications about events. You can find our webhooks guide "
        "in the documentation.",
    ),
    (
        "I'm a nurse, fine with detail. I'm on apixaban for AF; do I stop it before the "
        "extraction?",
        "For one extraction, skip the morning apixaban dose and restart in the evening.",
        "Some medicines can affect bleeding. Please don't stop anything without speaking to "
        "your doctor.",
    ),
    (
        "I'm a retired heating engineer so skip the basics. Inlet pressure is 20.5mbar, flue "
        "checked, condensate clear. L2 after ignition: electrode or gas valve?",
        "Most likely the electrode; Dave will bring an electrode and a spare gas valve.",
        "Before we send someone:\n- Check the pressure gauge\n- Check the flue is clear\n"
        "- Press reset and wait",
    ),
    (
        "I'm a chartered accountant, no need to simplify. Is the DB scheme's early retirement "
        "reduction actuarial, and what's the factor at 60 against an NRA of 65?",
        "It's a fixed 4% a year, simple not compound, so 0.80 at 60 against the NRA of 65.",
        "If you take your pension early it will usually be reduced. The amount depends on how "
        "early you retire.",
    ),
    (
        "Shooting on a RED Komodo 6K with a Sigma 18-35 on an EF-RF adapter, 2.6kg. Will the "
        "RS 3 Pro take it in low mode?",
        "The RS 3 Pro takes 4.5kg, so 2.6kg is fine; balance the EF-RF adapter with the long "
        "plate.",
        "Our range is easy to use for all skill levels. Check out our beginner's guide to gimbals.",
    ),
    (
        "Dev here. Our SDK calls the token endpoint and gets a 401 after exactly 90 days. Hard "
        "consent expiry?",
        "Yes, consent expires at 90 days whatever the token refresh does; the 401 is expected.",
        "Please try logging out and logging back in, clearing your browser cache, or resetting "
        "your password.",
    ),
]


@pytest.mark.parametrize(("customer", "fitted", "scripted"), EXPERT_TRIPLES)
def test_an_expert_given_the_basics_is_a_misfit(customer: str, fitted: str, scripted: str) -> None:
    assert not _misfits(customer, fitted), fitted
    assert _misfits(customer, scripted), scripted


def test_an_expert_answered_in_their_terms_is_a_fit() -> None:
    customer, fitted, _ = EXPERT_TRIPLES[1]
    assert _fits(customer, fitted)


def test_a_lay_customer_may_be_told_what_a_term_means() -> None:
    customer = "Hi, what does excess mean on my car insurance? I've never had a policy."
    reply = "The excess is what you pay towards a claim yourself, for example the first £250."
    assert not _misfits(customer, reply)


#: (a newcomer, a plain reply, terse technical steps or officialese)
NOVICE_TRIPLES = [
    (
        "I'm 79 and not very good with these things. Can I read library books on my iPad?",
        "Yes! Don't worry, our volunteer Joan will set it all up with you at the branch.",
        "1. Open the App Store and install Libby. 2. Authenticate with your card number and "
        "PIN. 3. Enable notifications.",
    ),
    (
        "My grandson set up this phone and I don't know what an 'app' is. How do I pay my bill?",
        "No need for an app. I'll take the payment over the phone now if that's easier.",
        "Log in to the portal, go to the dashboard, then upload your card under Payments.",
    ),
    (
        "This is my first time buying car insurance. Should I pick £0 or £500 excess?",
        "Good question, lots of first-time drivers ask. The excess is what you pay yourself if "
        "you claim.",
        "Voluntary excess is applied in addition to compulsory excess. Selecting £500 reduces "
        "the premium by approximately £90 per annum.",
    ),
    (
        "I've just got an old flip phone and the robot won't talk. My son said something about "
        "an app.",
        "You don't need an app at all. Slide the switch on its back to Play and it'll talk.",
        "It's in pairing mode waiting for a Bluetooth handshake; toggle the mode selector and "
        "check the firmware.",
    ),
    (
        "I'm not technical at all. How do I get the smart meter readings to you?",
        "It sends them by itself, so you don't need to do anything. I'll check they arrived.",
        "Open the companion app, sync the IHD via the settings menu and check the firmware.",
    ),
    (
        "New to all this, sorry. What does 'carry forward' mean on my pension letter?",
        "That means unused allowance from the last three years, in other words you can pay a "
        "bit more this year.",
        "Carry forward is subject to eligibility criteria and applicable annual allowance "
        "rules, as per HMRC guidance.",
    ),
]


@pytest.mark.parametrize(("customer", "plain", "technical"), NOVICE_TRIPLES)
def test_a_newcomer_given_jargon_is_a_misfit(customer: str, plain: str, technical: str) -> None:
    assert _profile(customer).novice, customer
    assert not _misfits(customer, plain), plain
    assert _misfits(customer, technical), technical


@pytest.mark.parametrize(("customer", "plain", "_"), NOVICE_TRIPLES[:2])
def test_a_newcomer_taken_through_it_plainly_is_a_fit(customer: str, plain: str, _: str) -> None:
    assert _fits(customer, plain)


FORMAL = [
    (
        "Dear Supporter Care,\nPlease confirm (a) the account and (b) the reference.\nRegards,\n"
        "Claire Whitfield",
        "Dear Claire,\n(a) The same account as before. (b) Reference HALDEN-Q2.\nKind regards,\n"
        "Omar",
        "Hi Claire!!\nWow, amazing, thank you! 😊\nYep, same account, and pop HALDEN-Q2 as the "
        "reference. Easy!",
    ),
    (
        "Dear Sir or Madam, I am 68 and would like a box for one person. Yours faithfully, "
        "Margaret Hale",
        "Dear Mrs Hale, thank you for writing. Our one-person box would suit you well.",
        "Hi Margaret! 🎉 Super exciting, our one-person box is totally awesome! Happy cooking!",
    ),
    (
        "Dear Billing Department,\nPlease advise whether the credit note has been issued.\n"
        "Yours sincerely,\nR. Patel",
        "Dear Mr Patel,\nYes, credit note CN-2291 was issued on 3 March.\nYours sincerely,\nJo",
        "Hey R! Yeah, totally issued, no worries!! 👍",
    ),
]


@pytest.mark.parametrize(("customer", "formal", "chatty"), FORMAL)
def test_a_formal_letter_answered_with_gushing_chat_is_a_misfit(
    customer: str, formal: str, chatty: str
) -> None:
    assert _profile(customer).formal
    assert not _misfits(customer, formal), formal
    assert "a formal letter answered with gushing chat" in _misfits(customer, chatty)


def test_a_chatty_customer_may_be_answered_chattily() -> None:
    customer = "omg just got my box!! what's in next week's? 😍"
    reply = "Yay, so glad! 🎉 Next week's is all Thai, super tasty!"
    assert not _profile(customer).formal
    assert not _misfits(customer, reply)


#: (customer saying what they are not, a reply that fits, a reply treating them as one)
NOT_A = [
    (
        "I'm not a resident. I visit my disabled brother in Zone C every day. Is there a permit "
        "for people like me?",
        "Yes, the carer's permit fits you: it's free and lasts a year.",
        "Resident permits are available to residents of the zone with proof of address.",
    ),
    (
        "I'm not a student any more, I graduated in June. Which account can I move to?",
        "Congratulations! The Graduate account keeps a £2,000 overdraft interest-free.",
        "Our Student account gives students a £3,000 interest-free overdraft.",
    ),
    (
        "I am not a business customer, it's just me at home. Which broadband plan?",
        "For one person at home, Fibre 100 at £24 a month is plenty.",
        "Our business plans come with a static IP and a dedicated business support line.",
    ),
    (
        "I don't have a car. How do I get to the clinic from the station?",
        "The 14 bus from the station stops right outside, every ten minutes.",
        "There's free car parking for 200 cars right outside the clinic.",
    ),
    (
        "I'm not a member, can I still come to the Saturday session?",
        "Yes, anyone can come; it's £5 on the door.",
        "Members get priority booking for the Saturday session through the member portal.",
    ),
]


@pytest.mark.parametrize(("customer", "fitted", "as_one"), NOT_A)
def test_a_customer_treated_as_what_they_said_they_are_not(
    customer: str, fitted: str, as_one: str
) -> None:
    assert not_attributes(customer)
    assert not _misfits(customer, fitted), fitted
    assert any(why.startswith("treated as a") for why in _misfits(customer, as_one)), as_one


@pytest.mark.parametrize(
    "reply",
    [
        "Resident permits are only for residents, so the carer's permit is the one for you.",
        "As you're not a resident, the carer's permit is the one to apply for.",
        "Without resident status you can still get the carer's permit.",
    ],
)
def test_naming_what_they_are_not_to_set_it_aside_is_no_misfit(reply: str) -> None:
    customer = NOT_A[0][0]
    assert not any(why.startswith("treated as a") for why in _misfits(customer, reply))


@pytest.mark.parametrize(
    "said",
    ["I'm not sure which plan to pick.", "I'm not able to come in on Monday.", "I'm not happy."],
)
def test_not_sure_or_not_happy_is_no_attribute(said: str) -> None:
    assert not not_attributes(said)


TRIED = [
    (
        "App crashes on the PS5 every time. Already reinstalled twice.",
        "It's a PS5 bug from the last update; the fix ships Thursday.",
        "Please try restarting your console, checking your internet connection and "
        "reinstalling the app.",
    ),
    (
        "I've already restarted the router and checked the cables, still no internet.",
        "There's a fault at the exchange; an engineer is on it, fixed by 6pm.",
        "Please restart your router. Then check the cables are plugged in firmly.",
    ),
    (
        "I've tried clearing my cache and another browser, the checkout still fails.",
        "That's a payment-provider outage; I've placed the order for you by phone instead.",
        "Try clearing your browser cache or try a different browser.",
    ),
]


@pytest.mark.parametrize(("customer", "fitted", "retold"), TRIED)
def test_steps_they_had_already_taken_are_a_misfit(customer: str, fitted: str, retold: str) -> None:
    assert _profile(customer).tried
    assert not _misfits(customer, fitted), fitted
    assert "steps they had already taken" in _misfits(customer, retold), retold


def test_first_line_steps_for_someone_who_tried_nothing_are_no_misfit() -> None:
    customer = "My internet stopped working this morning, what should I do?"
    reply = "Please restart your router, then check the cables are plugged in."
    assert not _misfits(customer, reply)


SALES = [
    (
        "Hi, I'm a wheelchair user. Is there a pool hoist, and an accessible changing room near "
        "the pool, not upstairs?",
        "Yes to both: the pool hoist is at the shallow end and the accessible changing room is "
        "next to the pool.",
        "Thanks for your interest in joining! We offer three membership levels. Sign up online "
        "today!",
    ),
    (
        "My wife uses a wheelchair, so we need a step-free room with a roll-in shower and "
        "parking near the entrance.",
        "Room 108 is step-free with a roll-in shower, and the parking bay by the entrance is "
        "yours.",
        "Thank you for being a valued Gold member! You enjoy late checkout and a welcome drink.",
    ),
    (
        "Does the dishwasher fit a 45cm gap under a worktop, and is it quiet enough for a "
        "studio flat?",
        "Yes, the Slim 45 fits a 45cm gap and runs at 42dB, quiet enough for a studio.",
        "Our fantastic range has something for everyone, and our best-seller is super popular!",
    ),
]


#: Terse openings: every word they wrote is what they asked for.
SALES += [
    (
        "Small flat, two cats, partner with asthma. Which vacuum?",
        "The Pet Pro: a sealed HEPA filter for the asthma, a mini turbo tool for cat hair, and it "
        "fits a small flat's cupboard.",
        "We have three fantastic vacuums, and our best-seller is loved by families everywhere!",
    ),
    (
        "Commute 40 miles a day, mostly motorway, kids in the back. Which car?",
        "For 40 motorway miles a day with kids, the Estate hybrid: quiet, 60mpg, and Isofix in "
        "the back.",
        "Our range has something for everyone, with exciting offers this month. Sign up online "
        "today!",
    ),
]


@pytest.mark.parametrize(("customer", "fitted", "script"), SALES)
def test_a_sales_script_naming_none_of_what_they_asked_is_a_misfit(
    customer: str, fitted: str, script: str
) -> None:
    assert not _misfits(customer, fitted), fitted
    assert any(why.startswith("a sales script") for why in _misfits(customer, script)), script


def test_a_price_list_in_an_answer_is_no_sales_script() -> None:
    customer = "How much are rides now? The app isn't showing the price."
    assert not _misfits(customer, "Standard pricing is £1 to unlock plus 20p a minute.")


def test_a_sales_line_that_answers_the_question_is_no_misfit() -> None:
    customer, _, _ = SALES[0]
    reply = (
        "Thanks for your interest in joining! Yes, there's a pool hoist, and the accessible "
        "changing room is beside the pool."
    )
    assert not _misfits(customer, reply)


REACTIONS = [
    "I know what a cruciate is. I asked about the exclusion.",
    "Yeah, I know what an inverter does, mate. G98 or G99?",
    "Er... sorry, you've lost me a bit there.",
    "Thanks, but did you get the part about the wheelchair?",
    "None of that is relevant.",
    "read my tweet",
    "I AM the accountant.",
    "but is there a hoist?",
    "...for 2,000 items? is there a bulk option or not?",
    "That's not what I asked.",
    "I said I've done all that.",
]
NOT_REACTIONS = [
    "Thanks, that's perfect.",
    "Great, Thursday works.",
    "Do I need to bring anything?",
    "Lovely, and what time does it open?",
    "ok ta",
    "I know, it's been a long week! Thanks for sorting it.",
]


@pytest.mark.parametrize("after", REACTIONS)
def test_a_customer_saying_the_reply_missed_them(after: str) -> None:
    customer = "Hi, can you help me with my booking?"
    assert "the customer said the reply missed them" in _misfits(customer, "Sure.", after)


@pytest.mark.parametrize("after", NOT_REACTIONS)
def test_an_ordinary_follow_up_is_no_reaction(after: str) -> None:
    customer = "Hi, can you help me with my booking?"
    assert "the customer said the reply missed them" not in _misfits(customer, "Sure.", after)


@pytest.mark.parametrize(
    "said",
    [
        "Short answer pls.",
        "quick one - does my weekly cover Reading?",
        "Keep it brief, I'm driving.",
        "tl;dr: is it covered?",
        "Just the price please.",
        "In a nutshell, can I cancel?",
        "No essays please, yes or no?",
        "I've got two minutes, is the shop open?",
        "I'm in a rush, what's the code?",
        "Quick q, do you deliver Sundays?",
    ],
)
def test_a_customer_asking_for_brevity_is_short_of_time(said: str) -> None:
    assert _HURRIED.search(said), said


@pytest.mark.parametrize(
    "said",
    [
        "Your answer was short and rude.",
        "It's just the date that's wrong on the invoice.",
        "I bought the short version of the course.",
    ],
)
def test_brevity_named_in_passing_is_no_request(said: str) -> None:
    assert not _HURRIED.search(said), said


async def test_a_script_repeating_more_of_their_words_still_scores_below_the_fitted_reply(
    rubric: Rubric,
) -> None:
    customer = (
        "Hi Marco, same as usual, 6 pallets of tinned fish to Lyon, DAP, EORI on file. The "
        "consignee wants postponed VAT accounting. Anything different on our side? Ines"
    )
    fitted = "Hi Ines, nothing changes on your side; I just need the consignee's VAT number."
    scripted = (
        "Hi Ines, thanks for your email about the 6 pallets of tinned fish to Lyon. To explain, "
        "DAP (Delivered at Place) is an Incoterm. An EORI number is a registration number. "
        "Postponed VAT accounting is a system where VAT goes on the return. I need the "
        "consignee's VAT number."
    )
    scores = {}
    for name, reply in (("fitted", fitted), ("scripted", scripted)):
        grade = await rubric_grader(rubric, LLM("local/t", provider=MockLLM()))(
            make_transcript("t", [(Role.CUSTOMER, customer), (Role.AGENT, reply)])
        )
        verdict = next(v for v in grade.verdicts if v.element_id == "tailoring")
        assert verdict.value is not None, verdict.rationale
        scores[name] = verdict.value
        if name == "scripted":
            assert "a term they used defined back to them" in verdict.votes[0].rationale
    assert scores["fitted"] > scores["scripted"]


def test_the_shift_outweighs_repetition_and_a_fit_adds_less() -> None:
    customer, fitted, scripted = EXPERT_TRIPLES[1]
    assert fit_shift(_segments(customer, scripted))[0] <= MISFIT < -FIT
    assert fit_shift(_segments(customer, fitted))[0] == FIT
    assert fit_shift(_segments("Where is my parcel?", "It arrives Friday."))[0] == 0.0


#: A second bank written after the rules: other trades, other wordings.
FRESH = [
    (
        "I'm a mortgage broker myself. Does your product allow porting if the client moves during "
        "the 5-year fix, and is the ERC waived on port?",
        "Yes, it's portable; the ERC is waived if the port completes within 3 months of "
        "redemption.",
        "A mortgage is a loan used to buy a home. Moving can be stressful, so it's worth speaking "
        "to a mortgage adviser about your options.",
    ),
    (
        "Data engineer here. Your S3 export drops rows when the parquet file passes 2GB. Is there "
        "a known issue with multipart?",
        "Yes, multipart uploads over 2GB lose the last part on v3.2; v3.3 fixes it, or set part "
        "size to 512MB.",
        "Sorry to hear that! Please try exporting again, and make sure your internet connection "
        "is stable. You can also check our help centre for export tips.",
    ),
    (
        "I've been a landlord for twenty years, so no need to explain the basics. Is the deposit "
        "protection deadline 30 days from receipt or from the tenancy start?",
        "30 days from receipt of the deposit, whatever the tenancy start date.",
        "A tenancy deposit is money a tenant pays at the start of a tenancy. Deposit protection "
        "can be confusing, so we recommend speaking to a solicitor.",
    ),
    (
        "As a GP I'm comfortable with the details: is the travel vaccine you stock the live oral "
        "typhoid or the Vi polysaccharide?",
        "We stock the Vi polysaccharide injection, Typhim Vi; no oral live vaccine at present.",
        "Great question! Vaccines help protect you from diseases. Our friendly pharmacist will go "
        "through everything with you on the day.",
    ),
    (
        "I'm a physio, so happy with the jargon. Is the brace you sell hinged with ROM stops, or "
        "just a compression sleeve?",
        "It's hinged with ROM stops from 0 to 120 degrees in 10-degree steps.",
        "Our knee brace is designed to give you support and comfort. Check out our guide to "
        "choosing a brace.",
    ),
    (
        "I'm 84 and I've never used online banking. How do I see if my pension went in?",
        "I can tell you now: it went in this morning. If you like, I'll post you a statement "
        "every month too.",
        "Log in to online banking, select your current account from the dashboard and filter "
        "transactions by credit.",
    ),
    (
        "I'm a complete beginner with sewing machines. What does tension mean and why is my "
        "thread looping?",
        "Tension just means how tightly the thread is pulled. Looping underneath usually means "
        "the top thread isn't in the take-up lever; don't worry, it's the most common thing.",
        "Loops indicate improper upper thread tension or incorrect threading of the take-up "
        "lever. Adjust the tension dial to 4-5 and rethread per the manual.",
    ),
]


@pytest.mark.parametrize(("customer", "fitted", "scripted"), FRESH)
def test_a_second_bank_of_level_misfits(customer: str, fitted: str, scripted: str) -> None:
    assert not _misfits(customer, fitted), fitted
    assert _misfits(customer, scripted), scripted
