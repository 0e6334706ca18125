"""Empathy shown by what the agent changes for the customer, and empathy said by formula only.

A caller at a hospital bedside is not helped by "I understand, sorry to hear that" followed by
the usual list of documents; she is helped by "you don't need to gather everything now" and
"the hospital can send it, so you don't have to chase it". A son restoring his late father's
bike hears his purpose valued ("a lovely thing to do, and we'll treat it that way"). Read in
agent sentences:

* `formula_only`: nothing but stock acknowledgement ("I understand, sorry to hear that.",
  "I see. Sorry about that.") - generic, however many feeling words the formula holds;
* `accommodates`: the process eased for their situation (no need to do it now, no chasing, no
  rush, handled with care) or their purpose valued ("sounds like a lovely idea").
"""

from __future__ import annotations

import re

__all__ = ["accommodates", "formula_only"]

_I = re.IGNORECASE

_FORMULA = re.compile(
    r"^\W*(?:(?:i (?:completely |totally |fully |do )?understand|i see|i hear you|i get it|"
    r"ok(?:ay)?|right|oh|ah|well|i'?m|i am|we'?re|we are|so|very|really|truly)\W+)*"
    r"(?:sorry (?:to hear (?:that|this|it)|about (?:that|this)|for that|for your trouble)|"
    r"(?:i (?:completely |totally |fully |do )?understand|i see|i hear you))\W*$",
    _I,
)
_EASED = re.compile(
    r"\byou (?:don'?t|do not|won'?t|will not) (?:need|have) to (?:\w+ ){0,4}?(?:now|right now|"
    r"today|yet|straight away|at the moment|for now|this week|while)\b|"
    r"\bso (?:that )?you (?:don'?t|do not|won'?t|will not) (?:need to |have to )?(?:chase|worry|"
    r"gather|explain|repeat|deal with|come in|travel|ring|call|fill in|find|dig out|wait)\b|"
    r"\b(?:there'?s|there is) no (?:rush|hurry)\b|\b(?:no rush|no hurry)\b|"
    r"\bdon'?t worry about (?:the |that |any |your )?(?:paperwork|forms?|documents?|receipts?|details|"
    r"admin|bills?|invoices?)\b|"
    r"\b(?:we|i) can (?:sort|do|deal with|handle) (?:the |that |any )?(?:paperwork|forms?|documents?|"
    r"details|admin|rest) (?:later|another time|when you'?re ready|once you'?re home)\b|"
    r"\bso (?:no ?one|nobody) (?:will )?(?:chases?|contacts?|calls?|bothers?) you\b|"
    r"\btake (?:all )?(?:the|whatever) time you need\b|\bin your own time\b|"
    r"\b(?:we'?ll|i'?ll|we will|i will) (?:treat|handle|look after|care for) (?:it|them|him|her|"
    r"this|that|everything) (?:that way|with (?:extra |real |great )?care|gently|carefully|"
    r"like (?:our|my) own)\b|"
    r"\b(?:we'?ll|we will|i'?ll|i will) (?:keep|leave|save|preserve) (?:his|her|their) (?:original|"
    r"old|own)\b|"
    r"\b(?:is|sounds like|sounds|must be|'s|what) (?:a |such a )?(?:really |so |very )?(?:lovely|"
    r"special|wonderful|precious|moving|touching|beautiful) (?:thing|idea|way|plan|memory|"
    r"tribute|reason)\b",
    _I,
)


def formula_only(text: str) -> bool:
    """The sentence is stock acknowledgement and nothing else."""
    return bool(_FORMULA.match(text))


def accommodates(text: str) -> bool:
    """The process eased for the customer's situation, or their purpose valued."""
    return bool(_EASED.search(text))
