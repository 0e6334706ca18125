"""Recurring failure patterns: co-failing elements, policy phrases, clustered evidence.

Elements that fail together, unexplained policy phrases said where elements failed, and
clusters of the sentences cited as evidence for failures, each with example conversations.

Clusters come from the sentence embeddings (MiniLM unit vectors, so cosine is a dot
product): each sentence joins the closest cluster whose centroid it is similar enough to,
or starts one. Sentences are embedded once per call, in one batch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field

from app.qa._items import QAItem, failed_verdicts

__all__ = [
    "CoFailure",
    "Embedder",
    "EvidenceCluster",
    "Example",
    "PatternReport",
    "PhrasePattern",
    "failure_patterns",
]


class Embedder(Protocol):
    """What clustering needs: unit vectors for texts (the MiniLM encoder, or its disk cache)."""

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        """One unit vector per text."""
        ...


class CoFailure(BaseModel):
    """Two elements failing in the same conversations."""

    elements: tuple[str, str]
    together: int = Field(description="Conversations where both failed.")
    first_failed: int
    second_failed: int
    lift: float = Field(description="How much likelier together than if independent (1 = no link).")


class PhrasePattern(BaseModel):
    """An unexplained policy phrase and the elements that failed where it was said."""

    phrase: str
    kind: str
    conversations: int
    failed_elements: dict[str, int]


class Example(BaseModel):
    """A conversation showing a pattern, with the sentence cited."""

    grade_id: str
    transcript_id: str
    element_id: str
    quote: str


class EvidenceCluster(BaseModel):
    """Failure evidence that says the same thing in different conversations."""

    label: str = Field(description="The sentence closest to the cluster's centre.")
    sentences: int
    conversations: int
    elements: dict[str, int]
    examples: list[Example]


class PatternReport(BaseModel):
    """Everything recurring in a tenant's failures."""

    conversations: int
    with_failures: int
    co_failures: list[CoFailure]
    phrases: list[PhrasePattern]
    clusters: list[EvidenceCluster]


def _co_failures(failed: list[set[str]], total: int, min_count: int) -> list[CoFailure]:
    single = Counter(e for f in failed for e in f)
    pairs = Counter(p for f in failed for p in combinations(sorted(f), 2))
    out = [
        CoFailure(
            elements=(a, b),
            together=n,
            first_failed=single[a],
            second_failed=single[b],
            lift=round(n * total / (single[a] * single[b]), 3),
        )
        for (a, b), n in pairs.items()
        if n >= min_count
    ]
    out.sort(key=lambda c: (-c.together, -c.lift, c.elements))
    return out


def _phrases(items: list[QAItem], min_count: int) -> list[PhrasePattern]:
    seen: dict[tuple[str, str], list[QAItem]] = defaultdict(list)
    for item in items:
        signals = item.grade.signals
        hits = (
            {(h.phrase.casefold(), h.kind) for h in signals.policy_speak if not h.explained}
            if signals
            else set()
        )
        for key in hits:
            seen[key].append(item)
    out = []
    for (phrase, kind), members in seen.items():
        if len(members) < min_count:
            continue
        failed = Counter(v.element_id for i in members for v in failed_verdicts(i.grade))
        out.append(
            PhrasePattern(
                phrase=phrase,
                kind=kind,
                conversations=len(members),
                failed_elements=dict(failed.most_common()),
            )
        )
    out.sort(key=lambda p: (-p.conversations, p.phrase))
    return out


def _cluster(vectors: np.ndarray, threshold: float) -> list[list[int]]:
    """Leader clustering on unit vectors: join the most similar centroid at >= threshold."""
    members: list[list[int]] = []
    sums: list[np.ndarray] = []
    for index, vector in enumerate(vectors):
        if sums:
            centroids = np.stack([s / np.linalg.norm(s) for s in sums])
            sims = centroids @ vector
            best = int(np.argmax(sims))
            if sims[best] >= threshold:
                members[best].append(index)
                sums[best] = sums[best] + vector
                continue
        members.append([index])
        sums.append(vector.astype(np.float64))
    return members


def _clusters(
    items: list[QAItem],
    encoder: Embedder,
    *,
    threshold: float,
    min_conversations: int,
    examples: int,
) -> list[EvidenceCluster]:
    found: list[Example] = []
    for item in items:
        for verdict in failed_verdicts(item.grade):
            for ev in verdict.evidence:
                found.append(
                    Example(
                        grade_id=item.grade_id,
                        transcript_id=item.transcript_id,
                        element_id=verdict.element_id,
                        quote=ev.quote,
                    )
                )
    if not found:
        return []
    vectors = np.asarray(encoder.embed([e.quote for e in found]), dtype=np.float64)
    out = []
    for group in _cluster(vectors, threshold):
        conversations = {found[i].grade_id for i in group}
        if len(conversations) < min_conversations:
            continue
        centre = vectors[group].mean(axis=0)
        label = found[group[int(np.argmax(vectors[group] @ centre))]].quote
        shown: list[Example] = []
        picked: set[str] = set()
        for i in group:  # one example per conversation
            if found[i].grade_id not in picked and len(shown) < examples:
                picked.add(found[i].grade_id)
                shown.append(found[i])
        elements = Counter(found[i].element_id for i in group)
        out.append(
            EvidenceCluster(
                label=label,
                sentences=len(group),
                conversations=len(conversations),
                elements=dict(elements.most_common()),
                examples=shown,
            )
        )
    out.sort(key=lambda c: (-c.conversations, c.label))
    return out


def failure_patterns(
    items: Iterable[QAItem],
    encoder: Embedder,
    *,
    min_count: int = 2,
    threshold: float = 0.6,
    examples: int = 5,
) -> PatternReport:
    """Co-failing elements, policy phrases at failures, and clusters of failure evidence."""
    every = list(items)
    failed = [{v.element_id for v in failed_verdicts(i.grade)} for i in every]
    return PatternReport(
        conversations=len(every),
        with_failures=sum(bool(f) for f in failed),
        co_failures=_co_failures([f for f in failed if f], len(every), min_count),
        phrases=_phrases(every, min_count),
        clusters=_clusters(
            every, encoder, threshold=threshold, min_conversations=min_count, examples=examples
        ),
    )
