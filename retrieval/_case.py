"""The facts of this case, as the conversation states them: who, what, which order, how much.

A suggestion may name the customer, the product, the order and an amount only when the
conversation (or the agent's own draft) says them; a model answer's ``[placeholders]`` are
filled from here, and a placeholder nothing can fill is left out, never printed. Products a
model answer names (its own case's "jacket") are swapped for this customer's, or for "item".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader._transcript import AGENT_SIDE, Role, Turn
from retrieval._commitments import find_facts

__all__ = ["PRODUCT_WORDS", "CaseFacts", "case_facts", "fill_placeholders", "swap_products"]

_NOT_NAMES = frozenset(
    [
        "hi",
        "hello",
        "hey",
        "dear",
        "thanks",
        "thank",
        "yes",
        "no",
        "ok",
        "okay",
        "sorry",
        "please",
        "regards",
        "cheers",
        "best",
        "team",
        "support",
        "customer",
        "sir",
        "madam",
        "there",
        "all",
        "everyone",
        "again",
        "just",
        "good",
        "morning",
        "afternoon",
        "evening",
    ]
)
_NAME = r"([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?)"
_SELF_INTRO = re.compile(rf"\b(?i:i'?m|i am|my name is|this is|it'?s)\s+{_NAME}\b")
_SIGN_OFF = re.compile(
    rf"(?:^|\n|[.!]\s)(?:thanks|thank you|regards|best|cheers|kind regards|many thanks)?,?\s*"
    rf"(?:\n|-\s*|—\s*)\s*{_NAME}\s*$",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(rf"^\s*(?:hi|hello|hey|dear|good\s+\w+)\s+{_NAME}\b", re.IGNORECASE)
_ORDER = re.compile(r"(?:#\s?(\d{4,})|\border\s+(?:number\s+|no\.?\s+|#\s?)?(\d{4,})\b)", re.I)

#: Products a model answer may name from its own case (swapped for this customer's).
PRODUCT_WORDS = frozenset(
    [
        "jacket",
        "jackets",
        "tent",
        "tents",
        "boots",
        "boot",
        "shoes",
        "sneakers",
        "kayak",
        "stove",
        "lantern",
        "fleece",
        "pack",
        "backpack",
        "bag",
        "headlamp",
        "poles",
        "pole",
        "footprint",
        "hammock",
        "filter",
        "shell",
        "coat",
        "parka",
        "sleeping-bag",
        "mat",
        "pad",
        "gloves",
        "hat",
        "shirt",
        "dress",
        "jeans",
        "trousers",
        "pants",
        "sweater",
        "hoodie",
        "phone",
        "laptop",
        "tablet",
        "charger",
        "router",
        "headphones",
        "camera",
        "watch",
        "blender",
        "sofa",
        "chair",
        "table",
        "lamp",
        "mattress",
        "bike",
        "helmet",
        "subscription",
        "membership",
        "plan",
        "booking",
        "ticket",
        "flight",
        "room",
        "reservation",
        "sim",
        "modem",
        # more of what shops sell, so another case's product is recognised and swapped
        "runners",
        "trainers",
        "sandals",
        "slippers",
        "vest",
        "shorts",
        "socks",
        "leggings",
        "skirt",
        "scarf",
        "beanie",
        "mittens",
        "paddle",
        "paddles",
        "bottle",
        "flask",
        "mug",
        "cooker",
        "grill",
        "knife",
        "tarp",
        "poncho",
        "duffel",
        "suitcase",
        "umbrella",
        "speaker",
        "earbuds",
        "keyboard",
        "monitor",
        "printer",
        "console",
        "controller",
        "kettle",
        "toaster",
        "vacuum",
        "desk",
        "rug",
        "pillow",
        "blanket",
        "duvet",
        "stroller",
        "wallet",
        "belt",
        "sunglasses",
        "skis",
        "snowboard",
        "racket",
        "chalk",
        "harness",
        "rope",
        "cardigan",
    ]
)
_GENERIC = frozenset(
    [
        "order",
        "package",
        "parcel",
        "item",
        "items",
        "thing",
        "things",
        "stuff",
        "purchase",
        "purchases",
        "money",
        "refund",
        "account",
        "card",
        "one",
        "it",
        "them",
        "delivery",
        "shipment",
        "replacement",
        "product",
        "products",
    ]
)
_PRODUCT_CUE = re.compile(
    r"\b(?:return(?:ing)?|exchang(?:e|ing)|refund(?:ing)?\s+(?:for\s+)?|bought|ordered|purchased"
    r"|received|got|send(?:ing)?\s+back|sent\s+back|replace|wore|worn|wear(?:ing)?|used|using)\s+(?:a|an|the|my|this|these|those"
    r"|that|two|some|our)?\s*((?:[A-Za-z0-9][\w'-]*\s+){0,2}[A-Za-z][\w-]*)"
    r"|\b(?:my|the|this)\s+((?:[A-Za-z0-9][\w'-]*\s+){0,2}[A-Za-z][\w-]*)\s+(?:arrived|came|is|was"
    r"|broke|doesn'?t|hasn'?t|won'?t|stopped|isn'?t|keeps|leaks|never)\b",
    re.IGNORECASE,
)
_PHRASE_STOP = frozenset(
    [
        "bought",
        "that",
        "which",
        "from",
        "for",
        "on",
        "in",
        "at",
        "i",
        "and",
        "but",
        "because",
        "last",
        "ago",
        "with",
        "to",
        "yesterday",
        "today",
        "back",
        "days",
        "weeks",
        "months",
        "is",
        "was",
        "has",
        "had",
        "it",
        "a",
        "an",
        "the",
        "my",
        "me",
        "you",
        "we",
        "they",
        "if",
        "so",
        "as",
        "of",
    ]
)
_PLACEHOLDER = re.compile(r"\[([^\[\]\n]{1,60})\]")


@dataclass(frozen=True)
class CaseFacts:
    """What the conversation says about this case (None: it does not say)."""

    name: str | None = None
    product: str | None = None
    order: str | None = None
    amount: str | None = None

    def value(self, placeholder: str) -> str | None:
        """The fact a ``[placeholder]`` stands for, if the conversation gave it."""
        key = placeholder.lower().strip()
        if "name" in key and "product" not in key:
            return self.name
        if any(w in key for w in ("product", "item")):
            return self.product
        if "order" in key or "reference" in key:
            return self.order
        if any(w in key for w in ("amount", "money", "price", "total")):
            return self.amount
        return None


def _name(turns: Sequence[Turn], draft: str) -> str | None:
    for turn in turns:
        if turn.role is Role.CUSTOMER:
            for rx in (_SELF_INTRO, _SIGN_OFF):
                for m in rx.finditer(turn.text.strip()):
                    if m.group(1).lower() not in _NOT_NAMES:
                        return str(m.group(1))
    for text in [*(t.text for t in turns if t.role in AGENT_SIDE), draft]:
        hit = _ADDRESSED.search(text)
        if hit and hit.group(1).lower() not in _NOT_NAMES:
            return str(hit.group(1))
    return None


def _product(customer: Sequence[str]) -> str | None:
    for text in customer:
        for m in _PRODUCT_CUE.finditer(text):
            words: list[str] = []
            for word in (m.group(1) or m.group(2) or "").split():
                if word.lower() in _PHRASE_STOP or any(c.isdigit() for c in word[:1]):
                    break
                words.append(word)
            lowered = [w.lower() for w in words]
            found = [i for i, w in enumerate(lowered) if w in PRODUCT_WORDS]
            if found:  # up to the product noun: "Cascade rain jacket", not "jacket bought"
                return " ".join(words[: found[-1] + 1])
    for text in customer:
        for word in re.findall(r"[A-Za-z-]+", text):
            if word.lower() in PRODUCT_WORDS:
                return str(word).lower()
    return None


def case_facts(turns: Sequence[Turn], draft: str = "") -> CaseFacts:
    """Name, product, order reference and amount, as the conversation (or draft) states them."""
    texts = [t.text for t in turns] + [draft]
    customer = [t.text for t in turns if t.role is Role.CUSTOMER]
    refs = [f.value for t in texts for f in find_facts(t) if f.kind == "reference"]
    refs += [m.group(1) or m.group(2) for t in texts for m in _ORDER.finditer(t)]
    money = list(
        dict.fromkeys(f.value for t in customer for f in find_facts(t) if f.kind == "money")
    )
    return CaseFacts(
        name=_name(turns, draft),
        product=_product(customer),
        order=refs[0] if refs else None,
        amount=money[0] if len(money) == 1 else None,  # two amounts: which one is meant?
    )


_NAME_GLUE = (
    (re.compile(r"^(?:Hi|Hello|Hey)\s+\[name\],?\s*", re.I), ""),
    (re.compile(r"^Dear\s+\[name\],?\s*", re.I), ""),
    (re.compile(r",\s*\[name\](?=[,.;:!?])", re.I), ""),
    (re.compile(r"\s*\[name\],\s*", re.I), " "),
)
_ORDER_GLUE = re.compile(r"\b(?:your\s+)?order\s+(?:#\s*)?\[order[^\]]*\]", re.I)


def fill_placeholders(sentence: str, facts: CaseFacts) -> str | None:
    """`sentence` with its placeholders filled from `facts`, or None when one cannot be.

    An unknown name is dropped with its comma ("Thanks, [name]." -> "Thanks."), an unknown
    product becomes "item" and an unknown order "your order"; anything else unknown drops
    the sentence.
    """
    text = sentence
    if facts.name is None:
        for rx, repl in _NAME_GLUE:
            text = rx.sub(repl, text)
    if facts.order is None:
        text = _ORDER_GLUE.sub("your order", text)
    for m in list(_PLACEHOLDER.finditer(text)):
        value = facts.value(m.group(1))
        key = m.group(1).lower()
        if value is None and any(w in key for w in ("product", "item")):
            value = "item"
        if value is None:
            return None
        text = text.replace(m.group(0), value, 1)
    text = text.strip()
    return text[:1].upper() + text[1:] if text else None


def swap_products(sentence: str, facts: CaseFacts, known: str) -> str:
    """Product words of another case ('the jacket') replaced by this case's product or 'item'.

    A plural ('Boots worn on a trail go...') becomes 'items' when this case names no product,
    so the verb still agrees; a sentence that starts with one stays capitalised.
    """
    known_words = set(re.findall(r"[a-z][a-z-]*", known.lower()))

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        before = sentence[max(0, m.start() - 14) : m.start()].lower()
        if word.lower() in known_words or re.search(
            r"\b(?:in|into|inside|under)\s+(?:your|my|a)\s+$", before
        ):
            return word  # this case's own word, or another thing ("warm it in your jacket")
        product = facts.product
        if product is None:
            plural = word.lower().endswith("s") and word.lower() not in {"dress", "glass"}
            product = "items" if plural else "item"
        return product[:1].upper() + product[1:] if m.start() == 0 else product

    return re.sub(
        r"\b(?:" + "|".join(sorted(PRODUCT_WORDS, key=len, reverse=True)) + r")\b",
        swap,
        sentence,
        flags=re.IGNORECASE,
    )
