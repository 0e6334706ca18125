"""Facts computed in code, given to the model and written into the report.

Times come from turn timestamps (absent when the transcript has none); escalations and
policy-speak from roles and patterns. The model is told these are facts, not opinions.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field

from grader._policy_speak import find_policy_speak
from grader._transcript import AGENT_SIDE, Role, Transcript

__all__ = ["EscalationEvent", "PolicySpeakHit", "Signals", "compute_signals"]

_TRANSFER = re.compile(
    r"\b(?:(?:transferr?(?:ed|ing)?|escalat(?:e|ed|ing)|hand(?:ing|ed)?\s+(?:you\s+)?over|"
    r"connect(?:ing)?\s+you|put(?:ting)?\s+you\s+through|pass(?:ing)?\s+you\s+(?:on|over)|"
    r"mov(?:e|ing)\s+you\s+(?:over\s+|across\s+)?to|"
    r"bring(?:ing)?\s+in)\b"
    r".{0,60}\b(?:supervisor|manager|specialist|tier\s*2|second[- ]line|team|agent|colleague|"
    r"human|department|expert|lead|nurse|doctor|clinician|pharmacist|engineer|technician|"
    r"adjuster|underwriter|billing|accounts|claims|returns|sales|support|technical|complaints|"
    r"refunds|lettings|logistics|fraud|repairs|bookings|reservations|admissions)\b"
    r"|\btransferr?ing you(?:\s+now)?\s*[.!]?$|\btransferr?ing you (?:now|over|across|through)\b"
    r"|\b(?:i'?ll|i will|let me|i'?m going to|we'?ll|we will) (?:just |now )?(?:put you through|"
    r"transfer you|connect you|pass you (?:on|over|across)|get you through)\b"
    r"|\b(?:mov(?:e|ing|ed)|put(?:ting)?|pass(?:ing|ed)?|transferr?(?:ing|ed)?|connect(?:ing|ed)?)"
    r"\s+you\s+(?:through\s+|over\s+|across\s+|on\s+)?to\s+(?:them|him|her)\b)",
    re.IGNORECASE,
)

_TEAM = re.compile(
    r"\b(?:supervisor|manager|specialist|tier\s*2|second[- ]line|team|department|expert|"
    r"engineers?|engineering|technicians?|colleague|lead|desk|unit|office|nurse|doctor|gp|"
    r"pharmacist|dentist|clinician|solicitor|adviser|advisor|surveyor|assessor|adjuster|depot|"
    r"warehouse|billing|accounts|claims|returns|logistics|fraud|safeguarding|underwriting|"
    r"underwriter|officer|crew|inspector|handler|reviewer|case manager|complaints|coordinator|"
    r"coordination|warranty|scheduler|planner)s?\b",
    re.IGNORECASE,
)
#: The agent handing the case itself to another team ("I've passed your case to claims").
_REFERRED = re.compile(
    r"\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|already\s+)?(?:raised|opened|logged|"
    r"referred|passed|sent|forwarded|escalated|handed|flagged|assigned|booked)\s+"
    r"(?:(?:a|an|the|your|this|it|them)\s+)?(?:\w+\s+)?(?:case|ticket|request|claim|complaint|"
    r"issue|query|details|report|job|it|this)?\s*(?:[A-Z]{1,5}-?\d{3,}\s+)?"
    r"(?:on\s+|over\s+|along\s+)?(?:to|with)\b"
    r"|\b(?:i'?m|we'?re|i am|we are) (?:now )?(?:passing|sending|referring|escalating|forwarding|"
    r"handing) (?:it|this|that|your \w+|the \w+)?\s*(?:straight |directly |over |on )?(?:to|with)\b"
    r"|\b(?:i'?ll|i will|let me|i'?m going to) (?:go and )?(?:get|fetch|grab|bring (?:in|over)|"
    r"call over|find) (?:him|her|them|my|our|a|the)\b"
    r"|\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|also\s+)?(?:sent|passed|given|messaged|"
    r"emailed|briefed|asked|alerted)\s+(?:[A-Z][a-z]+\s+\(?)?(?:(?:the|our|your|a|an)\s+)?"
    r"(?:[\w-]+\s+){0,2}(?:team|department|desk|unit|nurse|doctor|specialist|engineer|"
    r"technician|manager|supervisor|depot|colleague|pharmacist|office)s?\b"
    r"|\b(?:loop(?:ing|ed)? in|cc'?(?:e)?d|copied in|copying in)\b"
    r"|\b(?:i'?ll|i will|let me|i'?m going to|we'?ll|we will) (?:now |just |straight away )?(?:pass|send|"
    r"refer|forward|hand|escalate) (?:it|this|that|them|your \w+|the \w+|everything)\s*(?:straight |"
    r"directly )?(?:on |over |across |along |up )?(?:to|with)\b"
    r"|\b(?:message|messag(?:ed|ing)|brief(?:ed|ing)?|email(?:ed|ing)?|text(?:ed|ing)?) (?:her|him|"
    r"them) (?:with|about) (?:everything|all (?:of )?(?:it|this|the details)|the details|your details)\b"
    r"|\b(?:passed|sent|forwarded|referred|handed|escalated|passing|sending|forwarding|referring|"
    r"handing|escalating|raising|raised)\s+(?:it|this|them|that|your \w+|the \w+)\b[^.?!]{0,120}?"
    r"\b(?:to|with|for)\s+(?:the|our|another|a|an|my|them|him|her|[A-Z])"
    r"|\b(?:raising|raised|logging|logged|opening|opened) (?:it|this) as (?:a )?(?:formal |stage \w+ )?"
    r"(?:complaint|case|claim|incident)"
    r"|\b(?:i'?ve|i have|i'?ll|i will|let me|i'?m going to) (?:asked|ask|get|got|have|had)\b"
    r"[^.?!]{0,50}\b(?:to (?:call|ring|phone|contact|email|review|look (?:into|at)|check|get back|"
    r"follow up|visit|give you a (?:call|ring)|get in touch)|call you|ring you|contact you)\b"
    r"|\b(?:my|our|the|a|an) (?:[\w-]+ ){0,3}(?:team|department|desk|unit|manager|supervisor|"
    r"specialist|engineer|technician|nurse|doctor|adviser|advisor|colleague|lead)s? (?:will|'ll|"
    r"are going to|is going to|are|is)\s+(?:now\s+)?(?:call|ring|phone|contact|email|be in touch|"
    r"get back|reply|review|look into|take over|taking over|pick (?:it|this) up|follow up|visit)\b"
    r"|\bsomeone (?:from|in|on) (?:our|the|my) [^.?!]{0,30}\b(?:will|'ll)\b"
    r"|\bflagged (?:this|it|your \w+) (?:for|to)\b"
    r"|\b(?:i|we)(?:'ve| have)?\s+(?:booked|arranged|scheduled|sent)\s+(?:one|them|him|her|"
    r"(?:a|an|our)\s+(?:\w+\s+)?(?:technician|engineer|specialist|nurse|doctor|adjuster|"
    r"visit|callback))\b",
    re.IGNORECASE,
)
#: The agent sending the customer to another team to start again ("please call them on ...").
_ELSEWHERE = re.compile(
    r"\b(?:please|you(?:'ll| will)? (?:need|have|must) to|you can|you could|you should|"
    r"you might want to|best to|try to)\s+"
    r"(?:call|contact|ring|phone|email|reach|write to|get in touch with|speak (?:to|with)|"
    r"go back (?:to|and)|ask (?:to speak )?(?:to|for)|ask|take (?:it|this|that) up with)\s+"
    r"(?:[\w ]{0,30}?\s)?(?:them|our|the|their|a|your)\b"
    r"|\b(?:just |please )?(?:drop|give) (?:them|him|her) (?:an email|a line|a message|a note|a call|"
    r"a ring|a bell)\b"
    r"|\b(?:you can|please|you(?:'ll| will)? need to) (?:report|submit|raise|log|send|make|open) "
    r"(?:it|this|them|(?:the|a|an|your) (?:new |separate )?\w+)\b[^.]{0,40}\b(?:form|page|portal|"
    r"link|address|inbox|website|app)\b"
    r"|\b(?:handled|dealt with|managed|looked after|taken care of|covered) by (?:a |an |our |the |"
    r"another )?(?:different |separate |other |specialist )?(?:\w+ )?(?:team|department|desk|unit)\b",
    re.IGNORECASE,
)

#: ... or to a named service or number ("you can ring NHS 111", "call 0800 ..."), unless
#: offered only in case ("if you have other questions, call ...").
_ELSEWHERE_NAMED = re.compile(
    r"(?:^|(?<=[.?!] ))(?![^.?!]*\bif\b)[^.?!]*\b(?i:you(?: can| could| should| will need to|'ll need to| need to| have to|'ll have to)|"
    r"please) (?i:ring|call|phone|contact) (?:[A-Z]{2,}|\d{3,}|(?i:[^.?!]{0,50}\b(?:on|at)) "
    r"\+?\d[\d ]{4,})",
    re.MULTILINE,
)


class EscalationEvent(BaseModel):
    """A hand-off seen in the conversation."""

    kind: str = Field(
        description="bot_to_human | to_supervisor | transfer_announced | case_referred "
        "(the agent passed the case to another team) | sent_elsewhere (the customer was told "
        "to contact another team themselves)"
    )
    turn_index: int


class PolicySpeakHit(BaseModel):
    """A policy-speak phrase in an agent-side turn."""

    turn_index: int
    phrase: str
    kind: str
    explained: bool


class Signals(BaseModel):
    """Deterministic facts about one conversation."""

    customer_turns: int
    agent_turns: int
    first_response_seconds: float | None = None
    longest_customer_wait_seconds: float | None = None
    handle_time_seconds: float | None = None
    escalations: list[EscalationEvent] = Field(default_factory=list)
    policy_speak: list[PolicySpeakHit] = Field(default_factory=list)


def _seconds(a: datetime, b: datetime) -> float:
    return max(0.0, (b - a).total_seconds())


def _waits(transcript: Transcript) -> tuple[float | None, float | None]:
    """First response time and the longest wait of a customer for the company's reply."""
    waiting_since: datetime | None = None
    first: float | None = None
    longest: float | None = None
    for turn in transcript.turns:
        if turn.timestamp is None:
            continue
        if turn.role is Role.CUSTOMER and waiting_since is None:
            waiting_since = turn.timestamp
        elif turn.role in AGENT_SIDE and waiting_since is not None:
            wait = _seconds(waiting_since, turn.timestamp)
            first = wait if first is None else first
            longest = wait if longest is None else max(longest, wait)
            waiting_since = None
    return first, longest


#: A referral that needs no team named: "I've passed your case on", "I've passed her your notes".
_PASSED_ON = re.compile(
    r"\b(?:passed|handed|sent|forwarded|given)\s+(?:it|this|that|your (?:case|claim|query|request|"
    r"complaint|details|email|message|booking|notes?))\s+(?:on|over|along|through)\b"
    r"|\b(?:passed|sent|given|forwarded|handed)\s+(?:her|him|them)\s+(?:your|the|all|everything)\b",
    re.IGNORECASE,
)


def _escalations(transcript: Transcript) -> list[EscalationEvent]:
    events: list[EscalationEvent] = []
    seen_bot = seen_agent = seen_supervisor = False
    for i, turn in enumerate(transcript.turns):
        if turn.role is Role.BOT:
            seen_bot = True
        elif turn.role is Role.AGENT and seen_bot and not seen_agent:
            events.append(EscalationEvent(kind="bot_to_human", turn_index=i))
        if turn.role is Role.SUPERVISOR and not seen_supervisor:
            events.append(EscalationEvent(kind="to_supervisor", turn_index=i))
            seen_supervisor = True
        seen_agent = seen_agent or turn.role is Role.AGENT
        if turn.role in (*AGENT_SIDE, Role.SYSTEM) and _TRANSFER.search(turn.text):
            events.append(EscalationEvent(kind="transfer_announced", turn_index=i))
        elif turn.role in AGENT_SIDE and _TEAM.search(turn.text):
            if _REFERRED.search(turn.text):
                events.append(EscalationEvent(kind="case_referred", turn_index=i))
            elif _ELSEWHERE.search(turn.text):
                events.append(EscalationEvent(kind="sent_elsewhere", turn_index=i))
        elif turn.role in AGENT_SIDE and _ELSEWHERE_NAMED.search(turn.text):
            events.append(EscalationEvent(kind="sent_elsewhere", turn_index=i))
        elif turn.role in AGENT_SIDE and _PASSED_ON.search(turn.text):
            events.append(EscalationEvent(kind="case_referred", turn_index=i))
    return events


def compute_signals(transcript: Transcript) -> Signals:
    """All signals for one transcript."""
    stamps = [t.timestamp for t in transcript.turns if t.timestamp is not None]
    first, longest = _waits(transcript)
    return Signals(
        customer_turns=sum(t.role is Role.CUSTOMER for t in transcript.turns),
        agent_turns=sum(t.role in AGENT_SIDE for t in transcript.turns),
        first_response_seconds=first,
        longest_customer_wait_seconds=longest,
        handle_time_seconds=_seconds(min(stamps), max(stamps)) if len(stamps) >= 2 else None,
        escalations=_escalations(transcript),
        policy_speak=[
            PolicySpeakHit(turn_index=i, phrase=hit.phrase, kind=hit.kind, explained=hit.explained)
            for i, turn in enumerate(transcript.turns)
            if turn.role in AGENT_SIDE
            for hit in find_policy_speak(turn.text)
        ],
    )
