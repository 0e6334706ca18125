"""The numbers a learned calibration must beat, computed from the same data in the same run.

* the *baseline*: the mean of a conversation's MiniLM turn vectors, ridge regression to the
  mean human score, evaluated out of fold (scaler and penalty fitted in the training folds);
* *one human*: one rater (position) against the mean of the others, averaged over raters;
* *split-half*: the mean of a random half of the raters against the mean of the other half
  (Spearman, averaged over seeded random splits; 19 raters split 9/10, 5 split 2/3).

`paired_gain` bootstraps the difference of two predictors' Spearman on the same items.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.stats import rankdata

from evals._agreement import Estimate, one_vs_rest, rank_correlations
from evals._features import TEXT_BLOCKS
from evals._ridge import RegressorFit, fit_ridge
from retrieval._embedding import EMBEDDING_DIM

__all__ = [
    "baseline_columns",
    "baseline_predictions",
    "correlation",
    "one_human",
    "paired_gain",
    "split_half",
]

Rows = Sequence[Sequence[float | None]]
SPLITS = 20


def baseline_columns() -> slice:
    """The text matrix's columns that hold the mean of all turn vectors."""
    start = TEXT_BLOCKS.index("all_mean") * EMBEDDING_DIM
    return slice(start, start + EMBEDDING_DIM)


def baseline_predictions(
    train_text: NDArray[np.float64],
    train_y: NDArray[np.float64],
    test_text: NDArray[np.float64],
    fit: RegressorFit = fit_ridge,
) -> NDArray[np.float64]:
    """Embedding-ridge predictions for the test rows, fitted on the labelled training rows."""
    cols = baseline_columns()
    rows = ~np.isnan(train_y)
    return fit(train_text[rows][:, cols], train_y[rows]).model.predict(test_text[:, cols])


def _matrix(rows: Rows) -> NDArray[np.float64]:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def one_human(rows: Rows) -> Estimate:
    """One rater against the mean of the others (the eval's own statistic)."""
    return one_vs_rest(rows)


def split_half(rows: Rows, *, splits: int = SPLITS, seed: int = 0) -> Estimate:
    """Spearman between the means of two random halves of the raters, over `splits` splits."""
    data = _matrix(rows)
    if data.ndim != 2 or data.shape[0] < 2:
        return Estimate.undefined("needs at least two raters")
    raters = data.shape[0]
    rng = np.random.default_rng(seed)
    values = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an item one half never rated
        for _ in range(splits):
            order = rng.permutation(raters)
            a = np.nanmean(data[order[: raters // 2]], axis=0)
            b = np.nanmean(data[order[raters // 2 :]], axis=0)
            keep = ~(np.isnan(a) | np.isnan(b))
            value = _rho(a[keep], b[keep])
            if value is not None:
                values.append(value)
    if not values:
        return Estimate.undefined("no split has two halves that vary", n=int(data.shape[1]))
    low, high = np.percentile(values, [2.5, 97.5])
    return Estimate(
        value=float(np.mean(values)),
        low=float(low),
        high=float(high),
        n=int(data.shape[1]),
        note=f"mean of {len(values)} random splits, {raters // 2} vs {raters - raters // 2} "
        "raters; interval: spread over the splits",
    )


def _rho(x: NDArray[np.float64], y: NDArray[np.float64]) -> float | None:
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return None
    return float(np.corrcoef(rankdata(x), rankdata(y))[0, 1])


def correlation(
    predicted: NDArray[np.float64], human: NDArray[np.float64], *, resamples: int, seed: int
) -> Estimate:
    """Spearman of predictions against the human mean with a bootstrap 95 % interval."""
    keep = ~(np.isnan(predicted) | np.isnan(human))
    stats = rank_correlations(
        predicted[keep].tolist(), human[keep].tolist(), resamples=resamples, seed=seed
    )
    return stats["spearman"]


def paired_gain(
    better: NDArray[np.float64],
    worse: NDArray[np.float64],
    human: NDArray[np.float64],
    *,
    resamples: int,
    seed: int,
) -> Estimate:
    """Spearman(better) - Spearman(worse) on the same items, with a paired bootstrap interval."""
    keep = ~(np.isnan(better) | np.isnan(worse) | np.isnan(human))
    a, b, y = better[keep], worse[keep], human[keep]
    first, second = _rho(a, y), _rho(b, y)
    if first is None or second is None:
        return Estimate.undefined("a predictor or the human scores do not vary", int(keep.sum()))
    diffs = []
    rng = np.random.default_rng(seed)
    for _ in range(resamples):
        idx = rng.integers(0, len(y), len(y))
        ra, rb = _rho(a[idx], y[idx]), _rho(b[idx], y[idx])
        if ra is not None and rb is not None:
            diffs.append(ra - rb)
    low, high = np.percentile(diffs, [2.5, 97.5]) if diffs else (None, None)
    return Estimate(
        value=first - second,
        low=None if low is None else float(low),
        high=None if high is None else float(high),
        n=len(y),
    )
