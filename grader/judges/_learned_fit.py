"""Fitting a learned judge's text scorer, and measuring it only on folds it did not see.

`fit_scorer` fits one `TextScorer` on texts (each with the mean unit vector of its sentences)
and a numeric target. `cross_validated` fits one per fold of a seeded K-fold, each on the
other folds only, so every text has a prediction from a scorer that never saw it; the
stored scorer (fitted on everything) carries that out-of-fold Spearman as `cv_spearman`.

Where the raters differ from text to text (a crowd-rated corpus), a scorer may fit
`rater_normalised` targets: each rating as a z-score among what its rater rated, averaged
per text. The Spearman is still taken against the plain mean of the ratings, and each fold
normalises its raters on its own training texts only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from grader._errors import InputError
from grader.judges._learned import CHAR_NGRAMS, TextScorer, cue_matrix
from grader.judges._ngram_views import (
    TOKEN_PATTERN,
    EdgeView,
    edge_sentences,
    mark_sentence_starts,
)

__all__ = [
    "FoldedScorers",
    "RaterRatings",
    "ScorerSpec",
    "cross_validated",
    "fit_scorer",
    "rater_normalised",
]

#: Per text, (rater, rating) for each of its ratings.
RaterRatings = Sequence[Sequence[tuple[str, float]]]

#: Ridge penalty and view weights chosen on the politeness corpus by 5-fold CV (word n-grams
#: with sentence starts + character n-grams + vectors + cues: 0.485 pooled, 0.655 Wikipedia,
#: 0.340 Stack Exchange; without the sentence starts and characters 0.478).
ALPHA = 10.0
MIN_DF = 3
#: Fewest texts before the character view is fitted (it needs many to beat its noise).
CHAR_MIN_TEXTS = 500
CHAR_MAX_FEATURES = 60_000
MIN_TEXTS = 12


@dataclass(frozen=True)
class ScorerSpec:
    """What a scorer is for: its element, data, target, unit and scale."""

    element_id: str
    fitted_on: str
    target: str
    unit: Literal["turn", "conversation"] = "turn"
    scale: Literal["percentile", "level"] = "percentile"
    side: Literal["agent", "all"] = "agent"
    ngrams: bool = True
    #: View weights in the design matrix (see `TextScorer`); the defaults suit a team's labels.
    vector_weight: float = 1.0
    cue_weight: float = 0.1
    #: Weighted n-gram views of each text's first / last sentence (none by default).
    edge_weights: tuple[tuple[Literal["first", "last"], float], ...] = ()


#: Fewest ratings a rater needs before their own mean and spread are used (else the pool's).
RATER_MIN_RATINGS = 5


def rater_normalised(ratings: RaterRatings) -> NDArray[np.float64]:
    """Each text's mean z-score, every rating standardised among its own rater's ratings.

    A rater seen fewer than `RATER_MIN_RATINGS` times, or who always gave the same rating,
    is standardised with the pooled mean and spread instead.
    """
    pooled = np.array([r for text in ratings for _, r in text], dtype=np.float64)
    if pooled.size == 0:
        raise InputError("rater-normalised targets need at least one rating")
    centre, spread = float(pooled.mean()), float(pooled.std()) or 1.0
    by_rater: dict[str, list[float]] = {}
    for text in ratings:
        for rater, rating in text:
            by_rater.setdefault(rater, []).append(float(rating))
    stats = {
        rater: (float(np.mean(v)), float(np.std(v)))
        for rater, v in by_rater.items()
        if len(v) >= RATER_MIN_RATINGS and float(np.std(v)) > 0
    }
    out = np.zeros(len(ratings))
    for i, text in enumerate(ratings):
        z = [
            (r - stats.get(k, (centre, spread))[0]) / stats.get(k, (centre, spread))[1]
            for k, r in text
        ]
        out[i] = float(np.mean(z)) if z else 0.0
    return out


def _edge_views(texts: Sequence[str], spec: ScorerSpec) -> list[EdgeView]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    views = []
    for position, weight in spec.edge_weights:
        vec = TfidfVectorizer(
            ngram_range=(1, 2), min_df=min(MIN_DF, max(1, len(texts) // 10)), sublinear_tf=True,
            token_pattern=TOKEN_PATTERN,
        )  # fmt: skip
        vec.fit(edge_sentences(texts, position))
        views.append(
            EdgeView(
                position=position,
                weight=weight,
                idf=[float(x) for x in vec.idf_],
                vocabulary={str(k): int(v) for k, v in vec.vocabulary_.items()},
            )
        )
    return views


def _confidence(spearman: float | None) -> float:
    """A vote is as sure as the scorer ranked unseen texts: its out-of-fold Spearman, 0.2..0.9."""
    return 0.2 if spearman is None else round(min(0.9, max(0.2, spearman)), 3)


def fit_scorer(
    texts: Sequence[str],
    vectors: NDArray[np.float32],
    targets: Sequence[float],
    spec: ScorerSpec,
    *,
    cv_spearman: float | None = None,
    ids: Sequence[str] = (),
    fold: int | None = None,
) -> TextScorer:
    """A ridge scorer fitted on all of `texts`; its votes' confidence follows `cv_spearman`.

    `ids` are the texts' transcript ids (the scorer never votes on one of them); `fold` marks
    a scorer fitted on one fold's complement (see `cross_validated`).
    """
    element_id, ngrams, scale = spec.element_id, spec.ngrams, spec.scale
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import Ridge

    if len(texts) < MIN_TEXTS or len(texts) != len(vectors) or len(texts) != len(targets):
        raise InputError(
            f"a learned scorer for '{element_id}' needs at least {MIN_TEXTS} texts, each with "
            f"one vector and one target (got {len(texts)}, {len(vectors)}, {len(targets)})"
        )
    y = np.asarray(targets, dtype=np.float64)
    cues = cue_matrix(texts)
    mean, scale_ = cues.mean(axis=0), cues.std(axis=0)
    scale_[scale_ == 0] = 1.0
    vocabulary: dict[str, int] = {}
    idf: list[float] = []
    chars: dict[str, int] = {}
    char_idf: list[float] = []
    if ngrams:
        vec = TfidfVectorizer(
            ngram_range=(1, 2), min_df=min(MIN_DF, max(1, len(texts) // 10)), sublinear_tf=True,
            token_pattern=TOKEN_PATTERN,
        )  # fmt: skip
        vec.fit([mark_sentence_starts(t) for t in texts])
        vocabulary = {str(k): int(v) for k, v in vec.vocabulary_.items()}
        idf = [float(x) for x in vec.idf_]
    if ngrams and len(texts) >= CHAR_MIN_TEXTS:
        char_vec = TfidfVectorizer(
            analyzer="char_wb", ngram_range=CHAR_NGRAMS, min_df=5, sublinear_tf=True,
            max_features=CHAR_MAX_FEATURES,
        )  # fmt: skip
        char_vec.fit(list(texts))
        chars = {str(k): int(v) for k, v in char_vec.vocabulary_.items()}
        char_idf = [float(x) for x in char_vec.idf_]
    edges = _edge_views(texts, spec) if ngrams else []
    draft = TextScorer(
        element_id=element_id, fitted_on=spec.fitted_on, target=spec.target, unit=spec.unit,
        scale=scale, side=spec.side, n=len(texts), confidence=_confidence(cv_spearman),
        cv_spearman=cv_spearman, fitted_ids=list(ids), fold=fold, vocabulary=vocabulary,
        idf=idf, mark_starts=ngrams, char_vocabulary=chars, char_idf=char_idf,
        cue_mean=mean.tolist(), cue_scale=scale_.tolist(), coef=[], intercept=0.0,
        vector_weight=spec.vector_weight, cue_weight=spec.cue_weight, edge_views=edges,
    )  # fmt: skip
    design = draft.features(texts, vectors)
    model = Ridge(alpha=ALPHA).fit(design, y)
    fitted = draft.model_copy(
        update={"coef": [float(c) for c in model.coef_], "intercept": float(model.intercept_)}
    )
    if scale == "percentile":
        reference = np.sort(fitted.predict(texts, vectors))
        fitted = fitted.model_copy(update={"reference": [round(float(r), 5) for r in reference]})
    return fitted


@dataclass(frozen=True)
class FoldedScorers:
    """One scorer per fold and the fold of each text; `predictions` are out of fold."""

    folds: list[NDArray[np.int64]]
    scorers: list[TextScorer]
    predictions: NDArray[np.float64]
    spearman: float | None


def cross_validated(
    texts: Sequence[str],
    vectors: NDArray[np.float32],
    targets: Sequence[float],
    spec: ScorerSpec,
    *,
    folds: int = 5,
    seed: int = 0,
    ids: Sequence[str] = (),
    rater_ratings: RaterRatings | None = None,
) -> FoldedScorers:
    """A scorer per fold, fitted on the other folds; predictions and Spearman out of fold.

    With `ids`, each fold's scorer lists the ids it was fitted on and carries the pooled
    out-of-fold Spearman, so stored beside the full scorer it can grade its held-out fold.
    With `rater_ratings`, each fold fits the `rater_normalised` targets of its training
    texts; the Spearman is still against `targets`.
    """
    from scipy.stats import spearmanr
    from sklearn.model_selection import KFold

    y = np.asarray(targets, dtype=np.float64)
    predictions = np.zeros(len(texts))
    split = KFold(n_splits=folds, shuffle=True, random_state=seed).split(np.arange(len(texts)))
    test_folds: list[NDArray[np.int64]] = []
    scorers = []
    for k, (train, test) in enumerate(split, start=1):
        fitted_on = (
            y[train] if rater_ratings is None
            else rater_normalised([rater_ratings[i] for i in train])
        )  # fmt: skip
        scorer = fit_scorer(
            [texts[i] for i in train], vectors[train], fitted_on.tolist(), spec,
            ids=[ids[i] for i in train] if ids else (), fold=k,
        )  # fmt: skip
        predictions[test] = scorer.predict([texts[i] for i in test], vectors[test])
        test_folds.append(np.asarray(test, dtype=np.int64))
        scorers.append(scorer)
    rho = spearmanr(predictions, y)[0] if len(set(y.tolist())) > 1 else None
    spearman = None if rho is None or np.isnan(rho) else round(float(rho), 4)
    confidence = _confidence(spearman)
    scorers = [
        s.model_copy(update={"cv_spearman": spearman, "confidence": confidence}) for s in scorers
    ]
    return FoldedScorers(test_folds, scorers, predictions, spearman)
