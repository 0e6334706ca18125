"""Escalation, judged from hand-off events (`grader._signals`) and what came after them.

A hand-off scores by what a warm one has (rubric anchor 3: context passed, the customer knew
who would help and when): said to whom, context passed, why or when; minus a customer who had
to start over. A transfer that ends with nobody there, or a hand-off the customer asked for and
the agent refused, is 0; a customer merely told to contact someone else is a cold hand-off.
"""

from __future__ import annotations

import re

import numpy as np

from grader._results import JudgeVote
from grader._transcript import AGENT_SIDE, Role
from grader.judges._cues import has
from grader.judges._protocol import JudgeContext

__all__ = ["QUOTED", "REPEAT_SIMILARITY", "escalation_vote"]

#: Two customer sentences this similar say the same thing again.
REPEAT_SIMILARITY = 0.82
#: Quoted text, codes and references a customer gives.
QUOTED = re.compile(
    r"'[^']{4,}'|\"[^\"]{4,}\"|\b[A-Za-z]+[-_][A-Za-z0-9-]{3,}\b|\b[A-Z]{1,5}-?\d{3,}\b"
)


#: A transfer that ended with nobody there.
_DROPPED = re.compile(
    r"\b(?:chat|call|conversation|session) (?:has )?(?:ended|dropped|disconnected|timed out)|"
    r"\b(?:disconnected|no agents? (?:are )?available)\b",
    re.I,
)
#: The agent refusing to hand the customer to anyone else.
_REFUSED_HANDOFF = re.compile(
    r"\b(?:there (?:isn'?t|is not|is no|'s no)|there'?s nobody|we (?:don'?t|do not) have) (?:one|anyone|"
    r"anybody|a (?:manager|supervisor))?\s*(?:more senior|else|above me|i can (?:put you through|"
    r"transfer you|pass you) to)|\bi'?m the (?:one|only one|most senior|highest)\b|\b(?:i )?"
    r"(?:can'?t|cannot|won'?t|am not able to|'m not able to) (?:put you through|transfer you|escalate "
    r"(?:this|it)|get (?:you )?(?:a|my) (?:manager|supervisor))",
    re.I,
)


#: The story passed with the case, said without the context cue's words.
_CARRIED = re.compile(
    r"\bwith (?:everything|all) (?:you'?ve (?:told|given|sent) (?:me|us)|you (?:said|told me|sent)|"
    r"(?:of )?(?:the|those|these|your) (?:details|documents|notes|photos|information|info))\b|"
    r"\b(?:with|including) (?:those|these|the) details\b|\bnote with (?:the|your|his|her|all)\b|"
    r"\b(?:i'?ve|i have) got (?:the|your) (?:note|notes|message|summary|details) (?:about|on|from)\b|"
    r"\bwith everything\b",
    re.I,
)
#: The customer left not knowing what the hand-off means for them.
_LOST = re.compile(
    r"\b(?:what happens (?:now|next)|so what now|what now\?|what do i do now|what'?s next|"
    r"(?:who|when) (?:will|is) (?:someone|anyone|they|it)|when will i hear|will someone (?:call|"
    r"contact|get back)|do i (?:need to|have to) (?:call|chase|contact) them)\b",
    re.I,
)
#: Whom the customer is going to, in words the general cue lacks ("Sandra, the care coordinator").
_WHOM = re.compile(
    r"\b(?:coordinators?|caseworkers?|case workers?|care managers?|schedulers?|planners?)\b|"
    r"\b[A-Z][a-z]+(?:,| from| in| on) (?:the |our )?(?:[\w-]+ )?(?:team|desk|warranty|claims|"
    r"billing|accounts|coordination|office)\b"
)
#: The customer saying they already told the story ("I've just explained all this").
_TOLD_BEFORE = re.compile(
    r"\b(?:i'?ve|i have|i) (?:just |already )?(?:explained|told (?:you|them|her|him)|said|been "
    r"through|gone through) (?:all )?(?:of )?(?:this|that|it)\b(?! (?:to|with) (?:you|them) "
    r"before and)",
    re.I,
)
#: A time said of the hand-off just done ("I've passed it to a colleague today") is not when
#: the customer will hear, unless the sentence also looks ahead.
_DONE_NOW = re.compile(
    r"\b(?:i|we)(?:'ve| have)? (?:just |now |already )?(?:passed|sent|forwarded|referred|handed|"
    r"escalated|raised|logged|transferred)\b",
    re.I,
)
_AHEAD = re.compile(
    r"\b(?:will|'ll|shall|going to|should|expect|aim to|within|by|until|before)\b", re.I
)


def escalation_vote(ctx: JudgeContext) -> JudgeVote:
    """The escalation vote from the hand-off events and what followed them."""
    events = ctx.signals.escalations
    asked = [
        s
        for s in ctx.segments
        if s.role is Role.CUSTOMER and (has("wants_human", s.text) or has("needs_more", s.text))
    ]
    if not events and not asked:
        return JudgeVote(
            judge="signals:handoffs",
            score=None,
            confidence=0.7,
            rationale="no hand-off and no request for one",
        )
    refused = [
        s.id for s in ctx.segments if s.role in AGENT_SIDE and _REFUSED_HANDOFF.search(s.text)
    ]
    if asked and refused and not events:
        return JudgeVote(
            judge="signals:handoffs",
            score=0.0,
            confidence=0.7,
            evidence=refused[:2],
            rationale="the customer asked for someone else and the agent refused the hand-off",
        )
    if not events:
        later = [
            s.id
            for s in ctx.segments
            if s.role in AGENT_SIDE and s.turn_index > asked[0].turn_index
        ]
        return JudgeVote(
            judge="signals:handoffs",
            score=0.5,
            confidence=0.65,
            evidence=later[:2],
            rationale="the customer asked for someone else (or the issue kept coming back) "
            "and was not handed over",
        )
    first = min(e.turn_index for e in events)
    window = [
        s for s in ctx.segments if s.role in AGENT_SIDE and first - 2 <= s.turn_index <= first + 2
    ]
    whom = [s.id for s in window if has("handoff_whom", s.text) or _WHOM.search(s.text)]
    context = [
        s.id
        for s in ctx.segments
        if s.role in AGENT_SIDE and (has("context_passed", s.text) or _CARRIED.search(s.text))
    ]
    given = {
        m.group(0).lower()
        for r in ctx.customer_rows
        if ctx.segments[r].turn_index < first
        for m in QUOTED.finditer(ctx.segments[r].text)
    }
    given |= {
        w
        for r in ctx.customer_rows
        if ctx.segments[r].turn_index < first
        for w in re.findall(r"\b[A-Z]{2,}\s?\d{2,}\b|\b\w+day\b", ctx.segments[r].text)
    }
    receiving = [s for s in ctx.segments if s.role in AGENT_SIDE and s.turn_index >= first]
    context += [s.id for s in receiving[:3] if any(g.lower() in s.text.lower() for g in given)]
    before = [r for r in ctx.customer_rows if ctx.segments[r].turn_index < first]
    after = [r for r in ctx.customer_rows if ctx.segments[r].turn_index > first]
    restarted = any(
        has("already_said", ctx.segments[r].text) or _TOLD_BEFORE.search(ctx.segments[r].text)
        for r in after
    )
    if ctx.has_vectors and before and after:
        restarted |= bool((ctx.vectors[after] @ ctx.vectors[before].T).max() >= REPEAT_SIMILARITY)
    # why the hand-off, or what happens next and when (anchor 3: "knew who would help and when")
    told = [
        s.id
        for s in window
        if has("reason", s.text)
        or (
            has("time_concrete", s.text) and (_AHEAD.search(s.text) or not _DONE_NOW.search(s.text))
        )
    ]
    # "So what happens now?" after it: the customer was not told
    lost = any(_LOST.search(ctx.segments[r].text) for r in after)
    told = [] if lost else told
    score = 1.0 + (0.5 if whom else 0.0) + (1.0 if context else 0.0) + (0.5 if told else 0.0)
    score -= (1.0 if restarted else 0.0) + (0.5 if lost else 0.0)
    # transferred, then left: no one picked up, or the chat or call ended on the customer
    after_last = ctx.transcript.turns[max(e.turn_index for e in events) + 1 :]
    dropped = any(
        (t.role is Role.CUSTOMER and has("left_waiting", t.text))
        or (t.role is Role.SYSTEM and bool(_DROPPED.search(t.text)))
        for t in after_last
    ) and not any(t.role in AGENT_SIDE for t in after_last)
    if dropped:
        score = 0.0
    cold = all(e.kind == "sent_elsewhere" for e in events)
    if cold:  # told to contact someone else and start again: a cold hand-off at best
        score = min(score, 1.0) - (0.5 if not whom else 0.0)
    return JudgeVote(
        judge="signals:handoffs",
        score=float(np.clip(score, 0, 3)),
        confidence=0.6,
        evidence=list(dict.fromkeys(context + whom))[:3],
        rationale=f"{', '.join(e.kind for e in events)}; said to whom: {bool(whom)}; "
        f"context passed: {bool(context)}; why or when told: {bool(told)}; "
        f"customer started over: {restarted}; customer left asking what next: {lost}",
    )
