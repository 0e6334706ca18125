"""Honest numbers for a learned calibration: a fixed outer K-fold, nothing fitted on its test.

In each outer fold, everything is fitted on the training folds only: the text models, the
choice of k and of the feature groups (by inner cross-validation), every scaler and ridge
penalty, and the baseline. A test conversation's neighbours come from the training folds,
never from its own fold and never itself. Predictions of all folds are pooled and compared
with the human mean; the same run measures one human and split-half reliability on the
same conversations, and the gain over the baseline with a paired bootstrap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Protocol

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field
from sklearn.model_selection import KFold
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from evals._agreement import Estimate
from evals._baseline import (
    baseline_predictions,
    correlation,
    one_human,
    paired_gain,
    split_half,
)
from evals._features import similarity_matrix
from evals._learned import (
    BLAS_THREADS,
    MIN_ITEMS,
    LearnedCalibration,
    LearningSet,
    fit_learned,
    knn_scores,
    predict_targets,
)
from grader._errors import InputError

__all__ = ["FitFn", "LearnedCheck", "TargetCheck", "cross_validate_learned", "raw_score_of"]

Rows = list[list[float | None]]


class FitFn(Protocol):
    """What fits a calibration on a training set (`fit_learned`, or a spy in tests)."""

    def __call__(self, lset: LearningSet) -> LearnedCalibration: ...


def _default_fit(lset: LearningSet) -> LearnedCalibration:
    return fit_learned(lset, tenant="cv", rubric_id="", rubric_version="", embedding="")


class TargetCheck(BaseModel):
    """One target, out of fold: the baseline, the calibrated grader, the raw grader, people."""

    target: str
    items: int
    one_human: Estimate | None = None
    split_half: Estimate | None = None
    baseline: Estimate
    calibrated: Estimate
    gain: Estimate = Field(description="Calibrated minus baseline Spearman, paired bootstrap.")
    raw: Estimate | None = Field(None, description="The grader's raw score, where it graded.")
    raw_source: str | None = None
    by_tag: dict[str, dict[str, Estimate]] = Field(default_factory=dict)
    chosen: dict[str, int] = Field(
        default_factory=dict, description="Feature sets chosen by the inner CV, per fold count."
    )


class LearnedCheck(BaseModel):
    """A learned calibration measured by outer K-fold cross-validation."""

    folds: int
    seed: int
    items: int
    graded: int = Field(0, description="Conversations with grader verdicts among the features.")
    targets: list[TargetCheck]
    ids: list[str]
    test_ids: list[list[str]] = Field(description="Each outer fold's evaluation conversations.")
    predictions: dict[str, list[float | None]] = Field(
        default_factory=dict, description="'calibrated.<target>' / 'baseline.<target>' per id."
    )


def raw_score_of(target: str) -> str:
    """The grader's own number to compare with a human target."""
    if target.startswith(("element.", "dimension.")):
        return f"llm.{target}"
    return "llm.overall"


def _nan_list(values: NDArray[np.float64]) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in values]


def _by_tag(
    lset: LearningSet, y: NDArray[np.float64], preds: Mapping[str, NDArray[np.float64]],
    resamples: int, seed: int,
) -> dict[str, dict[str, Estimate]]:  # fmt: skip
    tags = sorted(set(lset.tags) - {""})
    if len(tags) < 2:
        return {}
    out = {}
    for tag in tags:
        rows = np.array([t == tag for t in lset.tags])
        out[tag] = {
            name: correlation(p[rows], y[rows], resamples=resamples, seed=seed)
            for name, p in preds.items()
        }
    return out


def _neighbours(test: LearningSet, train: LearningSet) -> Callable[[str, int], NDArray[np.float64]]:
    """Neighbour scores of test items, from the training items only."""
    sims = similarity_matrix(test.vectors, train.vectors)

    def scores(target: str, k: int) -> NDArray[np.float64]:
        return knn_scores(sims, train.targets[target], k)

    return scores


def cross_validate_learned(
    lset: LearningSet,
    *,
    folds: int = 5,
    seed: int = 0,
    resamples: int = 1000,
    raters: Mapping[str, Rows] | None = None,
    fit: FitFn = _default_fit,
    on_fold: Callable[[int], None] | None = None,
) -> LearnedCheck:
    """Out-of-fold predictions of the calibration and the baseline, and every comparison."""
    n = len(lset)
    if n < 2 * folds or n < MIN_ITEMS:
        raise InputError(f"{n} conversations: cross-validation with {folds} folds needs more")
    targets = [t for t, y in lset.targets.items() if (~np.isnan(y)).sum() >= MIN_ITEMS]
    calibrated = {t: np.full(n, np.nan) for t in targets}
    baseline = {t: np.full(n, np.nan) for t in targets}
    chosen: dict[str, Counter[str]] = {t: Counter() for t in targets}
    test_ids = []
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    with threadpool_limits(limits=BLAS_THREADS, user_api="blas"):
        for number, (train, test) in enumerate(splitter.split(np.arange(n))):
            tr, te = lset.subset(train), lset.subset(test)
            test_ids.append(te.ids)
            cal = fit(tr)
            preds = predict_targets(cal, te.text, te.named, _neighbours(te, tr))
            for t in targets:
                if t in preds:
                    calibrated[t][test] = preds[t]
                    chosen[t]["+".join(cal.targets[t].groups)] += 1
                baseline[t][test] = baseline_predictions(tr.text, tr.targets[t], te.text)
            if on_fold is not None:
                on_fold(number)
    checks = []
    for t in targets:
        y = lset.targets[t]
        raw_name = raw_score_of(t)
        raw = lset.named.get(raw_name)
        rows = (raters or {}).get(t)
        checks.append(
            TargetCheck(
                target=t,
                items=int((~np.isnan(y)).sum()),
                one_human=one_human(rows) if rows else None,
                split_half=split_half(rows, seed=seed) if rows else None,
                baseline=correlation(baseline[t], y, resamples=resamples, seed=seed),
                calibrated=correlation(calibrated[t], y, resamples=resamples, seed=seed),
                gain=paired_gain(calibrated[t], baseline[t], y, resamples=resamples, seed=seed),
                raw=correlation(raw, y, resamples=resamples, seed=seed)
                if raw is not None and (~np.isnan(raw)).sum() >= 3
                else None,
                raw_source=raw_name if raw is not None else None,
                by_tag=_by_tag(
                    lset,
                    y,
                    {"baseline": baseline[t], "calibrated": calibrated[t]},
                    resamples,
                    seed,
                ),
                chosen=dict(chosen[t]),
            )
        )
    predictions = {f"calibrated.{t}": _nan_list(v) for t, v in calibrated.items()}
    predictions |= {f"baseline.{t}": _nan_list(v) for t, v in baseline.items()}
    graded = sum(
        not all(np.isnan(v[i]) for k, v in lset.named.items() if k.startswith("llm."))
        for i in range(n)
    ) if lset.has_verdicts else 0  # fmt: skip
    return LearnedCheck(
        folds=folds,
        seed=seed,
        items=n,
        graded=graded,
        targets=checks,
        ids=lset.ids,
        test_ids=test_ids,
        predictions=predictions,
    )
