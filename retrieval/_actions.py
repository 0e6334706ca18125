"""Actions a reply says were already taken ("I've voided the duplicate", "I'm emailing you").

A model answer records what its agent did in its own case. Copied into this one, "I've
opened a trace" claims something nobody has done: an unbacked commitment. Composition turns
such a claim into an offer ("I can open a trace"), and the checks refuse any claim the
agent's own draft or turns do not make.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ClaimedAction", "as_offer", "claimed_actions", "unbacked_actions"]

_IRREGULAR = {
    "sent": "send",
    "made": "make",
    "given": "give",
    "put": "put",
    "set": "set",
    "read": "read",
    "written": "write",
    "done": "do",
    "taken": "take",
    "told": "tell",
    "left": "leave",
    "found": "find",
    "got": "get",
    "gotten": "get",
    "brought": "bring",
    "paid": "pay",
    "kept": "keep",
    "held": "hold",
    "spoken": "speak",
    "begun": "begin",
    "sent out": "send out",
}
#: Verbs that double a final l before -ed/-ing in British spelling (cancelled, labelling).
_DOUBLE_L = frozenset(["cancel", "label", "travel", "model", "signal", "fuel", "channel"])
_PARTICIPLE = r"(?:[a-z]+ed|" + "|".join(sorted(_IRREGULAR, key=len, reverse=True)) + r")"
_ADVERB = r"(?:just|already|now|also|since|personally|gone\s+ahead\s+and)"
#: "I've (just) voided", "we have opened", "I've gone ahead and cancelled".
_PERFECT = re.compile(
    rf"\b(?P<who>I|we)\s*(?:'ve|\s+have)\s+(?:{_ADVERB}\s+)*(?P<verb>{_PARTICIPLE})\b",
    re.IGNORECASE,
)
#: "I'm emailing you", "we are sending" (not "I'm sorry", "I'm going to", "I'm happy to").
_PROGRESSIVE = re.compile(
    rf"\b(?P<who>I|we)\s*(?:'m|'re|\s+am|\s+are)\s+(?:{_ADVERB}\s+)*"
    r"(?!going\b|being\b|looking\s+forward\b|willing\b|hoping\b|trying\b|wondering\b)"
    r"(?P<verb>[a-z]+ing)\b",
    re.IGNORECASE,
)
#: "I cancelled it", "we refunded the fee": a plain past tense of an agent's action.
_PAST = re.compile(
    r"\b(?P<who>I|we)\s+(?:(?:just|already|also)\s+)?(?P<verb>(?:cancel|refund|void|issu|open"
    r"|email|sen|credit|waiv|escalat|arrang|process|reset|updat|chang|book|ship|add|appl|upgrad"
    r"|replac|reissu|forward|shar|flagg|log|note|check|ask|pass|submitt|reach)(?:l?ed|t|d))\b",
    re.IGNORECASE,
)
#: What follows a verb in the same clause and is coordinated with it ("cancelled it and
#: refunded the fee").
_AND_VERB = re.compile(rf"\band\s+(?P<verb>{_PARTICIPLE}|[a-z]+ing)\b", re.IGNORECASE)
_VOWEL = "aeiou"


@dataclass(frozen=True)
class ClaimedAction:
    """A passage saying the agent did (or is now doing) something."""

    phrase: str
    verb: str
    start: int
    end: int


def _base(form: str) -> str | None:
    """The base form of a past participle or -ing form ('voided' -> 'void'), or None."""
    word = form.lower()
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ied"):
        return word[:-3] + "y"
    if word.endswith("ed"):
        stem = word[:-2]
    elif word.endswith("ing"):
        stem = word[:-3]
    else:
        return None
    if len(stem) < 2:
        return None
    if stem.endswith("ll"):
        return stem[:-1] if stem[:-1] in _DOUBLE_L else stem  # cancelled; called
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] in "bgmnpt":
        return stem[:-1]  # stopped, shipped, flagged, submitted
    if stem.endswith("ss"):
        return stem
    single_vowel = len(stem) > 2 and stem[-2] in _VOWEL and stem[-3] not in _VOWEL
    needs_e = (
        stem[-1] in "vzcu"
        or stem.endswith("dg")
        or (stem[-1] == "s" and not stem.endswith("ss"))
        or (stem[-1] == "g" and stem[-2] in "nr")
        or (stem[-1] == "l" and (stem[-2] not in _VOWEL or stem.endswith("ul")))
        or (stem[-1] in "trd" and single_vowel and stem[-2] in "aoui")
        or (stem[-1] == "b" and stem[-2] == "i")
    )
    return stem + "e" if needs_e else stem


def _matches(text: str) -> Iterable[re.Match[str]]:
    for rx in (_PERFECT, _PROGRESSIVE, _PAST):
        yield from rx.finditer(text)


def claimed_actions(text: str) -> list[ClaimedAction]:
    """Every passage saying the agent has done, or is now doing, something."""
    found = [
        ClaimedAction(m.group(0), m.group("verb").lower(), m.start(), m.end())
        for m in _matches(text)
    ]
    return sorted(found, key=lambda a: a.start)


def unbacked_actions(text: str, said: Iterable[str]) -> list[ClaimedAction]:
    """Claimed actions whose verb the agent's own draft or turns (`said`) do not claim."""
    done = {a.verb for t in said for a in claimed_actions(t)}
    return [a for a in claimed_actions(text) if a.verb not in done]


def as_offer(sentence: str) -> str | None:
    """`sentence` with each action claimed as done said as an offer ("I can void ...").

    None when a verb cannot be put in its base form.
    """
    out = sentence
    for m in reversed(list(_matches(sentence))):
        base = _base(m.group("verb"))
        if base is None:
            return None
        who = m.group("who")
        offer = f"{who} can {base}"
        tail = out[m.end() :]
        clause_end = re.search(r"[,;:.!?]", tail)
        clause = tail[: clause_end.start()] if clause_end else tail
        for coord in reversed(list(_AND_VERB.finditer(clause))):
            other = _base(coord.group("verb"))
            if other is None:
                return None
            clause = clause[: coord.start("verb")] + other + clause[coord.end("verb") :]
        rest = clause + (tail[clause_end.start() :] if clause_end else "")
        out = out[: m.start()] + offer + rest
    return out
