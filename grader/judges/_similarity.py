"""The similarity judge: the rubric's per-level exemplar sentences, matched by MiniLM.

An element may list, per level, sentences an agent at that level would say (`exemplars`).
Each agent sentence is compared with every exemplar; a sentence whose best match reaches the
rubric's `judging.match_similarity` votes for that exemplar's level, weighted by how far
above the threshold it is. The vote is the weighted mean level; its confidence grows with
the best match and the number of matching sentences. No match: the judge abstains. The
exemplars are embedded once per rubric; the transcript's vectors come from the context.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from grader._embedding import EMBEDDING_DIM, SentenceEncoder
from grader._results import JudgeVote
from grader._rubric import Element, Rubric
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = ["similarity_judge"]


_Bank = dict[str, tuple[NDArray[np.float32], NDArray[np.int64]]]
_banks: dict[tuple[str, int], _Bank] = {}


def _bank(rubric: Rubric, encoder: SentenceEncoder) -> _Bank:
    """Element id -> (exemplar vectors, their levels), embedded in one call per rubric."""
    key = (rubric.version, id(encoder))
    if key not in _banks:
        _banks[key] = _embed_bank(rubric, encoder)
    return _banks[key]


def _embed_bank(rubric: Rubric, encoder: SentenceEncoder) -> _Bank:
    texts: list[str] = []
    owners: list[tuple[str, int]] = []
    for el in rubric.elements:
        if "similarity" in el.judges:
            for level, sentences in el.exemplars.items():
                texts += sentences
                owners += [(el.id, level)] * len(sentences)
    vectors = encoder.embed(texts) if texts else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    out: _Bank = {}
    for el_id in dict.fromkeys(o for o, _ in owners):
        rows = [i for i, (o, _) in enumerate(owners) if o == el_id]
        out[el_id] = (vectors[rows], np.array([owners[i][1] for i in rows], dtype=np.int64))
    return out


def _vote(
    ctx: JudgeContext, el: Element, vecs: NDArray[np.float32], levels: NDArray[np.int64]
) -> JudgeVote | None:
    rows = [
        i
        for i, s in enumerate(ctx.segments)
        if s.role in el.evidence_from and s.role.value != "customer"
    ]
    if not rows:
        return None
    sims = ctx.vectors[rows] @ vecs.T  # (sentences, exemplars)
    best = sims.argmax(axis=1)
    best_sim = sims[np.arange(len(rows)), best]
    threshold = ctx.rubric.judging.match_similarity
    hit = np.flatnonzero(best_sim >= threshold)
    if hit.size == 0:
        return None
    weights = best_sim[hit] - threshold + 0.05
    score = float((levels[best[hit]] * weights).sum() / weights.sum())
    top = float(best_sim[hit].max())
    confidence = min(0.7, 0.3 + (top - threshold) * 1.5 + 0.05 * min(hit.size - 1, 3))
    order = hit[np.argsort(-best_sim[hit])]
    return JudgeVote(
        judge="similarity:exemplars",
        score=round(score, 3),
        confidence=round(confidence, 3),
        evidence=[ctx.segments[rows[i]].id for i in order[:3]],
        rationale=f"{hit.size} agent sentence(s) like the level-"
        f"{'/'.join(str(int(x)) for x in sorted(set(levels[best[hit]].tolist())))} exemplars "
        f"(best similarity {top:.2f})",
    )


def similarity_judge(encoder: SentenceEncoder) -> Judge:
    """Votes on every element that lists exemplars, by sentence similarity."""

    async def judge(ctx: JudgeContext) -> Votes:
        if not ctx.has_vectors:
            return {}
        bank = _bank(ctx.rubric, encoder)
        votes = {}
        for el in ctx.rubric.elements:
            if el.id in bank:
                vote = _vote(ctx, el, *bank[el.id])
                if vote is not None:
                    votes[el.id] = vote
        return votes

    return judge
