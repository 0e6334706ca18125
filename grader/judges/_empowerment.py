"""Empowerment: whether the agent used judgement on a rule or limit in the customer's way.

A rule arises when the customer names a limit (an expired warranty, a missed window) or pleads
round one, or the agent states or refuses by one. The agent scores 3 for judgement used (an
exception, a waived charge, the case treated apart: `_discretion`), 2 for a way round offered,
0.5 for the rule applied alone; bare policy phrases cost. When the agent's own words grant what
the rule would have stopped, and none let it stand, that is judgement whatever else was said;
when the rule's outcome is left standing and nothing was granted, a fix beside the point (a
corrected email address) is no exception, and an offered alternative is worth 1.5 at most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from grader._results import JudgeVote
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import CUES, has
from grader.judges._discretion import discretion
from grader.judges._protocol import JudgeContext

__all__ = ["SaidNo", "empowerment_vote"]


class SaidNo(Protocol):
    """An agent turn that refused or cited a limit (the framing judge's reading of it)."""

    @property
    def turn_index(self) -> int: ...
    @property
    def refusal_ids(self) -> list[str]: ...
    @property
    def alternative(self) -> bool: ...
    @property
    def blunt_policy(self) -> bool: ...


_CUSTOMER_LIMIT = re.compile(
    r"\b(?:can'?t (?:afford|pay|make)|out of (?:warranty|stock|time)|warranty|expired|"
    r"(?:past|after|outside|missed) (?:the )?(?:[\w-]+ )?(?:deadline|window|date|cut-?off|return period)|"
    r"(?:guarantee|warranty|cover|contract|offer|trial)s? (?:has |had )?(?:ran|run|running|expired) out|"
    r"ran out|lapsed|(?:have|had|has) to pay|(?:is|are|was) (?:now )?chargeable|"
    r"too late|policy|fee|penalty|not eligible|limit|not allowed|won'?t let|"
    r"(?:window|deadline|offer|period)s? (?:is |has |have )?(?:now )?(?:closed|passed|expired|gone)|"
    r"(?:can|could) only (?:manage|afford|pay|do|get|spare)|can'?t get (?:there|to (?:the|your))|"
    r"(?:i )?(?:don'?t|can'?t|cannot) drive|(?:says|said|shows?|marked|letter says) (?:that )?(?:i |it "
    r"|me |my \w+ )?(?:have to|has to|must|missed|did not attend|didn'?t attend|is late|was late|"
    r"(?:is |was )?(?:closed|declined|rejected|ineligible|overdue|expired))|overdue|"
    r"(?:only )?(?:got|have) (?:two|three|\d+|a few|a couple of) days?(?: of \w+)? left|"
    r"non-?(?:refundable|changeable|transferable|returnable)|no refunds?|"
    r"charged (?:me |us )?(?:a |an )?(?:[$€£]\s?\d[\d.,]*|\d[\d.,]*\s?(?:p|pence|dollars|euros)) for)\b",
    re.I,
)
#: An agent naming the rule that stands in the way (whether or not they then bend it).
_AGENT_RULE = re.compile(
    r"\b(?:non-?(?:refundable|changeable|transferable|returnable)|"
    r"(?:our|the|this) (?:\w+ ){0,2}(?:window|policy|rules?|terms|deadline|cut-?off|limit)s? "
    r"(?:is|are|says?|treats?|states?|only|allows?|requires?|does|doesn'?t|is only)|"
    r"(?:our|the|this|your) (?:[\w-]+ ){0,2}(?:contracts?|fares?|tariffs?|plans?|memberships?|"
    r"subscriptions?|warrant(?:y|ies)|guarantees?|agreements?|tickets?|accounts?|offers?) "
    r"(?:don'?t|doesn'?t|can'?t|cannot|won'?t|isn'?t|aren'?t|only|must|require|do not|does not)|"
    r"(?:must|have to|has to|need to|needs to|can only) be \w+(?:ed|en)\b|"
    r"(?:is|are) only \w+(?:ed|en)\b|i'?m afraid|"
    r"(?:fee|charge|rule|policy|penalty)s? (?:applies|apply|is applied|are applied|is charged)|"
    r"applies to (?:all|every|any)\b|"
    r"(?:applied|charged|added) automatically|as (?:set out|stated|per|explained) (?:in )?our|"
    r"(?:once|after) (?:it'?s |they'?re )?(?:processed|renewed|shipped|dispatched|activated)|"
    r"(?:we|you|i|they) can only (?:do|offer|accept|take|deliver|issue|process|refund|send|book|"
    r"repeat|change|give)|the system (?:\w+ ){0,2}(?:sends|marks|flags|closes|cancels|blocks|"
    r"releases|rejects|locks|returns|won'?t|doesn'?t|only|automatically)|"
    r"(?:marks?|flags?|closes?|cancels?|releases?|rejects?|locks?) (?:it|them|the \w+|your \w+|"
    r"orders?|bookings?)[^.?!]{0,30}\bautomatically|(?:plans?|prices?|instalments?|payments?|"
    r"rates?|fees?) (?:start|starts|begin|begins) (?:at|from)|minimum (?:of|instalment|payment|"
    r"order|spend|age|term|charge)|"
    r"(?:only|just) (?:runs?|opens?|delivers?|operates?|goes|go|accepts?|covers?) (?:on |in |at |to |"
    r"from )?\w+|(?:closes?|shuts?) at\b|(?:is|are|'s|was) (?:already |now )?(?:fully )?(?:loaded|"
    r"booked|full|allocated|sold out)\b)\b",
    re.I,
)
#: Judgement used on a rule: an exception, a waived charge, a reason to treat this case apart.
_BEND = re.compile(
    r"\b(?:given (?:the|your) (?:circumstances|situation)|in (?:this|your) case|"
    r"just this once|(?:as )?a one-?off|strictly speaking|technically|"
    r"(?:^|but |although |while )(?:normally|ordinarily)|(?:normally|ordinarily),? "
    r"(?:this|that|the|our|we|it|you)|"
    r"(?:at|with|for) no (?:extra |additional )?(?:charge|cost|fee)|free of charge|"
    r"(?:since|as) (?:it'?s|it|you|they|this) (?:only|just|haven'?t|hasn'?t|didn'?t|was only)|"
    r"taken (?:the|that|it) \w* ?(?:fee|charge) off|removed the (?:\w+ )?(?:fee|charge)|"
    r"(?:is|are|was|would be) (?:normally|usually|ordinarily|typically)\b[^.?!]{0,60}\b(?:but|however|"
    r"though)|(?:we'?ll|i'?ll|i'?ve|we'?ve|we will|i will) (?:treat|count|log|record|class|handle) "
    r"(?:it|this|that) as|^\W*no charge\b|"
    r"(?:cancelled|reversed|removed|dropped|wiped|written off|refunded) the (?:\w+ )?"
    r"(?:[$€£]\s?\d[\d.,]* )?(?:fee|charge|penalty|fine)|"
    r"(?:normally|usually|ordinarily|typically)[^.]{0,40}, but (?:i|we)(?:'ve| have| can|'ll| will)?|"
    r"(?:notice|rule|policy|window|limit|deadline|cut-?off|terms?)\b[^.]{0,50}, but (?:i|we)(?:'ve|"
    r"'ll| have| will| can| never| always)|we'?ll never leave you|"
    r"(?:is|are|'s) (?:meant|there|designed|intended) (?:to|for)\b[^.]{0,70}\b(?:not|but|so)\b|"
    r"(?:rule|policy|limit|window|deadline|fee|charge|notice)s? (?:is|are|'s|exists?) (?:there )?"
    r"(?:for|so that|to (?:stop|protect|cover|make sure))\b[^.]{0,70}\b(?:not|but)\b|"
    r"(?:aren'?t|isn'?t|not) (?:designed|meant|intended) for|(?:that|this)(?:'s| is)? (?:not going to|"
    r"won'?t|isn'?t going to) work for you|so (?:she|he|they|you) (?:isn'?t|aren'?t|won'?t be|"
    r"don'?t go) without)\b",
    re.I,
)
_NEGATED = re.compile(r"(?:\bnon-?|\bno |\bnot |n'?t |\bnever )(?:\w+ )?$", re.I)


_CONDITIONAL = re.compile(
    r"\b(?:if (?:it'?s|it is|they|we|the|your|you|approved)|once (?:approved|reviewed|confirmed|"
    r"checked|we'?ve)|subject to|provided (?:that )?|pending|may be|might be)\b",
    re.I,
)


def _affirmed(cue: str, text: str) -> bool:
    """The cue said, not denied or made conditional ("non-refundable", "refund if approved")."""
    if _CONDITIONAL.search(text):
        return False
    return any(
        not _NEGATED.search(text[max(0, m.start() - 14) : m.start()])
        for m in CUES[cue].finditer(text)
    )


def _judgement(text: str) -> bool:
    return bool(_BEND.search(text)) or _affirmed("exception", text)


#: A customer asking for more than the usual: the request presupposes an obstacle.
_PLEA = re.compile(
    r"\b(?:is there (?:any ?way|anything)|any (?:way|chance)|anything (?:you|that) can (?:be )?do|"
    r"would it be possible|(?:make|do) an exception|i know (?:it'?s|the|you|that|this)|"
    r"i reali[sz]e|can (?:you|i|we) (?:still|possibly|just)|can (?:i|we|this|it) (?:pause|be fixed|"
    r"be changed|be moved)|what (?:can|could|should) i do|(?:can|could) (?:it|you|they|this|that) "
    r"(?:come|arrive|be (?:done|delivered|sent|ready))? ?(?:any )?(?:sooner|earlier|faster|quicker)|"
    r"i (?:really )?need (?:it|this|them|the \w+) (?:by|before|tonight|today|tomorrow|sooner)|"
    r"i'?(?:m| am) going to run out|is that (?:acceptable|ok(?:ay)?|possible|allowed|alright)|"
    r"would that be (?:ok(?:ay)?|acceptable|possible|alright)|can'?t (?:you|they) just)\b",
    re.I,
)


_GRANTED = re.compile(
    r"\b(?:i|we)(?:'ve| have)? (?:given|extended|granted|unlocked|reopened|reinstated|"
    r"removed|waived|moved|let|made|allowed|changed|redirected|restarted|overridden|overrode|"
    r"authori[sz]ed|approved|accepted|applied|lifted|raised|increased|upped|honou?red|covered)\b|"
    r"\b(?:okayed|signed off|agreed to)\b",
    re.I,
)


def empowerment_vote(ctx: JudgeContext, nos: Sequence[SaidNo]) -> JudgeVote:
    """The empowerment vote from the limits in the way and what the agent did with them."""
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    refusing = {i for n in nos for i in n.refusal_ids}
    limited = [
        s.turn_index
        for s in ctx.segments
        if s.role is Role.CUSTOMER and _CUSTOMER_LIMIT.search(s.text)
    ]
    ruled = [s.turn_index for s in agent if _AGENT_RULE.search(s.text)]
    judged = [s.turn_index for s in agent if _judgement(s.text)]
    pleas = [s.turn_index for s in ctx.segments if s.role is Role.CUSTOMER and _PLEA.search(s.text)]
    # a rule let stand, or bent on its merits, was in the customer's way whatever they said
    starts = [n.turn_index for n in nos] + limited + ruled + judged + pleas
    starts += discretion(ctx, 0).judged
    if not starts:
        return JudgeVote(
            judge="detector:limits",
            score=None,
            confidence=0.55,
            rationale="no rule or limit stood in the customer's way",
        )
    first = min(starts)
    after = [s for s in agent if s.turn_index >= first]
    # a refusal sentence may still bend the rule ("normally ..., but I've made an exception")
    exceptions = [
        s.id
        for s in after
        if _judgement(s.text)
        or (
            s.id not in refusing
            # a fix, the way round asked for, or the rule's own outcome changed
            and (_affirmed("remedy", s.text) or bool(pleas) or bool(_GRANTED.search(s.text)))
            and (has("action_done", s.text) or has("commitment", s.text) or _GRANTED.search(s.text))
        )
    ]
    alternative = any(n.alternative for n in nos) or any(
        has("alternative", s.text) for s in after if s.id not in refusing
    )
    rigid = sum(n.blunt_policy for n in nos)
    # a plea granted outright (done, nothing refused) is judgement used too
    granted = (
        bool(pleas)
        and not nos
        and not ruled
        and any(has("action_done", s.text) or _GRANTED.search(s.text) for s in after)
    )
    score = 3.0 if exceptions or granted else 2.0 if alternative else 0.5
    score -= min(1.0, 0.5 * rigid) if not exceptions else 0.0
    # the agent's own words on the rule outweigh the count of actions and alternatives
    used = discretion(ctx, first)
    if used.granted and not used.upheld:
        score, exceptions = 3.0, exceptions or used.granted
    elif used.upheld and not used.granted:
        score, exceptions = min(score, 1.5 if alternative else 0.5), []
    evidence = list(dict.fromkeys((used.granted or used.upheld)[:1] + exceptions[:1]))
    evidence = evidence or [i for n in nos for i in n.refusal_ids][:2]
    evidence = evidence or [s.id for s in agent if s.turn_index >= first][:1]
    return JudgeVote(
        judge="detector:limits",
        score=max(0.0, score),
        confidence=0.55 if nos or ruled else 0.5,
        evidence=evidence,
        rationale=f"a rule or limit in the way; alternative offered: {alternative}; "
        f"exception or remedy: {bool(exceptions)}; bare policy phrases: {rigid}; "
        f"discretion used: {len(used.granted)}, rule let stand: {len(used.upheld)}",
    )
