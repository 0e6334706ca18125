"""What a sentence borrowed from another case's model answer may not carry into this one.

A model answer was written for its own customer: their eligibility ("since your order
arrived within 30 days"), what happened to them ("Here's what happened", "your order was
already picked"), what they sent ("Thank you for the photos") and what they wanted (", or a
more breathable model"). Copied here, each would claim something this conversation does not
say. These rules find such claims; composition drops, cuts or rewords the sentence.
"""

from __future__ import annotations

import re

from retrieval._wording import words

__all__ = [
    "claims_their_case",
    "conditional",
    "leans_on_previous",
    "thanks_for_unsent",
    "without_their_choice",
]

#: A model answer's sentence asserting its own case's eligibility ("since your order arrived
#: within 30 days, you're eligible") is not copied: this case may differ.
_ELIGIBILITY = re.compile(
    r"\b(?:you(?:'re|\s+are)\s+(?:eligible|within|entitled)|you\s+qualify|since\s+your|because\s+your"
    r"|your\s+(?:order|purchase|item)\s+(?:is|was|arrived)\s+(?:within|past|outside|over)"
    # what happened in the other case: "Here's what happened", "your order was already picked"
    r"|here'?s\s+what\s+happened|good\s+timing|yours\s+(?:was|is|has|had|renewed|arrived)"
    r"|your\s+(?:order|parcel|package|purchase|item|renewal|payment|refund|account)\s+"
    r"(?:was|is|has|had|hadn't|hasn't|wasn't|isn't)\s+(?:already\s+|now\s+|not\s+)?"
    r"(?:been\s+|yet\s+)?(?:\w+ed|sent|shipped|on\s+its\s+way|in\b|out\b|within|outside|past"
    r"|over|before|after|earlier|later|still)"
    r"|\b(?:it|the\s+\w+)\s+was\s+(?:left\s+out|missed|lost|misplaced|mislabell?ed)"
    r"|since\s+you\s+(?:\w+ed|bought|paid|got|haven'?t|didn'?t))\b",
    re.IGNORECASE,
)
#: A sentence leaning on the one before it ("Then I can...", "Would you like me to do that?").
_ANAPHORA = re.compile(
    r"^\s*(?:then|that|this|these|those|it|also|after\s+that)\b|\b(?:do|does|did)\s+(?:that|this)\b",
    re.IGNORECASE,
)
#: A leading clause giving the answer's own case's grounds ("Since you ordered within 7 days,").
_GROUNDS = re.compile(r"^(?:because|since|as)\s+(your?\b[^,;:]{3,80},)", re.IGNORECASE)
#: Thanks for something the answer's customer gave ("Thank you for the photos").
_THANKS_FOR = re.compile(
    r"\bthanks?(?:\s+you)?\s+for\s+(?:sending\s+)?(?:the|your|those|these)\s+([a-z]+)",
    re.IGNORECASE,
)
#: ", or exchange it for a more breathable model" / ", or a warmer one": a choice shaped by
#: what the answer's customer wanted.
_THEIR_CHOICE = re.compile(
    r",?\s+(?:or|and)\s+[^,;.]{0,40}?\b(?:an?\s+)?(?:(?:more|less)\s+(?P<quality>[a-z-]+)|"
    r"(?P<comparative>[a-z]+er))\s+(?:model|one|version|style|fit|cut|pair)\b(?=[,;.]|$)",
    re.IGNORECASE,
)


def claims_their_case(sentence: str) -> bool:
    """Whether the sentence asserts the other case's eligibility or what happened there.

    A condition ("If your purchase was within 14 days, you qualify...") claims nothing.
    """
    return bool(_ELIGIBILITY.search(sentence)) and not sentence.startswith("If ")


def leans_on_previous(sentence: str) -> bool:
    """Whether the sentence needs the one before it ("Would you like me to do that?")."""
    return bool(_ANAPHORA.search(sentence))


def thanks_for_unsent(sentence: str, known: set[str]) -> bool:
    """Thanks for something ("the photos") this conversation never mentions."""
    thanked = _THANKS_FOR.search(sentence)
    return thanked is not None and not words(thanked.group(1)) & known


def without_their_choice(sentence: str, known: set[str]) -> str:
    """The sentence without an option fitted to the other customer's wish.

    ", or exchange it for a more breathable model" is cut when this conversation never
    mentions that quality.
    """
    for m in _THEIR_CHOICE.finditer(sentence):
        if not words(m.group("quality") or m.group("comparative")) & known:
            return sentence[: m.start()].rstrip(" ,;") + sentence[m.end() :]
    return sentence


def conditional(sentence: str) -> str:
    """Another case's grounds said as a condition: this case may differ.

    "Because your order hasn't been picked, I can..." -> "If your order hasn't been picked, ..."
    """
    return _GROUNDS.sub(lambda m: f"If {m.group(1)}", sentence)
