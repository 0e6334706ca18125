"""What a learned calibration sees of a conversation: text vectors, signals, cues, verdicts.

Every feature is computed in code from the transcript (and the grader's verdicts where
there are some), so the same function serves fitting, cross-validation and grading time:

* text: per-turn MiniLM vectors pooled four ways (all turns, the customer's, the agent
  side's, the customer's last turn: their final words say much about how it went), and the
  agent side's sentence vectors pooled four ways (mean, max, first, last sentence), which
  keep a short request's tone that one vector for a whole turn blurs;
* signals: turn counts, lengths, who speaks last, policy-speak and escalations;
* cues: courtesy and friction markers (thanks, please, could you, sorry, hedges, "why",
  "!"...) in the agent side's turns and in the customer's last turn, after the politeness
  strategies of Danescu-Niculescu-Mizil et al. (2013);
* verdicts: the grader's element levels (as a fraction of the scale), dimension and overall
  scores; missing ones are NaN and are imputed by the fitted model.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from grader._embedding import EMBEDDING_DIM
from grader._embedding_cache import EmbeddingCache
from grader._results import Grade
from grader._rubric import Rubric
from grader._segments import segment_transcript
from grader._signals import Signals, compute_signals
from grader._transcript import Role, Transcript
from grader.judges._learned import LEARNED_CUES
from retrieval._exemplars import SIDES, side_of

__all__ = [
    "TEXT_BLOCKS",
    "TURN_COLUMNS",
    "TurnVectors",
    "VerdictView",
    "cue_features",
    "signal_features",
    "similarity_matrix",
    "text_matrix",
    "turn_vectors",
    "verdict_features",
]

TEXT_BLOCKS = (
    "all_mean",
    "customer_mean",
    "agent_mean",
    "customer_last",
    "agent_sentence_mean",
    "agent_sentence_max",
    "agent_sentence_first",
    "agent_sentence_last",
)
#: The turn blocks (the first four); the text model may also use the sentence blocks.
TURN_COLUMNS = 4 * EMBEDDING_DIM

#: The same politeness cues the learned judges read (one list, in the core).
_CUE_RX = {name: re.compile(rx, re.IGNORECASE | re.MULTILINE) for name, rx in LEARNED_CUES.items()}


@dataclass(frozen=True)
class TurnVectors:
    """One conversation's turn vectors, each turn's side, and the agent side's sentence vectors."""

    vectors: NDArray[np.float32]
    sides: tuple[str | None, ...]
    agent_sentences: NDArray[np.float32]


def _agent_sentences(transcript: Transcript) -> list[str]:
    return [s.text for s in segment_transcript(transcript) if side_of(s.role) == "agent"]


def turn_vectors(transcripts: Sequence[Transcript], cache: EmbeddingCache) -> list[TurnVectors]:
    """Every transcript's turn and agent-sentence vectors, embedded in one batch.

    A one-sentence turn is one text, so it is embedded (and cached) once.
    """
    texts: list[str] = []
    spans = []
    for tr in transcripts:
        turns, sentences = [t.text for t in tr.turns], _agent_sentences(tr)
        spans.append((len(texts), len(turns), len(sentences)))
        texts += turns + sentences
    flat = cache.embed(texts)
    return [
        TurnVectors(
            flat[start : start + n_turns],
            tuple(side_of(t.role) for t in tr.turns),
            flat[start + n_turns : start + n_turns + n_sentences],
        )
        for tr, (start, n_turns, n_sentences) in zip(transcripts, spans, strict=True)
    ]


def _pool(tv: TurnVectors, side: str | None, last: bool = False) -> NDArray[np.float32]:
    rows = [i for i, s in enumerate(tv.sides) if s is not None and (side is None or s == side)]
    if not rows:
        return np.zeros(EMBEDDING_DIM, dtype=np.float32)
    pooled = tv.vectors[rows[-1]] if last else tv.vectors[rows].mean(axis=0)
    return np.asarray(pooled, dtype=np.float32)


def _sentence_blocks(tv: TurnVectors) -> list[NDArray[np.float32]]:
    v = tv.agent_sentences
    if not len(v):
        return [np.zeros(EMBEDDING_DIM, dtype=np.float32)] * 4
    return [v.mean(axis=0), v.max(axis=0), v[0], v[-1]]


def text_matrix(tvs: Sequence[TurnVectors]) -> NDArray[np.float64]:
    """The text blocks side by side, one row per conversation: (n, 8 * 384).

    The first TURN_COLUMNS hold the turn blocks, the rest the agent side's sentences.
    """
    rows = [
        np.concatenate(
            [
                _pool(tv, None),
                _pool(tv, "customer"),
                _pool(tv, "agent"),
                _pool(tv, "customer", True),
                *_sentence_blocks(tv),
            ]
        )
        for tv in tvs
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(TEXT_BLOCKS) * EMBEDDING_DIM)


def _side_matrix(
    tvs: Sequence[TurnVectors], side: str
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    means = np.zeros((len(tvs), EMBEDDING_DIM))
    present = np.zeros(len(tvs), dtype=bool)
    for n, tv in enumerate(tvs):
        rows = [i for i, s in enumerate(tv.sides) if s == side]
        if rows:
            mean = tv.vectors[rows].mean(axis=0)
            means[n] = mean / max(float(np.linalg.norm(mean)), 1e-12)
            present[n] = True
    return means, present


def similarity_matrix(
    queries: Sequence[TurnVectors], refs: Sequence[TurnVectors]
) -> NDArray[np.float64]:
    """`retrieval.dialogue_similarity` for every (query, reference) pair at once."""
    total = np.zeros((len(queries), len(refs)))
    shared = np.zeros((len(queries), len(refs)))
    for side in SIDES:
        q, qp = _side_matrix(queries, side)
        r, rp = _side_matrix(refs, side)
        both = np.outer(qp, rp)
        total += np.where(both, q @ r.T, 0.0)
        shared += both
    return np.divide(total, shared, out=np.zeros_like(total), where=shared > 0)


def signal_features(transcript: Transcript, signals: Signals | None = None) -> dict[str, float]:
    """Deterministic facts as numbers (lengths on a log scale)."""
    signals = signals or compute_signals(transcript)
    said = {side: [t.text for t in transcript.turns if side_of(t.role) == side] for side in SIDES}
    spoken = [t for t in transcript.turns if side_of(t.role) is not None]
    handle = signals.handle_time_seconds
    return {
        "signal.turns": float(len(spoken)),
        "signal.customer_turns": float(signals.customer_turns),
        "signal.agent_turns": float(signals.agent_turns),
        "signal.customer_chars_log": math.log1p(sum(map(len, said["customer"]))),
        "signal.agent_chars_log": math.log1p(sum(map(len, said["agent"]))),
        "signal.customer_last_chars_log": math.log1p(len(said["customer"][-1]))
        if said["customer"]
        else 0.0,
        "signal.customer_speaks_last": float(bool(spoken) and spoken[-1].role is Role.CUSTOMER),
        "signal.policy_speak": float(sum(not h.explained for h in signals.policy_speak)),
        "signal.escalations": float(len(signals.escalations)),
        "signal.handle_minutes_log": math.log1p(handle / 60) if handle is not None else 0.0,
    }


def _cues(text: str, prefix: str) -> dict[str, float]:
    out = {f"cue.{prefix}.{name}": float(len(rx.findall(text))) for name, rx in _CUE_RX.items()}
    out[f"cue.{prefix}.questions"] = float(text.count("?"))
    out[f"cue.{prefix}.exclamations"] = float(text.count("!"))
    out[f"cue.{prefix}.shouting"] = float(sum(w.isupper() and len(w) > 2 for w in text.split()))
    return out


def cue_features(transcript: Transcript) -> dict[str, float]:
    """Courtesy and friction markers: agent side (all turns), customer (last turn)."""
    agent = "\n".join(t.text for t in transcript.turns if side_of(t.role) == "agent")
    customer = [t.text for t in transcript.turns if t.role is Role.CUSTOMER]
    return {**_cues(agent, "agent"), **_cues(customer[-1] if customer else "", "customer_last")}


@dataclass(frozen=True)
class VerdictView:
    """The grader's scores for one conversation, from a grade or an eval report row."""

    elements: dict[str, int | None]
    dimensions: dict[str, float | None]
    overall: float | None
    model: str = ""

    @classmethod
    def of(cls, grade: Grade) -> VerdictView | None:
        """The view of a graded grade (None when it is unscored)."""
        if grade.status != "graded":
            return None
        return cls(
            elements={v.element_id: v.score for v in grade.verdicts},
            dimensions={d.dimension_id: d.score for d in grade.dimensions},
            overall=grade.overall,
            model=grade.model,
        )


def verdict_features(view: VerdictView | None, rubric: Rubric) -> dict[str, float]:
    """Element levels as a fraction of their scale, dimension and overall scores on 0-1.

    N/A and missing values are NaN, imputed by the fitted model.
    """
    nan = float("nan")

    def frac(value: float | None, top: float) -> float:
        return nan if value is None else float(value) / top

    get = view or VerdictView({}, {}, None)
    out = {"llm.overall": frac(get.overall, 100.0)}
    out |= {
        f"llm.dimension.{d.id}": frac(get.dimensions.get(d.id), 100.0) for d in rubric.dimensions
    }
    out |= {
        f"llm.element.{e.id}": frac(get.elements.get(e.id), e.max_level) for e in rubric.elements
    }
    return out
