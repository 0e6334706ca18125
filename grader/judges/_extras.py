"""Detector votes on the extras: proactive information, extra mile, clarity and brand voice.

Split from `_rapport` (the connection with the customer); the same cues from `_cues`.
"""

from __future__ import annotations

import re

from grader._results import JudgeVote
from grader._transcript import AGENT_SIDE, Role
from grader.judges._answers import dodged_questions
from grader.judges._cues import has
from grader.judges._offers import because_of_them, gladly_taken
from grader.judges._protocol import JudgeContext

__all__ = ["extras", "voice"]


def extras(ctx: JudgeContext) -> dict[str, JudgeVote]:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    tips = [s.id for s in agent if has("tip", s.text) or has("link", s.text)]
    follow = [s.id for s in agent if has("commitment", s.text)]
    goodwill = [
        s.id
        for s in agent
        if has("remedy", s.text)
        and (has("exception", s.text) or has("action_done", s.text) or has("commitment", s.text))
    ]
    rushed = [s.id for s in agent if has("dismissal", s.text)]
    informative = _extra_information(ctx)
    wishes = [s.id for s in agent if has("warm_close", s.text)]
    asked = sum(
        1
        for s in ctx.segments
        if s.role is Role.CUSTOMER and s.turn_index > 1 and s.text.rstrip().endswith("?")
    )
    proactive = 1.0 + 0.5 * min(len(tips), 2) + 0.4 * min(len(informative), 4)
    proactive -= 0.5 * max(0, asked - 1)
    offers = [s.id for s in agent if _OFFER.search(s.text)]
    mile = 1.0 + 0.75 * bool(tips) + 0.75 * bool(follow) + 1.0 * bool(goodwill) + 0.5 * bool(wishes)
    # something done for them that they did not ask for, tied to what they told us, and their
    # delight at it: the extra mile is personal, and it shows in how the customer answers
    personal = [s.id for s in agent if _FOR_THEM.search(s.text) and not _PUNITIVE.search(s.text)]
    personal += [sid for sid in because_of_them(ctx) if sid not in personal]
    first_agent = min((s.turn_index for s in agent), default=0)
    delighted = any(
        s.role is Role.CUSTOMER and s.turn_index > first_agent and _DELIGHT.search(s.text)
        for s in ctx.segments
    )
    mile += 0.75 * bool(offers) + 1.0 * bool(personal) + 0.5 * delighted
    mile += 0.75 * bool(gladly_taken(ctx))
    if rushed:
        mile = 0.0
    confusion = [s.id for s in ctx.segments if s.role is Role.CUSTOMER and has("confusion", s.text)]
    confusion += _asked_again(ctx)
    confusion += dodged_questions(ctx.segments)
    lengths = [len(s.text.split()) for s in agent]
    long_share = sum(n > 35 for n in lengths) / max(1, len(lengths))
    jargon = _jargon(" ".join(s.text for s in agent), _customer_terms(ctx))
    clarity = 3.0 - 1.0 * min(len(confusion), 2) - 1.5 * long_share - min(2.0, 10 * jargon)
    return {
        "proactive_information": JudgeVote(
            judge="detector:proactive",
            score=max(0.0, min(3.0, proactive)),
            # a customer who had to ask for each next step is plain to see
            confidence=0.55 if asked >= 2 else 0.45,
            evidence=(tips + informative)[:3],
            rationale=f"{len(tips)} unasked-for tip(s) or link(s), {len(informative)} further "
            f"sentence(s) of specifics; {asked} later customer question(s)",
        ),
        "extra_mile": JudgeVote(
            judge="detector:extras",
            score=max(0.0, min(3.0, mile)),
            confidence=0.45,
            evidence=(rushed + personal + goodwill + offers + follow + tips)[:3],
            rationale=f"goodwill: {bool(goodwill)}, follow-up: {bool(follow)}, tip: {bool(tips)}, "
            f"personal offer: {bool(offers)}, done for what they told us: {bool(personal)}, "
            f"customer delighted: {delighted}, "
            f"warm wishes: {bool(wishes)}, rushed off: {bool(rushed)}",
        ),
        "clarity": JudgeVote(
            judge="detector:clarity",
            score=max(0.0, min(3.0, clarity)),
            confidence=0.5 if (confusion or jargon > 0.05) else 0.4,
            evidence=[
                s.id for s in sorted(agent, key=lambda s: -_jargon(s.text) - len(s.text) / 1e4)
            ][:1],
            rationale=f"{len(confusion)} customer sign(s) of confusion or a question asked again; "
            f"{long_share:.0%} of agent sentences over 35 words; jargon {jargon:.0%} of words",
        ),
    }


#: An action taken because of what the customer told us ("As you're new to Bristol, I've ...").
_FOR_THEM = re.compile(
    r"\b(?:(?:because|since|as|seeing as|given(?: that)?|now that) (?:you(?:'re| are|'ve| have|'ll| "
    r"will| mentioned| said| told)?|it'?s (?:your|for your)|your)\b[^.!?]{0,90}?\b(?:i|we)(?:'ve| "
    r"have|'ll| will| also)|\b(?:you (?:said|mentioned|told (?:me|us))|i (?:noticed|saw|see)) "
    r"(?:that )?(?:you|your|it'?s)\b[^.!?]{0,70}?\bso (?:i|we)(?:'ve| have|'ll| will)?)\s+\w+",
    re.I,
)
#: ... unless what was done for them is a charge or a closure ("since you cancelled late, I've
#: applied the fee").
_PUNITIVE = re.compile(
    r"\b(?:fee|charge[ds]?|penalt\w+|fine[ds]?|suspend\w*|clos(?:ed|ing)|deduct\w*|cancell?ed your|"
    r"block\w*|can'?t|cannot|unable)\b",
    re.I,
)
_DELIGHT = re.compile(
    r"\b(?:wow|omg|amazing|thoughtful|(?:so|really|very) kind|made my (?:day|week)|"
    r"didn'?t expect|above and beyond|lovely touch|you'?re a (?:star|gem|legend|lifesaver))\b",
    re.I,
)
#: Something extra the agent offers or has prepared ("happy to do a call", "I've attached ...").
_OFFER = re.compile(
    r"\b(?:(?:i'?d|i would|i'?m|we'?d|we'?re) (?:be )?(?:happy|glad|delighted) to|"
    r"i can (?:also )?(?:set (?:it )?up|do|walk you|show you|call|book|send)|"
    r"(?:i|we)(?:'ve| have) (?:also )?(?:attached|included|put together|prepared|set up)|"
    r"as a (?:thank you|gift|bonus|little extra))\b",
    re.I,
)
_SPECIFIC = re.compile(
    r"\d|[$€£]|\b(?:before|after|until|unless|if you|you can|you'?ll need|once you(?:'re| are)?|"
    r"you'?ll (?:be asked|get|see|receive|also)|keep (?:your|an eye)|make sure|remember to|"
    r"don'?t forget|worth|in case|so you(?:'ll| will| can| don'?t| won'?t)|you may (?:also )?need|"
    r"will be (?:signed|logged|sent|asked|charged|renewed)|next time)\b",
    re.I,
)
_JARGON = re.compile(
    r"^(?:[A-Z]{2,}[A-Za-z]*|[A-Za-z]+/[A-Za-z]+|[=+&>]|\w+\+\w*|prob|approx|pls|asap)$"
)


def _jargon(text: str, theirs: frozenset[str] = frozenset()) -> float:
    """Share of tokens that are acronyms, slashed codes or symbols standing for words.

    A term the customer used first ("API", "IPs") is their language, not jargon.
    """
    tokens = [t.strip(".,;:!?()") for t in text.split()]
    tokens = [t for t in tokens if t]
    own = sum(bool(_JARGON.match(t)) and _stem(t) not in theirs for t in tokens)
    return own / max(1, len(tokens))


def _stem(token: str) -> str:
    return token.casefold().removesuffix("s")


def _customer_terms(ctx: JudgeContext) -> frozenset[str]:
    return frozenset(
        _stem(t.strip(".,;:!?()"))
        for s in ctx.segments
        if s.role is Role.CUSTOMER
        for t in s.text.split()
    )


def _extra_information(ctx: JudgeContext) -> list[str]:
    """Agent sentences after the first of a reply that add specifics (numbers, conditions)."""
    out, last_turn = [], -1
    for seg in ctx.segments:
        if seg.role not in AGENT_SIDE:
            continue
        if seg.turn_index != last_turn:
            last_turn = seg.turn_index
            continue  # the first sentence of a reply is the answer
        if _SPECIFIC.search(seg.text):
            out.append(seg.id)
    return out


_SAME_QUESTION = 0.5


def _asked_again(ctx: JudgeContext) -> list[str]:
    """Customer questions that repeat an earlier customer question (the answer dodged it)."""
    rows = [r for r in ctx.customer_rows if ctx.segments[r].text.rstrip().endswith("?")]
    if not ctx.has_vectors or len(rows) < 2:
        return []
    out = []
    for k, r in enumerate(rows[1:], start=1):
        prev = rows[:k]
        earlier = [p for p in prev if ctx.segments[p].turn_index < ctx.segments[r].turn_index]
        if earlier and float((ctx.vectors[earlier] @ ctx.vectors[r]).max()) >= _SAME_QUESTION:
            out.append(ctx.segments[r].id)
    return out


_CONTRACTION = re.compile(r"\b\w+'(?:re|ll|d|ve|m|s)\b", re.I)
_PERSONAL = re.compile(r"\b(?:i|we|we'd|we're|i'll|i've|we'll|our team)\b", re.I)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|been|be)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b", re.I)
_TEMPLATE = re.compile(
    r"\b(?:please refer to|thank you for contacting|do not hesitate|please be advised|kindly|"
    r"regards,?\s+(?:the\s+)?customer (?:service|support|care)|any inconvenience (?:this|caused)|"
    r"your (?:request|query|ticket|case) has been|we value your|this is an automated)\b",
    re.I,
)


#: The company saying what it stands for, or how it works, in its own terms: "because we're
#: illustrators too", "a family firm since 1987", "no subcontractors", "every pass plants a tree".
_VALUES = re.compile(
    r"\b(?:because we(?:'re| are| know| think| believe)?\b|that'?s why (?:we|our)|which is why|"
    r"(?:that'?s|this is) the (?:whole )?point of us|"
    r"we (?:built|started|founded|set up|designed)\b|"
    r"we(?:'re| are) (?:still )?(?:a |an )?(?:family|small|local|independent|members?'?|employee|"
    r"community|not-for-profit|charity|co-?op|team of \w+)\w*|(?:family|member|employee|"
    r"locally)[- ](?:run|owned)|(?:run|owned) by (?:the family|its members|our members)|"
    r"since (?:19|20)\d\d|(?:in|at|from) (?:our|my) own \w+|ourselves|"
    r"no (?:subcontractors|shareholders|middlem[ae]n|hidden (?:fees|costs)|"
    r"call cent(?:re|er)s?)|every (?:penny|pound|order|can|box|pass|one|visit|print|sale|bag)\b"
    r"(?:[^.!?]{0,40}\b(?:goes|plants|comes|stays|checked|finished|made|hand)| (?:is|are|gets) "
    r"(?:\w+ )?\w+ed\b)|plants? a "
    r"tree|(?:keeps|funds|pays for|goes (?:back )?into|helps? (?:fund|train|pay for))\b|"
    r"we stand behind|(?:is|are) on us\b|we(?:'ve| have) (?:been )?\w+ (?:\w+ ){0,3}for (?:over "
    r"|more "
    r"than )?(?:\d+|twenty|thirty|forty|fifty|a hundred) years|(?:we'?d|we would) rather|(?:repair|"
    r"fix) rather than replace|kinder to the planet|carbon[- ]neutral|b ?corp\b|living wage|fair ?"
    r"trade|free[- ]range|locally (?:sourced|made|grown)|hand[- ]?(?:poured|made|finished|stitched|"
    r"built|picked)|we (?:give|donate) (?:\d+%|a share|part)|we only (?:use|lend|"
    r"work|buy|sell|source|hire|stock)|our founders?\b|(?:stays?|back) in(?:to)? the community|"
    r"(?:guaranteed|guarantee|warranty|it'?s|repairs?) for life\b|lifetime "
    r"(?:guarantee|warranty)|in our (?:\w+ )?(?:studio|workshop|bakery|"
    r"kitchen|farm|mill|roastery|factory|brewery))",
    re.I,
)
#: Warmth that says nothing about the company ("we're so grateful", "our quality is excellent").
_FILLER = re.compile(
    r"\b(?:so grateful|(?:really )?means (?:a lot|so much)|we'?d love to (?:help|have)|have a "
    r"(?:lovely|great|nice|wonderful) (?:day|weekend)|thanks so much for|we value (?:your|our)|"
    r"(?:is|are) excellent|high[- ]quality|top[- ]notch|second to none|best[- ]in[- ]class|"
    r"world[- ]class)\b",
    re.I,
)


def voice(ctx: JudgeContext) -> JudgeVote | None:
    """A warm, personal voice that shows what the company stands for, versus a template.

    Warmth alone (contractions, first person, "we're so grateful") is any company's; saying
    why the company works as it does ("because we're illustrators too", "no subcontractors")
    is this one's. A warm reply with nothing of the company in it is generic.
    """
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    if not agent:
        return None
    n = len(agent)
    warm = sum(bool(_CONTRACTION.search(s.text)) for s in agent) / n
    personal = sum(bool(_PERSONAL.search(s.text)) for s in agent) / n
    passive = sum(bool(_PASSIVE.search(s.text)) for s in agent) / n
    template = [s.id for s in agent if _TEMPLATE.search(s.text)]
    lively = any(s.text.rstrip().endswith("!") for s in agent)
    score = 1.0 + 1.0 * min(1.0, 2 * warm) + 0.75 * personal + 0.25 * lively
    score -= 0.75 * passive + 1.0 * min(2, len(template))
    values = [s.id for s in agent for _ in _VALUES.finditer(s.text)]
    filler = [s.id for s in agent if _FILLER.search(s.text)]
    score += 0.5 * min(2, len(values))
    if not values:  # the rubric's 2 needs a hint of the company; warmth alone is generic
        score = min(score, 1.5 if filler else 2.0)
    return JudgeVote(
        judge="detector:voice",
        score=max(0.0, min(3.0, score)),
        confidence=0.4 + 0.1 * min(2, len(template)),  # a template phrase is plain to see
        evidence=list(dict.fromkeys(template + values))[:2],
        rationale=f"{warm:.0%} of agent sentences with contractions, {personal:.0%} in the "
        f"first person, {passive:.0%} passive; {len(template)} template phrase(s); "
        f"{len(values)} sign(s) of what the company stands for"
        + ("; warmth with nothing of the company" if filler and not values else ""),
    )
