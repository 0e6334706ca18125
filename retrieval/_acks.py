"""The acknowledgement, when the model answer's own one speaks of its case: fitted to this one.

A template per inquiry type misfits ("the trouble with this charge" for a promo code, "being
locked out" for a privacy check). The customer's own words say what happened — it arrived
broken, a charge appeared twice, the code failed, they are still waiting — so the first
situation their turns show picks the sentence; the inquiry type is the fallback. Every
template names only the customer's name and product, both from the conversation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval._case import CaseFacts

__all__ = ["acknowledgement"]

_I = re.IGNORECASE
_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|the\s+\d{1,2}(?:st|nd|rd|th)?)"
#: (situation in the customer's words, what to say), the first that matches wins.
_SITUATIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(?:rude|complain\w*|unacceptable|ridiculous|disgusted|appalled)\b", _I),
        "You're right to tell us{name}, and I'm sorry it came to this.",
    ),
    (
        re.compile(
            r"\b(?:arrived|came|delivered|out\s+of\s+the\s+box|opened\s+it)\b[^.!?]{0,60}"
            r"\b(?:broken|cracked|damaged|dented|smashed|shattered|torn|scratched|crushed|bent"
            r"|chipped|soaked|wet|leaking|missing\s+parts?)\b"
            r"|\b(?:broken|cracked|damaged|dented|smashed|shattered|crushed|bent|chipped)\b[^.!?]{0,40}"
            r"\b(?:arrived|on\s+arrival|out\s+of\s+the\s+box|in\s+the\s+box)\b",
            _I,
        ),
        "I'm so sorry the {product} reached you damaged{name}; that's not how it should arrive.",
    ),
    (
        re.compile(
            r"\b(?:broke|broken|stopped\s+working|coming\s+apart|came\s+apart|fell\s+apart"
            r"|falling\s+apart|defect\w*|faulty|doesn'?t\s+work|won'?t\s+(?:turn|switch|start)"
            r"|leak\w*|ripped|snapped|peeling|worn\s+out)\b",
            _I,
        ),
        "I'm sorry the {product} {isnt} holding up as {it} should{name}.",
    ),
    (
        re.compile(
            r"\b(?:charged|charges?|billed|double[- ]charged|pending|debited|overcharged)\b", _I
        ),
        "I'm sorry about the trouble with this charge{name}, and thanks for raising it.",
    ),
    (
        re.compile(r"\b(?:code|coupon|promo|voucher)\b", _I),
        "I'm sorry the code didn't go through for you{name}, and thanks for flagging it.",
    ),
    (
        re.compile(
            r"\b(?:locked\s+out|password|reset\s+(?:email|link)|log\s*in|sign\s+in|can'?t\s+access)\b",
            _I,
        ),
        "I'm sorry you're stuck{name}; being locked out is frustrating.",
    ),
    (
        re.compile(
            r"\bwhy\s+do\s+you\s+need\b|\b(?:verify|verification|date\s+of\s+birth|last\s+four"
            r"|last\s+4|security\s+questions?|personal\s+(?:details|information))\b",
            _I,
        ),
        "That's a fair question{name}, and thanks for asking it.",
    ),
    (
        re.compile(
            r"\b(?:change|modify|edit|cancel|switch|update)\b[^.!?]{0,40}\border\b"
            r"|\border\b[^.!?]{0,40}\b(?:change|modify|edit|cancel|switch)\b",
            _I,
        ),
        "Thanks for getting in touch quickly{name}; I know you want this sorted before it ships.",
    ),
    (
        re.compile(rf"\b(?:by|before|for)\s+{_DAY}\b|\bin\s+time\b|\bneed\s+it\s+by\b", _I),
        "I understand the date matters{name}, and thanks for checking before you rely on it.",
    ),
    (
        re.compile(
            r"\b(?:where\s+is|still\s+waiting|hasn'?t\s+(?:arrived|moved|come|shipped|changed)"
            r"|not\s+arrived|tracking|in\s+transit|delayed|late|stuck|backorder\w*|depot"
            r"|estimated\s+delivery|keeps\s+moving|still\s+not|when\s+will)\b",
            _I,
        ),
        "I'm sorry you're still waiting{name}; not knowing when it will arrive is stressful.",
    ),
    (
        re.compile(
            r"\b(?:price\s+match|match\s+(?:that|the|their|it)|cheaper|for\s+\S+\s+less"
            r"|on\s+sale|dropped|price\s+drop|went\s+down|lower\s+price)\b",
            _I,
        ),
        "Thanks for checking with us about the price{name}; I understand wanting the best deal.",
    ),
    (
        re.compile(
            r"\b(?:return|refund|send\s+(?:it|them)\s+back|money\s+back|exchange)\b"
            r"|\bdo(?:es)?n'?t\s+fit\b",
            _I,
        ),
        "I'm sorry the {product} didn't work out{name}, and thanks for asking before giving up "
        "on it.",
    ),
)
_BY_INQUIRY: dict[str, str] = {
    "refund_return": _SITUATIONS[-1][1],
    "order_status": "I'm sorry you're still waiting{name}; not knowing where an order is "
    "is stressful.",
    "billing": "I'm sorry about the trouble with this{name}, and thanks for raising it.",
    "account": "I'm sorry this is getting in your way{name}; let's get it sorted.",
    "technical": "I'm sorry the {product} {isnt} working as {it} should{name}.",
    "complaint": _SITUATIONS[0][1],
}
_DEFAULT = "Thanks for explaining what happened{name}, and I'm sorry for the trouble."


def acknowledgement(customer: Sequence[str], inquiry: str | None, facts: CaseFacts) -> str:
    """An acknowledgement of what the customer's turns (latest first) say happened.

    "The {product} didn't work out" needs a product the customer named; without one (money
    back on a gift card, "send them back") the neutral default fits better.
    """
    fitting = [(rx, said) for rx, said in _SITUATIONS if facts.product or "{product}" not in said]
    fallback = _BY_INQUIRY.get(inquiry or "", _DEFAULT)
    template = next(
        (said for text in reversed(customer) for rx, said in fitting if rx.search(text)),
        fallback if facts.product or "{product}" not in fallback else _DEFAULT,
    )
    product = facts.product or "order"
    plural = product.endswith("s") and not product.endswith("ss")
    return template.format(
        product=product,
        name=f", {facts.name}" if facts.name else "",
        isnt="aren't" if plural else "isn't",
        it="they" if plural else "it",
    )
