"""The customer's mood, turn by turn, without a large model.

Two readings averaged: VADER (a lexicon-and-rules sentiment scorer that weighs punctuation,
capitals and negation) and the MiniLM vectors' similarity to generic prototypes of an upset
and a satisfied customer. Each is weak alone: VADER reads "Fine." as content, the vectors
miss sarcasm, but they err differently. A turn's mood is in -1 (upset) .. +1 (satisfied).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from grader._embedding import SentenceEncoder
from grader._transcript import Role
from grader.judges._protocol import JudgeContext

__all__ = ["TurnMood", "closing_tone", "customer_moods"]

#: Generic prototypes of how customers sound, in any industry.
_UPSET = (
    "This is unacceptable and I am really angry.",
    "I'm so frustrated, nothing you say is helping.",
    "Forget it, I'm taking my business elsewhere.",
    "I will never buy from you again.",
    "That's ridiculous, this is terrible service.",
    "I'm very disappointed with how this was handled.",
    "Are you serious? That makes no sense at all.",
    "Whatever, I give up.",
    "Why is this so difficult? I've asked three times already.",
    "I want to cancel my account.",
)
_SATISFIED = (
    "Thank you so much, that's perfect!",
    "Great, that really helps, thanks.",
    "That's a relief, thank you.",
    "I really appreciate your help.",
    "Okay, that works for me, thanks.",
    "Perfect, problem solved.",
    "You've been very helpful.",
    "Awesome, have a nice day!",
)
_ANGER = re.compile(
    r"\b(?:fed up|sick (?:and tired )?of|furious|livid|fuming|ridiculous|unacceptable|outrageous|"
    r"unbelievable|disgrace\w*|a joke|useless|pathetic|hopeless|shambles|absolutely not|"
    r"not good enough|had enough|last straw|thanks for nothing|(?:this|that|it) is (?:awful|a "
    r"disgrace|terrible|appalling|a nightmare)|you(?:'ve| have) got to "
    r"be kidding)\b|\?!|!!|\?\?|\bwhat(?:'?s| is) (?:going on|happening)\s*\?",
    re.IGNORECASE,
)
#: Fear and alarm, which customers voice without exclamation marks or angry words.
_DISTRESS = re.compile(
    r"\b(?:shaking|shaken|terrified|frightened|scared|petrified|panick\w*|worried sick|in tears|"
    r"crying|sleepless|could (?:have|'?ve) (?:been|put|killed|ended|hurt|died|poisoned)|"
    r"might (?:have|'?ve) (?:been|killed|died)|(?:in|to) hospital|anaphyla\w*|dangerous|unsafe|"
    r"not safe)\b",
    re.IGNORECASE,
)
#: How a customer sounds when they give up rather than come round ("I suppose", "not what we
#: paid for"), and when they are relieved ("you've saved my week"): what sentiment misses.
_RESIGNED = re.compile(
    r"\b(?:i suppose|i guess (?:we'?ll|i'?ll|that'?s|so|not)|nothing (?:to be|else (?:to be|i can "
    r"be)) done|not what (?:i|we) (?:paid|asked|ordered|booked) for|if that'?s all|(?:i'?ll|we'?ll) "
    r"(?:just )?have to (?:live with|put up with|make do|wait)|still not (?:happy|impressed|"
    r"sorted)|not (?:really )?(?:happy|impressed|interested)|so much for|not good enough|"
    r"i want to know|(?:doesn'?t|does not|won'?t) (?:help|fix|change)|shop around|(?:take|taking) "
    r"(?:my|our) (?:business|custom) elsewhere|go(?:ing)? elsewhere|(?:i'?ll|we'?ll|i will|we will) "
    r"(?:just )?(?:cancel|leave|switch|look elsewhere))\b|^\W*(?:fine|whatever|"
    r"right)\W*$",
    re.IGNORECASE | re.MULTILINE,
)
_RELIEVED = re.compile(
    r"\b(?:saved my (?:\w+)|(?:that'?s|it'?s|this is) (?:exactly |just )?what (?:i|we) (?:needed|"
    r"wanted|hoped)|what i needed to hear|(?:oh,? )?wow|you'?re a (?:star|lifesaver|legend|"
    r"gem)|life ?saver|(?:huge|such a|what a) relief|that'?s (?:sorted|fixed|brilliant|amazing|"
    r"perfect)|above and beyond|can'?t thank you enough|(?:it'?s|they'?re) (?:all )?there|"
    r"taken seriously)\b",
    re.IGNORECASE,
)
#: A word of four or more capitals that is not an acronym-sized code: shouting ("AGAIN").
_SHOUT = re.compile(
    r"\b(?!(?:[A-Z]*\d))[A-Z]{4,}\b|\b(?:AT ALL|NOT|NEVER|STILL|WHY|NO ONE|NOTHING|TWICE)\b"
)
UPSET_BELOW = -0.25
"""A turn at or below this mood counts as unhappy."""


@dataclass(frozen=True)
class TurnMood:
    """One customer turn's mood and the sentence that carried it most."""

    turn_index: int
    mood: float
    sentence_id: str
    heated: bool = False
    """Anger, shouting or alarm in the words, whatever the sentiment scores say."""


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


_Pair = tuple[NDArray[np.float32], NDArray[np.float32]]
_prototype_vectors: dict[int, _Pair] = {}


def _prototypes(encoder: SentenceEncoder) -> _Pair:
    if id(encoder) not in _prototype_vectors:
        both = encoder.embed([*_UPSET, *_SATISFIED])
        _prototype_vectors[id(encoder)] = (both[: len(_UPSET)], both[len(_UPSET) :])
    return _prototype_vectors[id(encoder)]


def customer_moods(ctx: JudgeContext, encoder: SentenceEncoder | None) -> list[TurnMood]:
    """The mood of every customer turn, in order."""
    by_turn: dict[int, list[int]] = {}
    for row in ctx.customer_rows:
        by_turn.setdefault(ctx.segments[row].turn_index, []).append(row)
    upset = satisfied = None
    if encoder is not None and ctx.has_vectors:
        upset, satisfied = _prototypes(encoder)
    out = []
    for turn_index, rows in sorted(by_turn.items()):
        text = ctx.transcript.turns[turn_index].text
        lexical = float(_vader().polarity_scores(text)["compound"])
        strongest = rows[0]
        if upset is not None and satisfied is not None:
            vecs = ctx.vectors[rows]
            contrast = (vecs @ satisfied.T).max(axis=1) - (vecs @ upset.T).max(axis=1)
            pick = int(np.argmax(np.abs(contrast)))
            strongest = rows[pick]
            semantic = float(np.clip(2.5 * contrast[pick], -1, 1))
            mood = 0.5 * lexical + 0.5 * semantic
        else:
            mood = lexical
        # anger the sentiment lexicon misses: "fed up", "AGAIN", "?!"
        heat = len(_ANGER.findall(text)) + len(_SHOUT.findall(text)) + len(_DISTRESS.findall(text))
        mood = max(-1.0, mood - 0.25 * min(heat, 3))
        if ctx.transcript.turns[turn_index].role is Role.CUSTOMER:
            sid = ctx.segments[strongest].id
            out.append(TurnMood(turn_index, round(mood, 3), sid, heated=heat > 0))
    return out


def closing_tone(text: str) -> float:
    """A lift for a relieved closing turn, a drop for a resigned one (in -1 .. +1).

    Sentiment reads a customer who gives up ("Okay. I suppose that's that") as calm, which is
    not recovered; recovery is judged on how the customer ends, so the ending's tone counts.
    """
    lift = 0.3 * min(2, len(_RELIEVED.findall(text))) - 0.35 * min(2, len(_RESIGNED.findall(text)))
    return max(-1.0, min(1.0, lift))
