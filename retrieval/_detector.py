"""The coach's policy-speak detector: the core's patterns plus nearest labelled neighbours.

Patterns and THE "explained" rule live in the core (`grader._policy_speak`), so the grader and
the coach read a reply the same way. Patterns know only the constructions someone wrote down;
here each sentence is also compared (all-MiniLM embeddings) with labelled sentences, which
catches paraphrases ("that is simply how things work here"). A sentence is curt by similarity
when most of its nearest labelled neighbours are curt and it offers nothing itself. Whatever
either layer finds is then judged by the same rule: a way forward answers any curt phrase, the
reason behind the rule answers a citation.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from grader._policy_patterns import ACKNOWLEDGEMENT, DOOR_CLOSERS, WAY_FORWARD
from grader._policy_speak import find_policy_speak, is_explained, reassures, reply_cues
from grader._segments import split_sentences as core_sentences
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
    "sentence_spans",
]

Found = Literal["pattern", "similarity", "both"]
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


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, as `grader.split_sentences` cuts it."""
    spans, cursor = [], 0
    for sentence in core_sentences(text):
        start = text.find(sentence, cursor)
        if start < 0:  # cannot happen: the splitter only strips and cuts
            continue
        cursor = start + len(sentence)
        spans.append((start, cursor))
    return spans


def load_labelled_drafts(name: str = "detector_examples.jsonl") -> list[LabelledDraft]:
    """A labelled set shipped in `retrieval/data` (the detector's memory, or the eval set)."""
    text = resources.files("retrieval").joinpath("data", name).read_text(encoding="utf-8")
    return [
        LabelledDraft.model_validate(json.loads(line)) for line in text.splitlines() if line.strip()
    ]


def curt_phrases(text: str) -> list[str]:
    """The core's curt phrases in `text` that the text itself does not answer."""
    return [h.phrase for h in find_policy_speak(text) if not h.explained]


def policy_speak_detector(
    examples: Sequence[LabelledDraft] | None = None,
    embedding: MiniLMEmbedding | None = None,
    *,
    k: int = 5,
    min_similarity: float = 0.55,
    curt_share: float = 0.6,
    refusal_share: float = 0.05,
) -> Detector:
    """A detector using `examples` (default: the shipped labelled examples) as its memory.

    A sentence is flagged by similarity when its nearest curt example is at least
    `min_similarity` alike and at least `curt_share` of its `k` nearest examples
    (similarity-weighted) are curt. A sentence the core flags only as a bare refusal (no
    pattern, just a "no" or a limit) is kept unless none of its neighbours is curt (curt
    share below `refusal_share`). Good news said with a negation ("There are no fees
    for returns") is the core's to tell apart (`grader._policy_speak.reassures`); the
    similarity layer never flags such a sentence either.
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
        sentences = sentence_spans(draft)
        if sentence_vectors is None:
            sentence_vectors = embed([draft[a:b] for a, b in sentences])
        hits = find_policy_speak(draft)
        found: list[tuple[int, int, str, str, str, float, Found]] = []
        best = 0.0
        for (a, b), vec in zip(sentences, sentence_vectors, strict=True):
            share, sim, kind = nearest(vec)
            # a sentence that offers something is not a brush-off, however close its topic
            # ... nor is one that says no only to reassure ("there are no fees for this"), nor
            # an acknowledgement ("I understand the policy feels strict")
            sentence = draft[a:b]
            similar = (
                sim >= min_similarity
                and share >= curt_share
                and not WAY_FORWARD.search(sentence)
                and not reassures(sentence)
                and not ACKNOWLEDGEMENT.search(sentence)
            )
            inside = [h for h in hits if a <= h.start < b]
            if share < refusal_share:
                # a whole sentence the core read as a bare "no" must also look like one
                inside = [h for h in inside if (h.start, h.end) != (a, b)]
            score = max(share if sim >= min_similarity else 0.0, 0.95 if inside else 0.0)
            best = max(best, score)
            how: Found = "both" if inside and similar else "pattern" if inside else "similarity"
            found += [(h.start, h.end, h.phrase, h.kind, h.reason, score, how) for h in inside]
            if similar and not inside:
                found.append((a, b, draft[a:b], kind, _CURT_REASON, score, how))
        # what a door-closing phrase says ('nothing I can change') offers nothing
        cues = reply_cues(draft, [(h.start, h.end) for h in hits if h.kind in DOOR_CLOSERS])
        spans = [
            PolicySpeakSpan(start, end, phrase, kind, why, round(score, 3), how)
            for start, end, phrase, kind, why, score, how in found
            if not is_explained(kind, cues)
        ]
        if not spans:
            best = min(best, 0.4)  # answered: what was curt in it is not what the customer hears
        return Detection(
            draft,
            sorted(spans, key=lambda s: s.start),
            round(best, 3),
            cues.reason,
            cues.way_forward,
        )

    return detect


@cache
def default_detector() -> Detector:
    """The detector with the shipped labelled examples, built once per process."""
    return policy_speak_detector()
