"""Agreement statistics, each a thin wrapper over a well-kept library.

scikit-learn gives weighted kappa and confusion matrices, scipy the rank correlations,
`krippendorff` the ordinal alpha. What is ours: the guards. With fewer than two distinct
values (or too few items) a statistic is undefined, and it comes back as an `Estimate`
whose value is None and whose `reason` says why, never as NaN or an exception.
"""

from __future__ import annotations

import statistics
import warnings
from collections.abc import Sequence

import krippendorff
import numpy as np
from pydantic import BaseModel
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix

__all__ = [
    "MIN_ITEMS",
    "Estimate",
    "NaAgreement",
    "bootstrap_ci",
    "consensus",
    "kendall",
    "mean_or_none",
    "na_agreement",
    "one_vs_rest",
    "ordinal_alpha",
    "rank_correlations",
    "score_confusion",
    "spearman",
    "weighted_kappa",
]

#: Fewest paired items a correlation or kappa is reported for.
MIN_ITEMS = 3


class Estimate(BaseModel):
    """A statistic: its value (None when undefined, with the reason) and a 95 % interval."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0
    reason: str | None = None
    note: str | None = None

    @classmethod
    def undefined(cls, reason: str, n: int = 0) -> Estimate:
        """A statistic that cannot be computed on these data."""
        return cls(value=None, n=n, reason=reason)


class NaAgreement(BaseModel):
    """How often the grader and the humans agree on whether an element applied."""

    n: int
    agreement: float | None
    both_na: int
    grader_only_na: int
    human_only_na: int


def consensus(labels: Sequence[int | None]) -> int | None:
    """Several raters' labels as one: N/A when most said N/A, else the lower median score.

    The lower median keeps the consensus on the scale (two raters giving 2 and 3 agree on 2).
    """
    if not labels:
        raise ValueError("no labels")
    scores = [s for s in labels if s is not None]
    if len(labels) - len(scores) > len(labels) / 2 or not scores:
        return None
    return int(statistics.median_low(scores))


def mean_or_none(values: Sequence[float]) -> float | None:
    """The mean, or None for no values."""
    return float(np.mean(values)) if len(values) else None


def _undefined_reason(*columns: Sequence[float], min_items: int = MIN_ITEMS) -> str | None:
    n = len(columns[0])
    if n < min_items:
        return f"only {n} paired item(s); needs {min_items}"
    for column in columns:
        if len(set(column)) < 2:
            return f"every value is {column[0]!r}: no variation to agree on"
    return None


def weighted_kappa(human: Sequence[int], grader: Sequence[int], max_level: int) -> Estimate:
    """Quadratic-weighted Cohen's kappa on the element's whole scale 0..max_level."""
    n = len(human)
    if n < MIN_ITEMS:
        return Estimate.undefined(f"only {n} paired item(s); needs {MIN_ITEMS}", n)
    if len(set(human) | set(grader)) < 2:
        return Estimate.undefined(f"everyone gave {human[0]}: kappa is undefined", n)
    value = cohen_kappa_score(human, grader, weights="quadratic", labels=list(range(max_level + 1)))
    return Estimate(value=float(value), n=n)


def score_confusion(human: Sequence[int], grader: Sequence[int], max_level: int) -> list[list[int]]:
    """Rows: the human level; columns: the grader's level."""
    if not human:
        return [[0] * (max_level + 1) for _ in range(max_level + 1)]
    matrix = confusion_matrix(human, grader, labels=list(range(max_level + 1)))
    return [[int(v) for v in row] for row in matrix]


def na_agreement(human_na: Sequence[bool], grader_na: Sequence[bool]) -> NaAgreement:
    """Agreement on applicability, with the two kinds of disagreement counted apart."""
    pairs = list(zip(human_na, grader_na, strict=True))
    return NaAgreement(
        n=len(pairs),
        agreement=(sum(h == g for h, g in pairs) / len(pairs)) if pairs else None,
        both_na=sum(h and g for h, g in pairs),
        grader_only_na=sum(g and not h for h, g in pairs),
        human_only_na=sum(h and not g for h, g in pairs),
    )


def ordinal_alpha(rows: Sequence[Sequence[float | None]], domain: Sequence[float]) -> Estimate:
    """Krippendorff's alpha, ordinal; rows are coders, columns items, None is missing."""
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return Estimate.undefined("needs at least two coders")
    pairable = data[:, np.sum(~np.isnan(data), axis=0) >= 2]
    n = int(pairable.shape[1])
    if n == 0:
        return Estimate.undefined("no item was rated by two coders")
    values = set(pairable[~np.isnan(pairable)].tolist())
    if len(values) < 2:
        return Estimate.undefined(f"every value is {values.pop():g}: alpha is undefined", n)
    value = krippendorff.alpha(
        reliability_data=data, value_domain=list(domain), level_of_measurement="ordinal"
    )
    return Estimate(value=float(value), n=n)


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho, None when undefined."""
    if _undefined_reason(x, y, min_items=2):
        return None
    return float(spearmanr(x, y).statistic)


def kendall(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's tau-b, None when undefined."""
    if _undefined_reason(x, y, min_items=2):
        return None
    return float(kendalltau(x, y).statistic)


def bootstrap_ci(
    x: Sequence[float], y: Sequence[float], statistic: str, *, resamples: int, seed: int
) -> tuple[float | None, float | None]:
    """Percentile 95 % interval from a seeded paired bootstrap over items.

    Resamples where either side is constant have no correlation and are left out.
    """
    if resamples <= 0:
        return None, None
    fn = spearman if statistic == "spearman" else kendall
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        idx = rng.integers(0, len(xs), len(xs))
        value = fn(xs[idx].tolist(), ys[idx].tolist())
        if value is not None and not np.isnan(value):
            values.append(value)
    if len(values) < resamples / 2:
        return None, None
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def rank_correlations(
    x: Sequence[float], y: Sequence[float], *, resamples: int = 1000, seed: int = 0
) -> dict[str, Estimate]:
    """Spearman and Kendall between paired values, each with a bootstrap 95 % interval."""
    n = len(x)
    reason = _undefined_reason(x, y)
    if reason:
        return {"spearman": Estimate.undefined(reason, n), "kendall": Estimate.undefined(reason, n)}
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # tiny resamples: degenerate ranks
        for name, fn in (("spearman", spearman), ("kendall", kendall)):
            low, high = bootstrap_ci(x, y, name, resamples=resamples, seed=seed)
            out[name] = Estimate(value=fn(x, y), low=low, high=high, n=n)
    return out


def one_vs_rest(rows: Sequence[Sequence[float | None]]) -> Estimate:
    """How well one person agrees with the crowd, averaged over raters.

    For each rater (row): Spearman between their ratings and the mean of the other raters
    on the same items.
    """
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    if data.ndim != 2 or data.shape[0] < 2:
        return Estimate.undefined("needs at least two raters")
    per_rater = []
    for r in range(data.shape[0]):
        others = np.delete(data, r, axis=0)
        keep = ~np.isnan(data[r]) & (np.sum(~np.isnan(others), axis=0) > 0)
        if not keep.any():
            continue
        rest = np.nanmean(others[:, keep], axis=0)
        value = spearman(data[r, keep].tolist(), rest.tolist())
        if value is not None:
            per_rater.append(value)
    if not per_rater:
        return Estimate.undefined("no rater varies together with the others")
    return Estimate(
        value=float(np.mean(per_rater)),
        n=int(data.shape[1]),
        note=f"mean over {len(per_rater)} raters (each from "
        f"{min(per_rater):.2f} to {max(per_rater):.2f})",
    )
