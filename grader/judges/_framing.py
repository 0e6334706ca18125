"""Detector votes on how the agent says "no" and does the work.

Elements: message framing, empowerment, diligence and expectation setting.

Message framing reads each agent turn that refuses or cites a limit (the policy-speak
detector's phrases, plus refusal wording): does the turn (or the next agent turn) give the
reason, offer what can be done, and lead with it? An unexplained policy phrase counts as no
reason. The conversation's framing is the mean of the worst turn and the average turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader._results import JudgeVote
from grader._segments import Segment
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import CUES, count, has
from grader.judges._ownership import closed_by_agent, done_by_agent
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["POLICY_KINDS", "framing_judge"]

#: Policy-speak kinds that state a rule or limit (others the detector reports, such as
#: greetings read as deflection, are left to the refusal and deflection cues).
POLICY_KINDS = frozenset(
    {
        "policy_citation",
        "rules_are_rules",
        "no_exceptions",
        "guideline_appeal",
        "nothing_to_do",
        "deflection",
        "no_responsibility",
        "system_says_no",
        "blame_customer",
    }
)


#: News that something is not available, said as a "no" ("No, exit rows are fully booked").
_UNAVAILABLE = re.compile(
    r"^\s*no[,.!]\s|\b(?:fully|all) (?:booked|taken|gone|sold)\b|\bsold out\b|"
    r"\bout of stock\b|\bnone left\b|\b(?:is|are) (?:all )?taken\b|\bunavailable\b|"
    r"\bno (?:seats|rooms|tables|slots|appointments|spaces|places) (?:left|available)\b",
    re.I,
)


@dataclass(frozen=True)
class _NoTurn:
    """An agent turn that says no, and how it says it."""

    turn_index: int
    refusal_ids: list[str]
    reason: bool
    alternative: bool
    leads_with_alternative: bool
    blunt_policy: bool

    @property
    def level(self) -> float:
        if self.blunt_policy and not self.alternative:
            return 0.0
        given = int(self.reason) + int(self.alternative)
        if given < 2:
            return float(given) - (0.5 if self.blunt_policy and given else 0.0)
        return 3.0 if self.leads_with_alternative else 2.0


def _turn_segments(ctx: JudgeContext) -> dict[int, list[Segment]]:
    out: dict[int, list[Segment]] = {}
    for seg in ctx.segments:
        if seg.role in AGENT_SIDE:
            out.setdefault(seg.turn_index, []).append(seg)
    return out


def _no_turns(ctx: JudgeContext) -> list[_NoTurn]:
    turns = _turn_segments(ctx)
    hits = [h for h in ctx.signals.policy_speak if h.kind in POLICY_KINDS]
    blunt = {h.turn_index for h in hits if not h.explained}
    cited = {h.turn_index for h in hits}
    order = sorted(turns)
    out = []
    for pos, t in enumerate(order):
        segs = turns[t]
        refusals = [s for s in segs if has("refusal", s.text) or _UNAVAILABLE.search(s.text)]
        if not refusals and t not in cited:
            continue
        if not refusals:  # the policy phrase is the refusal
            refusals = [s for s in segs if any(h.phrase in s.text for h in hits)]
            refusals = refusals or segs[:1]
        first_no = min(i for i, s in enumerate(segs) if s in refusals)
        # what can be done: in this turn, or the next agent turn before the customer pushes
        alts = [i for i, s in enumerate(segs) if has("alternative", s.text) and s not in refusals]
        nxt = order[pos + 1] if pos + 1 < len(order) else None
        customer_between = nxt is not None and any(
            ctx.transcript.turns[k].role is Role.CUSTOMER for k in range(t + 1, nxt)
        )
        later_alt = (
            nxt is not None
            and not customer_between
            and any(has("alternative", s.text) for s in turns[nxt])
        )
        reason = any(has("reason", s.text) for s in segs) and t not in blunt
        out.append(
            _NoTurn(
                turn_index=t,
                refusal_ids=[s.id for s in refusals],
                reason=reason,
                alternative=bool(alts) or later_alt,
                leads_with_alternative=bool(alts) and min(alts) < first_no,
                blunt_policy=t in blunt,
            )
        )
    return out


def _framing(nos: list[_NoTurn]) -> JudgeVote:
    if not nos:
        return JudgeVote(
            judge="detector:framing",
            score=3.0,
            confidence=0.35,
            rationale="no refusal, limit or policy statement to frame",
        )
    levels = [n.level for n in nos]
    score = 0.5 * min(levels) + 0.5 * sum(levels) / len(levels)
    worst = min(nos, key=lambda n: n.level)
    return JudgeVote(
        judge="detector:framing",
        score=round(score, 3),
        confidence=0.7 if any(n.blunt_policy for n in nos) else 0.6,
        evidence=worst.refusal_ids[:2],
        rationale=f"{len(nos)} turn(s) saying no; worst: reason={worst.reason}, "
        f"alternative={worst.alternative}, leads with it={worst.leads_with_alternative}"
        + (", bare policy phrase" if worst.blunt_policy else ""),
    )


_CUSTOMER_LIMIT = re.compile(
    r"\b(?:can'?t (?:afford|pay|make)|out of (?:warranty|stock|time)|warranty|expired|"
    r"(?:past|after|outside|missed) (?:the )?(?:[\w-]+ )?(?:deadline|window|date|cut-?off|return period)|"
    r"(?:guarantee|warranty|cover|contract|offer|trial)s? (?:has |had )?(?:ran|run|running|expired) out|"
    r"ran out|(?:have|had|has) to pay|(?:is|are|was) (?:now )?chargeable|"
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


def _empowerment(ctx: JudgeContext, nos: list[_NoTurn]) -> JudgeVote:
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
    starts = [n.turn_index for n in nos] + limited + ruled + judged + pleas
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
    evidence = exceptions[:2] or [i for n in nos for i in n.refusal_ids][:2]
    evidence = evidence or [s.id for s in agent if s.turn_index >= first][:1]
    return JudgeVote(
        judge="detector:limits",
        score=max(0.0, score),
        confidence=0.55 if nos or ruled else 0.5,
        evidence=evidence,
        rationale=f"a rule or limit in the way; alternative offered: {alternative}; "
        f"exception or remedy: {bool(exceptions)}; bare policy phrases: {rigid}",
    )


#: Legwork the agent did in person ("I then rang their dispatch desk and spoke to ...").
_LEGWORK = re.compile(
    r"\b(?:i|we) (?:then |also |personally |just |already |have |'ve )?(?:rang|called|phoned|spoke|"
    r"chased|contacted|visited|went (?:down|over|and)|walked (?:over|down)|got hold of|tracked down)\b",
    re.I,
)
_TASK = r"(?:call|ring|phone|contact|chase|email|e-mail|get in touch with|speak to|reach out to|check with)"
_HANDED_BACK = re.compile(
    rf"\b(?:(?:i'?d|i would|we'?d|we would) (?:recommend|suggest|advise)(?: that)? you|"
    rf"you(?:'ll| will)? (?:need|have|want) to|(?:it'?s )?best (?:to|if you)|you (?:should|could|may "
    rf"want to|might want to)|please) (?:\w+ ){{0,2}}{_TASK}\b(?! (?:us|me|back|again)\b)",
    re.I,
)


def _diligence(ctx: JudgeContext) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    owned = [
        s.id
        for s in agent
        if has("action_done", s.text)
        or has("commitment", s.text)
        or _LEGWORK.search(s.text)
        or done_by_agent(s.text)
    ]
    # closing the chat on the customer is giving up, whatever was said before it
    closed = closed_by_agent(ctx)
    # the chasing left to the customer ("I'd recommend you call their dispatch desk")
    handed = [s.id for s in agent if _HANDED_BACK.search(s.text) and s.id not in owned]
    deflected = [s.id for s in agent if has("deflection", s.text)]
    deflected += [
        s.id
        for h in ctx.signals.policy_speak
        if h.kind in ("deflection", "no_responsibility", "nothing_to_do", "system_says_no")
        and not h.explained
        for s in agent
        if s.turn_index == h.turn_index and h.phrase in s.text and s.id not in deflected
    ]
    score = 1.5 + 0.75 * min(len(owned), 3) - 1.0 * min(len(deflected), 2)
    score -= 0.75 * min(len(handed), 2) + 1.0 * bool(closed)
    return JudgeVote(
        judge="detector:ownership",
        score=max(0.0, min(3.0, score)),
        confidence=0.55 if owned or deflected else 0.4,
        evidence=(deflected + owned)[:3] if deflected else owned[:3],
        rationale=f"{len(owned)} action(s) taken or promised, {len(deflected)} deflection(s), "
        f"{len(handed)} task(s) handed back to the customer; closed by the agent: {bool(closed)}",
    )


def _expectations(ctx: JudgeContext) -> JudgeVote:
    agent = [s for s in ctx.segments if s.role in AGENT_SIDE]
    concrete = [s.id for s in agent if has("time_concrete", s.text)]
    steps = [s.id for s in agent if has("next_step", s.text)]
    vague = [s.id for s in agent if has("vague_time", s.text) and not has("time_concrete", s.text)]
    over = sum(count("overpromise", s.text) for s in agent)
    over_ids = [s.id for s in agent if has("overpromise", s.text)]
    score = 1.0 + (1.0 if concrete else 0.0) + (1.0 if steps else 0.0)
    score -= 0.5 * min(len(vague), 2) + 1.0 * min(over, 3)
    return JudgeVote(
        judge="detector:expectations",
        score=max(0.0, min(3.0, score)),
        confidence=0.6 if over else 0.5,
        evidence=(over_ids + concrete + steps)[:3],
        rationale=f"{len(concrete)} concrete time(s), {len(steps)} next step(s), "
        f"{len(vague)} vague, {over} over-promise(s)",
    )


def framing_judge() -> Judge:
    """Votes on message_framing, empowerment, diligence and expectation_setting."""

    async def judge(ctx: JudgeContext) -> Votes:
        nos = _no_turns(ctx)
        return {
            "message_framing": _framing(nos),
            "empowerment": _empowerment(ctx, nos),
            "diligence": _diligence(ctx),
            "expectation_setting": _expectations(ctx),
        }

    return judge
