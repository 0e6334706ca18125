"""Grounding checks: promises must be backed, facts must come from somewhere.

A suggestion may promise a refund, a credit, an exception or an escalation only when a
retrieved policy allows it or a retrieved model answer makes the same kind of promise; it
may state a date, timeline, amount, order number or link only when one of the sources or
the conversation already contains it. Anything else is an invention: the model is re-asked,
and what still slips through is cut out or replaced by a ``[placeholder]``. Text inside
square brackets is a placeholder and is never checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from retrieval._detector import sentence_spans
from retrieval._records import ModelAnswer, Policy

__all__ = [
    "Backing",
    "Commitment",
    "CommitmentKind",
    "Fact",
    "backing_from",
    "backing_from_text",
    "find_commitments",
    "find_facts",
    "grounding_problems",
    "invented_facts",
    "sanitize",
    "unbacked_commitments",
]

CommitmentKind = Literal["refund", "credit", "exception", "date", "escalation"]

_PROMISE = (
    r"\b(?:i|we)\s*(?:(?:'ll|will|can|could|'m going to|am going to|are going to"
    r"|'d be happy to|would be happy to)(?!\s*not\b|n't|'t)"
    r"|(?:'ve|have)\s+(?:just\s+|already\s+)?(?:\w+ed|sent|given|made|put|set up)\b)"
    r"|\b(?:i'm|i am|we're|we are)\s+(?:now\s+|just\s+)?(?!going\b)\w+ing\b"
    r"|\byou(?:'ll| will)\s+(?:(?:also|still)\s+)?(?:get|receive|see|have)\b"
    r"|\bhere(?:'s| is)\b|\bas a (?:goodwill )?gesture\b"
    r"|\b(?:is|are|has been|have been|will be)\s+(?:on its way|issued|approved|refunded|"
    r"credited|waived|processed)\b"
)
_PROMISE_RX = re.compile(_PROMISE, re.IGNORECASE)
_PROMISE_REACH = 70  # characters after a promise in which its object is looked for
_KIND_WORDS: dict[str, re.Pattern[str]] = {
    "refund": re.compile(r"\b(?:refund\w*|reimburs\w*|money back|difference back)\b", re.I),
    "credit": re.compile(
        r"\b(?:(?:store|account)\s+credit|credit(?:ed|s)?(?!\s+card)|voucher|coupon|discount"
        r"|goodwill|free\s+(?:of\s+charge|shipping|upgrade|replacement)"
        r"|at\s+no\s+(?:extra\s+)?(?:charge|cost)|waive\w*)\b",
        re.I,
    ),
    "exception": re.compile(
        r"\b(?:exceptions?|one-time|make an exception|bend the rule|override)\b", re.I
    ),
    "escalation": re.compile(
        r"\b(?:supervisor|manager|team lead|escalat\w*|specialist"
        r"|(?:security|support|product|community)\s+team|transfer\w*"
        r"|hand(?:ing)?\s+(?:you\s+)?over)\b",
        re.I,
    ),
}
_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|a couple of)"
_TIME_RX = re.compile(
    r"\b(?:today|tonight|tomorrow|this\s+(?:morning|afternoon|evening|week|weekend)"
    r"|(?:next|this)\s+(?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    r"|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month|next\s+business\s+day)"
    r"|(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|{_NUMBER_WORD}(?:\s+(?:to|-|or)\s+{_NUMBER_WORD})?\s+(?:business\s+|working\s+)?"
    r"(?:days?|hours?|weeks?|minutes?|months?)"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)
_FACT_RX: dict[str, re.Pattern[str]] = {
    "url": re.compile(r"\bhttps?://\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io)(?:/\S*)?", re.I),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"),
    "reference": re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+\b"),
    "money": re.compile(
        r"[$€£]\s?\d[\d,]*(?:\.\d{2})?|\b\d[\d,]*(?:\.\d{2})?\s?(?:dollars|usd|eur)\b", re.I
    ),
    "number": re.compile(r"(?<![\w$€£.-])\d[\d,]*(?:\.\d+)?%?(?![\w-])"),
}
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,60}\]")


@dataclass(frozen=True)
class Commitment:
    """A promise in a text: its kind and the passage that makes it."""

    kind: CommitmentKind
    phrase: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    """A checkable fact: an amount, number, reference, link or email."""

    kind: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Backing:
    """What may be promised (kind -> ids of the sources allowing it) and which facts are known."""

    kinds: dict[str, list[str]] = field(default_factory=dict)
    times: frozenset[str] = frozenset()
    facts: frozenset[str] = frozenset()

    def sources_for(self, kind: str) -> list[str]:
        """Ids of the sources that allow promising `kind`."""
        return self.kinds.get(kind, [])


def _blank_placeholders(text: str) -> str:
    """Same length, placeholders blanked, so spans still point into the original."""
    return _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)


def _norm_time(value: str) -> str:
    words = value.lower().replace("-", " to ").split()
    return " ".join(w for w in words if w not in {"by", "the", "within", "in"})


def _norm_fact(value: str) -> str:
    value = value.lower().rstrip(".,;:)!?").replace(",", "").replace(" ", "")
    value = re.sub(r"^(?:https?://)?(?:www\.)?", "", value)
    return re.sub(r"\.00$", "", value.lstrip("$€£"))


def find_commitments(text: str) -> list[Commitment]:
    """Promises of refunds, credits, exceptions and escalations, and every date or timeline."""
    clean = _blank_placeholders(text)
    found: list[Commitment] = []
    for a, b in sentence_spans(clean):
        sentence = clean[a:b]
        kinds: set[str] = set()
        for promise in _PROMISE_RX.finditer(sentence):
            # what is promised follows the promise closely ("I'll send a free replacement")
            window = sentence[promise.start() : promise.end() + _PROMISE_REACH]
            kinds |= {kind for kind, rx in _KIND_WORDS.items() if rx.search(window)}
        found += [Commitment(k, text[a:b], a, b) for k in sorted(kinds)]  # type: ignore[arg-type]
        found += [
            Commitment("date", m.group(0), a + m.start(), a + m.end())
            for m in _TIME_RX.finditer(sentence)
        ]
    return sorted(found, key=lambda c: (c.start, c.kind))


def find_facts(text: str) -> list[Fact]:
    """Amounts, numbers, references (NW-61840), links and emails.

    Placeholders are skipped, and so are numbers inside a date or timeline (checked as dates).
    """
    clean = _blank_placeholders(text)
    facts: list[Fact] = []
    # numbers inside a date or timeline are the date check's business
    taken = [(m.start(), m.end()) for m in _TIME_RX.finditer(clean)]
    for kind, rx in _FACT_RX.items():  # most specific first; later kinds skip covered spans
        for m in rx.finditer(clean):
            if any(s <= m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            facts.append(Fact(kind, m.group(0), m.start(), m.end()))
    return sorted(facts, key=lambda f: f.start)


def backing_from(
    policies: Sequence[Policy], answers: Sequence[ModelAnswer], conversation: Iterable[str] = ()
) -> Backing:
    """What may be promised (from the sources) and stated (from sources and conversation)."""
    kinds: dict[str, list[str]] = {}

    def allow(kind: str, source: str) -> None:
        kinds.setdefault(kind, [])
        if source not in kinds[kind]:
            kinds[kind].append(source)

    for policy in policies:
        for kind, rx in _KIND_WORDS.items():
            if rx.search(policy.offers()):
                allow(kind, policy.id)
        if policy.exceptions:
            allow("exception", policy.id)
        if policy.exception_approver:
            allow("escalation", policy.id)
    for answer in answers:
        for commitment in find_commitments(answer.text):
            if commitment.kind != "date":
                allow(commitment.kind, answer.id)
    texts = [
        *(f"{p.rule} {p.reason} {p.offers()}" for p in policies),
        *(a.text for a in answers),
        *conversation,
    ]
    times = frozenset(_norm_time(m.group(0)) for t in texts for m in _TIME_RX.finditer(t))
    facts = frozenset(_norm_fact(f.value) for t in texts for f in find_facts(t))
    return Backing(kinds, times, facts)


def backing_from_text(texts: Iterable[str], label: str = "draft") -> Backing:
    """What `texts` themselves promise and state: for edits that may add nothing new."""
    texts = list(texts)
    kinds: dict[str, list[str]] = {
        c.kind: [label] for t in texts for c in find_commitments(t) if c.kind != "date"
    }
    times = frozenset(_norm_time(m.group(0)) for t in texts for m in _TIME_RX.finditer(t))
    facts = frozenset(_norm_fact(f.value) for t in texts for f in find_facts(t))
    return Backing(kinds, times, facts)


def unbacked_commitments(text: str, backing: Backing) -> list[Commitment]:
    """Promises no source allows, and dates or timelines no source or turn mentions."""
    return [
        c
        for c in find_commitments(text)
        if (c.kind == "date" and _norm_time(c.phrase) not in backing.times)
        or (c.kind != "date" and not backing.sources_for(c.kind))
    ]


def invented_facts(text: str, backing: Backing) -> list[Fact]:
    """Facts in `text` that neither the sources nor the conversation contain."""
    return [f for f in find_facts(text) if _norm_fact(f.value) not in backing.facts]


def grounding_problems(text: str, backing: Backing) -> list[str]:
    """Every unbacked promise and invented fact, worded for a re-ask."""
    problems = [
        f"unbacked {c.kind} commitment: '{c.phrase}'" for c in unbacked_commitments(text, backing)
    ]
    problems += [
        f"invented {f.kind} '{f.value}': use a placeholder such as [{f.kind}] instead"
        for f in invented_facts(text, backing)
    ]
    return problems


def sanitize(text: str, backing: Backing) -> tuple[str, list[str]]:
    """Drop sentences with unbacked promises; put placeholders where facts were invented.

    Returns the cleaned text and a note for each change.
    """
    notes: list[str] = []
    bad = unbacked_commitments(text, backing)
    dropped = [
        (a, b)
        for a, b in sentence_spans(text)
        if any(a <= c.start < b and c.kind != "date" for c in bad)
    ]
    notes += [f"removed unbacked commitment: '{text[a:b]}'" for a, b in dropped]

    def kept(start: int) -> bool:
        return not any(a <= start < b for a, b in dropped)

    edits = [(a, b, "") for a, b in dropped]
    for c in bad:
        if c.kind == "date" and kept(c.start):
            notes.append(f"replaced unbacked date '{c.phrase}' with [date]")
            edits.append((c.start, c.end, "[date]"))
    for fact in invented_facts(text, backing):
        if kept(fact.start):
            notes.append(f"replaced invented {fact.kind} '{fact.value}' with [{fact.kind}]")
            edits.append((fact.start, fact.end, f"[{fact.kind}]"))
    out, cursor = [], 0
    for start, end, repl in sorted(edits):
        if start < cursor:
            continue  # overlaps an earlier edit
        out += [text[cursor:start], repl]
        cursor = end
    out.append(text[cursor:])
    return re.sub(r"\s{2,}", " ", "".join(out)).strip(), notes
