"""Structural signs of unprofessional conduct that no word list of insults catches.

Three shapes, each about who said what to whom rather than a fixed phrase:
- the customer calls out the agent's manner in the turn after it ("don't patronise me");
- the agent answers with a rhetorical tag question about itself after a negation ("we can't
  put a mast in your living room, can we?"), or says the obvious was "hardly a secret";
- the agent shares its own private life (a partner, money spent) with laughter or a confession.
"""

from __future__ import annotations

import re

from grader._transcript import AGENT_SIDE, Role
from grader.judges._protocol import JudgeContext

__all__ = ["called_out", "personal_overshare", "rhetorical_jibe"]

#: The customer objects to how they are being spoken to (not to the company or the outcome).
_CALLED_OUT = re.compile(
    r"\b(?:(?:don'?t|do not|stop|quit) (?:you )?(?:be(?:ing)? )?(?:patronis|patroniz|talk\w* down to|"
    r"lectur|mock|belittl)\w*|"
    r"(?:no|there'?s no|is there any) need (?:for|to be) (?:that|the|so|this|such)?\s*"
    r"(?:rude|sarcas\w*|snarky|smug|snide|tone|attitude|cheek\w*|condescending|patronising|"
    r"patronizing|like that)|"
    r"(?:less of|what'?s with|drop|lose|watch) (?:the|your) (?:attitude|tone|sarcasm|cheek)|"
    r"(?:i )?(?:don'?t|do not) (?:appreciate|like) (?:your|the|that) (?:tone|attitude|sarcasm)|"
    r"(?:are|were) you (?:being )?(?:sarcastic|serious right now|mocking me|having a laugh at me)|"
    r"how (?:rude|patronising|patronizing|condescending)|"
    r"(?:that'?s|you'?re|you are|being|so|bit|very|really) (?:patronising|patronizing|condescending|"
    r"snarky|smug|sarcastic)|"
    r"(?:talk|speak) to me like (?:that|a child|an idiot))",
    re.I,
)

#: "..., can we?" after a negation: a rhetorical question about what the agent can't do.
_TAG_JIBE = re.compile(
    r"\b(?:can'?t|cannot|won'?t|don'?t|doesn'?t|isn'?t|aren'?t|not)\b[^.?!]{3,90},\s*"
    r"(?:can|will|do|does|could|would)\s+(?:we|i)\s*\?",
    re.I,
)
#: "it's not exactly hidden", "hardly a secret": the customer told they should have known.
_OBVIOUS = re.compile(
    r"\b(?:it|that|this|\w+)(?:'s| is| was)(?:n'?t| not)? (?:exactly |really )?(?:not )?"
    r"(?:hardly |not exactly )?(?:hidden|a (?:big )?secret|news|buried|in small print)\b",
    re.I,
)
_NEGATED = re.compile(r"\bnot\b|n'?t\b|\bhardly\b", re.I)

_FAMILY = re.compile(
    r"\bmy (?:other half|husband|wife|missus|misses|hubby|partner|boyfriend|girlfriend|ex|kids|"
    r"mum|mom|dad|mother-in-law|in-laws|fella|bloke)\b",
    re.I,
)
_CONFESSION = re.compile(
    r"\b(?:haha+|hehe+|lol|lmao|innit|i (?:blew|splurged|wasted|cashed|frittered|lost|spent)\b)",
    re.I,
)


def called_out(ctx: JudgeContext) -> list[str]:
    """Agent sentences whose manner the customer objected to in the next customer turn."""
    out: list[str] = []
    last_agent: list[str] = []
    last_turn = -1
    for seg in ctx.segments:
        if seg.role in AGENT_SIDE:
            if seg.turn_index != last_turn:
                last_agent, last_turn = [], seg.turn_index
            last_agent.append(seg.id)
        elif seg.role is Role.CUSTOMER and last_agent and _CALLED_OUT.search(seg.text):
            out.extend(last_agent)
            last_agent = []
    return out


def rhetorical_jibe(text: str) -> bool:
    """A tag question about the agent's own limits, or the obvious thrown back at them."""
    if _TAG_JIBE.search(text):
        return True
    hit = _OBVIOUS.search(text)
    return bool(hit and _NEGATED.search(hit.group(0)))


def personal_overshare(text: str) -> bool:
    """The agent's family life or spending shared as a joke or a confession."""
    return bool(_FAMILY.search(text) and _CONFESSION.search(text))
