"""Ridge regression on standardised inputs, kept as plain numbers (no pickle).

A `LinearMap` is everything a prediction needs: the training mean and scale of each input,
the coefficients, the intercept and the penalty chosen. Inputs missing at prediction time
(NaN) take their training mean, so they contribute nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field
from sklearn.linear_model import RidgeCV

__all__ = ["ALPHAS", "LinearMap", "RegressorFit", "RidgeFit", "fit_ridge"]

Matrix = NDArray[np.float64]
ALPHAS = tuple(float(a) for a in np.logspace(-2, 5, 15))


class LinearMap(BaseModel):
    """Standardise, then a linear function: y = intercept + sum(coef * (x - mean) / scale).

    A missing input (NaN) is replaced by its training mean, so it contributes nothing.
    """

    features: list[str] = Field(default_factory=list, description="Empty for the text block.")
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    alpha: float

    def predict(self, x: Matrix) -> NDArray[np.float64]:
        """Predictions for rows of `x` (columns in `features` order)."""
        z = self.standardise(x)
        return np.asarray(z @ np.asarray(self.coef) + self.intercept, dtype=np.float64)

    def standardise(self, x: Matrix) -> Matrix:
        """Inputs on the scale the coefficients apply to (NaN -> 0)."""
        z = (np.asarray(x, dtype=np.float64) - np.asarray(self.mean)) / np.asarray(self.scale)
        return np.where(np.isnan(z), 0.0, z)


@dataclass(frozen=True)
class RidgeFit:
    """A fitted ridge and its leave-one-out predictions of the rows it was fitted on."""

    model: LinearMap
    loo: NDArray[np.float64]


RegressorFit = Callable[[Matrix, NDArray[np.float64]], RidgeFit]


def _neg_mse(estimator: Any, x: Matrix, y: NDArray[np.float64]) -> float:
    """The usual penalty choice (least squared error); a plain callable is the fast path."""
    return -float(np.mean((estimator.predict(x) - y) ** 2))


def fit_ridge(x: Matrix, y: NDArray[np.float64]) -> RidgeFit:
    """Ridge on standardised inputs, its penalty chosen by leave-one-out over ALPHAS.

    scikit-learn's efficient leave-one-out (GCV) also gives each row's prediction by the
    model fitted without it, which serves as the out-of-fold prediction at no extra cost.
    """
    x = np.asarray(x, dtype=np.float64)
    mean = np.nanmean(x, axis=0) if len(x) else np.zeros(x.shape[1])
    mean = np.where(np.isnan(mean), 0.0, mean)
    filled = np.where(np.isnan(x), mean, x)
    scale = filled.std(axis=0)
    scale = np.where(scale > 1e-12, scale, 1.0)
    model = RidgeCV(alphas=ALPHAS, scoring=_neg_mse, store_cv_results=True)
    model.fit((filled - mean) / scale, y)
    loo = np.asarray(model.cv_results_[:, ALPHAS.index(float(model.alpha_))], dtype=np.float64)
    linear = LinearMap(
        mean=mean.tolist(),
        scale=scale.tolist(),
        coef=np.asarray(model.coef_, dtype=np.float64).tolist(),
        intercept=float(model.intercept_),
        alpha=float(model.alpha_),
    )
    return RidgeFit(linear, loo)
