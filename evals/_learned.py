"""Learned calibration: predict this team's human scores from what the grader can see.

Two stages, both ridge regressions fitted with scikit-learn and stored as plain numbers:

1. per target (an outcome, an element, a dimension or the overall score), a *text* model
   from the pooled turn (and agent-sentence) vectors, and a *neighbour* score: the
   similarity-weighted mean human score of the k most similar scored conversations (k
   chosen by leave-one-out);
2. a small *final* model over named features: those two scores, the deterministic signals,
   courtesy cues and the grader's verdicts where there are some. Which groups of features
   it uses, and its ridge penalty, are chosen by leave-one-out cross-validation inside the
   training data.

Stage-one scores of the training items are leave-one-out (the text model's prediction
without the item, neighbours other than the item itself), so the final model learns how far
to trust them on items they have not seen, as it will meet them at grading time. Every
coefficient, mean and scale is kept as JSON (`LearnedCalibration`), so a fit is inspectable
and versioned by hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from evals._features import TEXT_BLOCKS, TURN_COLUMNS, TurnVectors, similarity_matrix
from evals._ridge import LinearMap, RegressorFit, RidgeFit, fit_ridge
from grader._errors import InputError
from grader._transcript import Transcript

__all__ = [
    "GROUPS",
    "LearnedCalibration",
    "LearningSet",
    "TargetModel",
    "fit_learned",
    "knn_scores",
    "predict_targets",
    "training_similarity",
]

Matrix = NDArray[np.float64]
#: Feature groups of the final model, in the order they are tried.
GROUPS = ("text", "neighbours", "signals", "cues", "llm", "cross")
_CANDIDATES: tuple[tuple[str, ...], ...] = (
    ("text", "neighbours"),
    ("text", "neighbours", "signals"),
    ("text", "neighbours", "signals", "cues"),
    ("text", "neighbours", "signals", "cues", "cross"),
)
NEIGHBOUR_KS = (10, 25, 50)
POWER = 4.0
#: BLAS threads while fitting: many small solves on a shared 2-core machine run several
#: times faster on one thread than on threads that wait for each other (measured 4x).
BLAS_THREADS = 1
MIN_ITEMS = 10


class TargetModel(BaseModel):
    """Everything that predicts one target, with how it was chosen."""

    target: str
    scale: tuple[float, float]
    items: int
    text: LinearMap
    text_columns: int = Field(description="How many text-matrix columns the text model reads.")
    neighbours: int = Field(description="k of the neighbour score.")
    groups: list[str]
    final: LinearMap
    inner_cv: dict[str, float | None] = Field(
        default_factory=dict,
        description="Leave-one-out Spearman of each candidate feature set (training data only).",
    )


class LearnedCalibration(BaseModel):
    """A fitted learned calibration for one tenant and rubric version, as stored."""

    method: Literal["learned"] = "learned"
    tenant: str
    rubric_id: str
    rubric_version: str
    model: str = Field("", description="The grader whose verdicts were features, if any.")
    fitted_on: list[str] = Field(default_factory=list)
    items: int
    embedding: str
    text_blocks: list[str] = Field(default_factory=lambda: list(TEXT_BLOCKS))
    power: float = POWER
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    targets: dict[str, TargetModel]

    @cached_property
    def calibration_id(self) -> str:
        """Content hash of the fit (the time it was made is not part of it)."""
        body = self.model_dump(mode="json", exclude={"created_at"})
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:12]
        return f"learned:{self.tenant}:{digest}"

    @property
    def max_neighbours(self) -> int:
        """How many exemplars to retrieve to serve every target."""
        return max((m.neighbours for m in self.targets.values()), default=0)


@dataclass
class LearningSet:
    """Conversations, their features and their human scores, row-aligned."""

    ids: list[str]
    transcripts: list[Transcript]
    vectors: list[TurnVectors]
    text: Matrix
    named: dict[str, NDArray[np.float64]]
    targets: dict[str, NDArray[np.float64]]
    scales: dict[str, tuple[float, float]]
    tags: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, rows: Sequence[int] | NDArray[np.intp]) -> LearningSet:
        """The same set restricted to `rows`, in that order."""
        idx = np.asarray(rows, dtype=np.intp)
        return LearningSet(
            ids=[self.ids[i] for i in idx],
            transcripts=[self.transcripts[i] for i in idx],
            vectors=[self.vectors[i] for i in idx],
            text=self.text[idx],
            named={k: v[idx] for k, v in self.named.items()},
            targets={k: v[idx] for k, v in self.targets.items()},
            scales=dict(self.scales),
            tags=[self.tags[i] for i in idx] if self.tags else [],
        )

    def group_of(self, name: str) -> str:
        """The feature group a named feature belongs to."""
        return {"signal": "signals", "cue": "cues", "llm": "llm"}[name.split(".")[0]]

    @property
    def has_verdicts(self) -> bool:
        """Whether any item has a grader verdict to learn from."""
        return any(not np.isnan(v).all() for k, v in self.named.items() if k.startswith("llm."))


def knn_scores(
    similarity: Matrix, labels: NDArray[np.float64], k: int, power: float = POWER
) -> NDArray[np.float64]:
    """Per query row, the similarity-weighted mean label of its k most similar references.

    References without a label (NaN) are skipped; a -inf similarity marks one that must never
    be used (the item itself). The weights are max(sim, 0) ** power, as in the store.
    """
    have = ~np.isnan(labels)
    sims = similarity[:, have]
    values = labels[have]
    out = np.full(len(similarity), np.nan)
    if not have.any():
        return out
    k = max(1, min(k, sims.shape[1]))
    top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
    chosen = np.take_along_axis(sims, top, axis=1)
    usable = np.isfinite(chosen)
    weights = np.where(usable, np.maximum(chosen, 0.0) ** power + 1e-9, 0.0)
    total = weights.sum(axis=1)
    sums = (weights * values[top]).sum(axis=1)
    ok = total > 0
    out[ok] = sums[ok] / total[ok]
    return out


def training_similarity(vectors: Sequence[TurnVectors]) -> Matrix:
    """Similarities among training items, -inf on the diagonal: never one's own neighbour."""
    similarity = similarity_matrix(vectors, vectors)
    np.fill_diagonal(similarity, -np.inf)
    return similarity


def _spearman(x: NDArray[np.float64], y: NDArray[np.float64]) -> float | None:
    keep = ~(np.isnan(x) | np.isnan(y))
    if keep.sum() < 3 or np.ptp(x[keep]) == 0 or np.ptp(y[keep]) == 0:
        return None
    return float(spearmanr(x[keep], y[keep]).statistic)


def _text_out_of_fold(
    text: Matrix, y: NDArray[np.float64], fit: RegressorFit
) -> tuple[LinearMap, int, NDArray[np.float64]]:
    """The text model on every labelled row, and each row's prediction by a model without it.

    The turn blocks alone, or with the agent side's sentence blocks: whichever ranks the
    rows better left-one-out (the columns used are the first `columns`).
    """
    rows = np.flatnonzero(~np.isnan(y))
    best: tuple[float, int, RidgeFit] | None = None
    for columns in sorted({min(TURN_COLUMNS, text.shape[1]), text.shape[1]}):
        fitted = fit(text[rows][:, :columns], y[rows])
        score = _spearman(fitted.loo, y[rows])
        if best is None or (score is not None and score > best[0] + 1e-3):
            best = (score if score is not None else -1.0, columns, fitted)
    assert best is not None
    oof = np.full(len(y), np.nan)
    oof[rows] = best[2].loo
    return best[2].model, best[1], oof


def _choose_k(similarity: Matrix, y: NDArray[np.float64]) -> int:
    """The k whose leave-one-out neighbour score ranks the items best."""
    scored = [(_spearman(knn_scores(similarity, y, k), y) or -1.0, -k) for k in NEIGHBOUR_KS]
    return -max(scored)[1]


def _columns(
    lset: LearningSet,
    groups: Sequence[str],
    target: str,
    stage: Mapping[str, Mapping[str, NDArray[np.float64]]],
) -> tuple[list[str], Matrix]:
    names: list[str] = []
    cols: list[NDArray[np.float64]] = []
    for group in groups:
        if group == "text":
            picked = {f"text.{target}": stage["text"][target]}
        elif group == "neighbours":
            picked = {f"neighbours.{target}": stage["neighbours"][target]}
        elif group == "cross":
            picked = {f"text.{t}": v for t, v in stage["text"].items() if t != target}
            picked |= {f"neighbours.{t}": v for t, v in stage["neighbours"].items() if t != target}
        else:
            picked = {k: v for k, v in lset.named.items() if lset.group_of(k) == group}
        for name, column in picked.items():
            if not np.isnan(column).all():
                names.append(name)
                cols.append(np.asarray(column, dtype=np.float64))
    return names, np.column_stack(cols) if cols else np.zeros((len(lset), 0))


def _candidates(lset: LearningSet) -> list[tuple[str, ...]]:
    out = list(_CANDIDATES)
    if lset.has_verdicts:
        out += [(*c, "llm") for c in _CANDIDATES]
    return out


def _final(
    lset: LearningSet,
    target: str,
    stage: Mapping[str, Mapping[str, NDArray[np.float64]]],
    fit: RegressorFit,
) -> tuple[tuple[str, ...], LinearMap, dict[str, float | None]]:
    """The candidate feature set whose leave-one-out predictions rank the items best.

    A larger set must beat a smaller one by 0.001 to be chosen; its ridge is the final model.
    """
    y = lset.targets[target]
    rows = np.flatnonzero(~np.isnan(y))
    scores: dict[str, float | None] = {}
    best: tuple[float, tuple[str, ...], LinearMap] | None = None
    for groups in _candidates(lset):
        names, x = _columns(lset, groups, target, stage)
        fitted = fit(x[rows], y[rows])
        score = _spearman(fitted.loo, y[rows])
        scores["+".join(groups)] = score
        if score is not None and (best is None or score > best[0] + 1e-3):
            best = (score, groups, fitted.model.model_copy(update={"features": names}))
    if best is None:
        names, x = _columns(lset, _CANDIDATES[0], target, stage)
        model = fit(x[rows], y[rows]).model.model_copy(update={"features": names})
        return _CANDIDATES[0], model, scores
    return best[1], best[2], scores


def fit_learned(
    lset: LearningSet,
    *,
    tenant: str,
    rubric_id: str,
    rubric_version: str,
    embedding: str,
    model: str = "",
    fitted_on: Sequence[str] = (),
    fit: RegressorFit = fit_ridge,
) -> LearnedCalibration:
    """Fit every target the set has enough human scores for (MIN_ITEMS)."""
    labelled = {t: y for t, y in lset.targets.items() if (~np.isnan(y)).sum() >= MIN_ITEMS}
    if not labelled:
        raise InputError(f"no target has {MIN_ITEMS} human-scored conversations to learn from")
    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        similarity = training_similarity(lset.vectors)
        texts: dict[str, tuple[LinearMap, int]] = {}
        stage: dict[str, dict[str, NDArray[np.float64]]] = {"text": {}, "neighbours": {}}
        ks: dict[str, int] = {}
        for target, y in labelled.items():
            text_model, columns, stage["text"][target] = _text_out_of_fold(lset.text, y, fit)
            texts[target] = (text_model, columns)
            ks[target] = _choose_k(similarity, y)
            stage["neighbours"][target] = knn_scores(similarity, y, ks[target])
        models = {}
        for target in labelled:
            groups, final, scores = _final(lset, target, stage, fit)
            models[target] = TargetModel(
                target=target,
                scale=lset.scales[target],
                items=int((~np.isnan(lset.targets[target])).sum()),
                text=texts[target][0],
                text_columns=texts[target][1],
                neighbours=ks[target],
                groups=list(groups),
                final=final,
                inner_cv=scores,
            )
    return LearnedCalibration(
        tenant=tenant,
        rubric_id=rubric_id,
        rubric_version=rubric_version,
        model=model if lset.has_verdicts else "",
        fitted_on=list(fitted_on),
        items=len(lset),
        embedding=embedding,
        targets=models,
    )


def predict_targets(
    calibration: LearnedCalibration,
    text: Matrix,
    named: Mapping[str, NDArray[np.float64]],
    neighbours: Callable[[str, int], NDArray[np.float64]],
) -> dict[str, NDArray[np.float64]]:
    """Every target's prediction for rows of features, clipped to the target's scale.

    `neighbours(target, k)` gives each row's neighbour score for a target.
    """
    n = len(text)
    stage: dict[str, dict[str, NDArray[np.float64]]] = {"text": {}, "neighbours": {}}
    for target, m in calibration.targets.items():
        stage["text"][target] = m.text.predict(text[:, : m.text_columns])
        stage["neighbours"][target] = neighbours(target, m.neighbours)
    out = {}
    for target, m in calibration.targets.items():
        cols = []
        for name in m.final.features:
            kind, _, rest = name.partition(".")
            if kind in stage:
                cols.append(stage[kind].get(rest, np.full(n, np.nan)))
            else:
                cols.append(np.asarray(named.get(name, np.full(n, np.nan)), dtype=np.float64))
        x = np.column_stack(cols) if cols else np.zeros((n, 0))
        low, high = m.scale
        out[target] = np.clip(m.final.predict(x), low, high)
    return out
