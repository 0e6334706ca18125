"""Finds curt policy-speak in a draft reply: patterns plus similarity to labelled examples.

Patterns (`grader.find_policy_speak`, extended here) are precise but only know the phrasings
someone wrote down; the nearest labelled sentences (all-MiniLM embeddings) catch the
paraphrases ("my hands are tied", "it is what it is"). A sentence is flagged when a pattern
matches it or most of its nearest labelled neighbours are curt. Mentioning a policy is fine:
a draft that gives the reason behind the rule *and* offers what can be done is not flagged,
which is what separates "that's our policy" from an explained "no".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from grader._policy_speak import PolicyPhrase, find_policy_speak
from retrieval._embedding import MiniLMEmbedding, default_embedding

__all__ = [
    "Detection",
    "Detector",
    "LabelledDraft",
    "PolicySpeakSpan",
    "curt_phrases",
    "default_detector",
    "load_labelled_drafts",
    "policy_speak_detector",
    "split_sentences",
]

#: Phrasings `grader._policy_speak` does not know; same shape, same reasons.
_EXTRA_PATTERNS: tuple[tuple[str, str, str], ...] = (
    (
        "rules_are_rules",
        r"\bpolicy\s+is\s+policy\b|\bthe\s+rules\s+are\s+the\s+rules\b"
        r"|\b(?:those|these)\s+are\s+the\s+rules\b",
        "rigid rule-following instead of judgement",
    ),
    (
        "deflection",
        r"\bi\s+don'?t\s+make\s+the\s+rules\b|\bit\s+is\s+what\s+it\s+is\b"
        r"|\bmy\s+hands\s+are\s+tied\b|\bout\s+of\s+my\s+hands\b",
        "deflects ownership",
    ),
    (
        "blame_customer",
        r"\byou\s+agreed\s+to\s+(?:the|our)\b|\bit\s+(?:clearly\s+)?says\s+(?:so\s+)?"
        r"(?:clearly\s+)?(?:on|in)\s+(?:our|the)\s+(?:website|terms|policy)\b"
        r"|\bplease\s+read\s+(?:the|our)\s+(?:terms|policy|faq)\b",
        "blames the customer",
    ),
    (
        "policy_citation",
        r"\b(?:company|store|our)\s+policy\s+(?:doesn'?t|does\s+not|won'?t)\s+allow\b"
        r"|\b(?:according\s+to|as\s+stated\s+in)\s+(?:our|the)\s+(?:terms|policy)\b",
        "cites policy as the reason instead of explaining it",
    ),
)
_EXTRA = tuple((kind, re.compile(rx, re.IGNORECASE), why) for kind, rx, why in _EXTRA_PATTERNS)
_REASON = re.compile(
    r"\b(?:because|since|so that|in order to|the reason|is there to|exists? (?:so|to)|protects?"
    r"|which means|that way|is how|this keeps|keeps? (?:your|prices|it))\b",
    re.IGNORECASE,
)
_ALTERNATIVE = re.compile(
    r"\bwhat\s+(?:i|we)\s+can\s+do\b|\binstead\b|\bstill\s+(?:available|possible|open|covers?)\b"
    r"|\b(?:you\s+can\s+still|you\s+still\s+have)\b"
    r"|\b(?:i|we)\s*(?:'ll|will|can(?!'t|not)|could|'ve|have)\s+(?:\w+\s+){0,2}?"
    r"(?:offer|give|send|issue|open|ask|set|upgrade|refund|exchange|add|update|look|reserve|"
    r"cancel|apply|arrange|pass|escalate|approve|review|repair|replace|redirect)",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")
_CURT_REASON = "brushes the customer off instead of explaining (like a labelled curt example)"


class LabelledDraft(BaseModel):
    """A draft (or one sentence of one) labelled curt or fine.

    `hard` marks fine drafts that mention a policy and explain it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    text: str = Field(min_length=2, max_length=2000)
    label: Literal["curt", "fine"]
    kind: str | None = None
    hard: bool = False


@dataclass(frozen=True)
class PolicySpeakSpan:
    """A curt passage: where it is, what kind, why it hurts, and how sure we are (0-1)."""

    start: int
    end: int
    phrase: str
    kind: str
    reason: str
    score: float
    found_by: Literal["pattern", "similarity", "both"]


@dataclass(frozen=True)
class Detection:
    """The verdict on one draft."""

    text: str
    spans: list[PolicySpeakSpan]
    score: float
    explains_reason: bool
    offers_alternative: bool

    @property
    def flagged(self) -> bool:
        """Whether the draft contains curt policy-speak."""
        return bool(self.spans)


class Detector(Protocol):
    """Detects policy-speak in a draft; `sentence_vectors` skips embedding when already done."""

    def __call__(
        self,
        draft: str,
        sentence_vectors: NDArray[np.float32] | None = None,
    ) -> Detection: ...


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed."""
    spans = []
    for m in _SENTENCE.finditer(text):
        chunk = m.group(0)
        start = m.start() + len(chunk) - len(chunk.lstrip())
        end = m.end() - len(chunk) + len(chunk.rstrip())
        if end - start >= 2:
            spans.append((start, end))
    return spans


def load_labelled_drafts(name: str = "detector_examples.jsonl") -> list[LabelledDraft]:
    """A labelled set shipped in `retrieval/data` (the detector's memory, or the eval set)."""
    text = resources.files("retrieval").joinpath("data", name).read_text(encoding="utf-8")
    return [
        LabelledDraft.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()
    ]


def _pattern_hits(text: str) -> list[PolicyPhrase]:
    hits = list(find_policy_speak(text))
    hits += [
        PolicyPhrase(kind, m.group(0), m.start(), m.end(), why, False)
        for kind, rx, why in _EXTRA
        for m in rx.finditer(text)
    ]
    return hits


def curt_phrases(text: str) -> list[str]:
    """Pattern-matched policy-speak in `text`, unless it gives both a reason and an alternative."""
    if _REASON.search(text) and _ALTERNATIVE.search(text):
        return []
    return [h.phrase for h in _pattern_hits(text)]


def policy_speak_detector(
    examples: Sequence[LabelledDraft] | None = None,
    embedding: MiniLMEmbedding | None = None,
    *,
    k: int = 5,
    min_similarity: float = 0.5,
    curt_share: float = 0.5,
) -> Detector:
    """A detector using `examples` (default: the shipped labelled examples) as its memory.

    A sentence is flagged by similarity when its nearest curt example is at least
    `min_similarity` alike and at least `curt_share` of its `k` nearest examples
    (similarity-weighted) are curt.
    """
    memory = list(examples) if examples is not None else load_labelled_drafts()
    embed = (embedding or default_embedding()).embed
    vectors = embed([e.text for e in memory])
    curt = np.array([e.label == "curt" for e in memory])
    kinds = [e.kind or "policy_speak" for e in memory]

    def nearest(vec: NDArray[np.float32]) -> tuple[float, float, str]:
        """Share of curt neighbours, similarity of the nearest curt one, and its kind."""
        sims = vectors @ vec
        top = np.argsort(-sims)[:k]
        weights = np.clip(sims[top], 1e-6, None)
        share = float((weights * curt[top]).sum() / weights.sum())
        curt_idx = [i for i in top if curt[i]]
        best = max(curt_idx, key=lambda i: sims[i]) if curt_idx else None
        return (
            share,
            float(sims[best]) if best is not None else 0.0,
            kinds[best] if best is not None else "",
        )

    def detect(draft: str, sentence_vectors: NDArray[np.float32] | None = None) -> Detection:
        sentences = split_sentences(draft)
        if sentence_vectors is None:
            sentence_vectors = embed([draft[a:b] for a, b in sentences])
        reason, alternative = bool(_REASON.search(draft)), bool(_ALTERNATIVE.search(draft))
        softened = reason and alternative
        hits = _pattern_hits(draft)
        spans: list[PolicySpeakSpan] = []
        best = 0.0
        for (a, b), vec in zip(sentences, sentence_vectors, strict=True):
            share, sim, kind = nearest(vec)
            # a sentence that offers something is not a brush-off, however close its topic
            offers = bool(_ALTERNATIVE.search(draft[a:b]))
            similar = sim >= min_similarity and share >= curt_share and not offers
            inside = [h for h in hits if a <= h.start < b]
            score = max(share if sim >= min_similarity else 0.0, 0.95 if inside else 0.0)
            if softened:
                score *= 0.4
            best = max(best, score)
            if softened or not (inside or similar):
                continue
            found_by: Literal["pattern", "similarity", "both"] = (
                "both" if inside and similar else "pattern" if inside else "similarity"
            )
            if inside:
                spans += [
                    PolicySpeakSpan(
                        h.start, h.end, h.phrase, h.kind, h.reason, round(score, 3), found_by
                    )
                    for h in inside
                ]
            else:
                spans.append(
                    PolicySpeakSpan(a, b, draft[a:b], kind, _CURT_REASON, round(score, 3), found_by)
                )
        return Detection(
            draft, sorted(spans, key=lambda s: s.start), round(best, 3), reason, alternative
        )

    return detect


@cache
def default_detector() -> Detector:
    """The detector with the shipped labelled examples, built once per process."""
    return policy_speak_detector()
