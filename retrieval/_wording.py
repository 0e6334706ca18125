"""The words of a reply: stems, overlap, the team's usual wording, and saying it to the customer.

Composition copies sentences from another case's model answer; these small tools tell whether
a sentence speaks of that other case (words neither this conversation, the policy nor the
team's usual wording contain) and whether two sentences say the same thing.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib import resources

import yaml

__all__ = [
    "ACK_WORDS",
    "STOP",
    "lower_first",
    "similar",
    "stem",
    "to_customer",
    "usual_words",
    "words",
]

_WORD = re.compile(r"[A-Za-z][a-z']+")

STOP = frozenset(
    [
        "the",
        "and",
        "for",
        "you",
        "your",
        "with",
        "that",
        "this",
        "have",
        "has",
        "are",
        "was",
        "were",
        "will",
        "can",
        "our",
        "we",
        "i",
        "it",
        "its",
        "not",
        "but",
        "from",
        "they",
        "them",
        "their",
        "there",
        "then",
        "than",
        "when",
        "what",
        "which",
        "who",
        "how",
        "all",
        "any",
        "some",
        "more",
        "most",
        "just",
        "also",
        "very",
        "so",
        "if",
        "or",
        "as",
        "at",
        "by",
        "on",
        "in",
        "of",
        "to",
        "a",
        "an",
        "be",
        "is",
        "do",
        "does",
        "did",
        "been",
        "being",
        "i'm",
        "i've",
        "i'll",
        "i'd",
        "you're",
        "you'll",
        "you've",
        "we're",
        "we'll",
        "we've",
        "it's",
        "that's",
        "there's",
        "let's",
        "don't",
        "can't",
        "won't",
        "isn't",
        "didn't",
        "doesn't",
    ]
)


@cache
def usual_words() -> frozenset[str]:
    """Words the team's model answers use in two or more situations: how we talk, not a case."""
    raw = resources.files("retrieval").joinpath("data", "model_answers.yaml").read_text("utf-8")
    counts: Counter[str] = Counter()
    for record in yaml.safe_load(raw) or []:
        counts.update({stem(w.lower()) for w in _WORD.findall(str(record.get("text", "")))})
    return frozenset(stem(w) for w, n in counts.items() if n >= 2) | STOP


def similar(a: str, b: str) -> bool:
    """Two sentences saying much the same thing (most of the shorter one's words shared)."""
    wa, wb = words(a) - STOP, words(b) - STOP
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) >= 0.5


_THIRD_PERSON = (
    (re.compile(r"\bthe customer does\b", re.I), "you do"),
    (re.compile(r"\bthe customer has\b", re.I), "you have"),
    (re.compile(r"\bthe customer is\b", re.I), "you are"),
    (re.compile(r"\bthe customer's\b", re.I), "your"),
    (re.compile(r"\bthe customer (\w+?)s\b", re.I), r"you \1"),
    (re.compile(r"\bthe customer\b", re.I), "you"),
)


def to_customer(text: str) -> str:
    """A policy written for agents ("the customer does not have to") said to the customer."""
    for rx, repl in _THIRD_PERSON:
        text = rx.sub(repl, text)
    return text


def stem(word: str) -> str:
    """Crude, but enough to match 'refunds' with 'refund' and 'returned' with 'return'."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def words(text: str) -> set[str]:
    return {stem(w.lower()) for w in _WORD.findall(text)}


#: What an acknowledgement may say beyond the customer's own words.
ACK_WORDS = (
    frozenset(
        stem(w)
        for w in [
            "sorry",
            "thanks",
            "thank",
            "understand",
            "frustrating",
            "frustrated",
            "stressful",
            "annoying",
            "disappointing",
            "right",
            "ask",
            "asking",
            "hear",
            "know",
            "feel",
            "waiting",
            "wait",
            "trouble",
            "happened",
            "explaining",
            "reaching",
            "out",
            "checking",
            "letting",
            "patience",
            "hello",
            "dear",
            "happy",
            "help",
            "glad",
            "question",
            "really",
            "especially",
            "nobody",
            "likes",
            "work",
            "worked",
            "fair",
        ]
    )
    | STOP
)


def lower_first(text: str) -> str:
    """'A free part' -> 'a free part'; 'I', 'NW-1' and 'PayPal' stay as they are."""
    first = text.split(" ", 1)[0]
    if first == "I" or first.startswith("I'") or not first[:1].isupper():
        return text
    return text[:1].lower() + text[1:] if first[1:] == first[1:].lower() else text
