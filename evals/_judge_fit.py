"""Fitting the learned judges from labelled sets, measured out of fold, stored outside the project.

* **Courtesy from the politeness corpus** (`politeness` set): each request is one agent turn;
  the scorer learns the mean of its five ratings (1..25) from the turn's text and votes on
  the courtesy element on a percentile scale. Stored under `<cache dir>/judges/` (its n-gram
  vocabulary is made of the research corpus's words, so it never goes into the project).
* **Outcome-driven elements from STC-3** (`stc3` set): people rated each helpdesk dialogue's
  outcomes, not elements, so three scorers read the whole conversation and vote on the element
  whose top anchor is that outcome: customer satisfaction -> `recovery` ("ended satisfied"),
  task accomplishment -> `diligence` ("saw the problem through"), effectiveness ->
  `efficient_resolution`. Stored with the corpus scorers (the dialogues are non-commercial).
* **Any element from a team's own labels** (a calibration set with element labels): one
  scorer per element with enough labelled conversations, fitted on the whole agent side
  against the raters' consensus level, stored in the tenant's calibration folder.

Each reported number is out of fold: `cross_validated` fits one scorer per fold on the
other folds and predicts the held-out one. Every stored scorer lists the transcript ids it was
fitted on, and never judges one of them; the fold scorers are stored beside the full one, so
grading the corpus itself (`grader eval politeness`) uses, per transcript, the scorer of the
fold that held it out: the grader's own numbers on the corpus are out of fold too;
`hold_out` keeps ids out of the fit entirely (e.g. the 100 STC-3 dialogues `--limit 100`
evaluates), so an eval of those is out of sample by construction.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.stats import spearmanr

from evals._agreement import consensus
from evals._sets import CalibrationSet
from grader._embedding_cache import EmbeddingCache
from grader._segments import segment_transcript
from grader._transcript import AGENT_SIDE, Transcript
from grader.judges._learned import TextScorer, save_scorer, scorer_dirs
from grader.judges._learned_fit import (
    FoldedScorers,
    RaterRatings,
    ScorerSpec,
    cross_validated,
    fit_scorer,
    rater_normalised,
)

__all__ = [
    "STC3_ELEMENTS",
    "JudgeFit",
    "agent_text",
    "fit_judges",
    "judge_dirs",
    "politeness_spec",
]

#: Fewest labelled conversations an element needs before a scorer is fitted for it.
MIN_LABELLED = 20


def judge_dirs(cache_dir: Path, calibration_dir: Path | None, tenant: str) -> list[Path]:
    """Where learned scorers are looked for: corpus-fitted ones, then the tenant's own."""
    return scorer_dirs(cache_dir, calibration_dir, tenant)


def agent_text(
    transcript: Transcript, cache: EmbeddingCache, *, side: str = "agent"
) -> tuple[str, NDArray[np.float32]]:
    """The text a scorer reads (agent side or all) and the normalised mean of its sentence vectors."""
    segments = [s for s in segment_transcript(transcript) if side == "all" or s.role in AGENT_SIDE]
    vectors = cache.embed([s.text for s in segments])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    turns = dict.fromkeys(s.turn_index for s in segments)
    text = "\n".join(transcript.turns[t].text for t in turns)
    return text, np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)


#: STC-3 outcome -> the element whose top anchor it is.
STC3_ELEMENTS = {
    "customer_satisfaction": "recovery",
    "task_accomplishment": "diligence",
    "effectiveness": "efficient_resolution",
}


@dataclass
class JudgeFit:
    """One fitted scorer: where it is stored and how it did out of fold."""

    element_id: str
    fitted_on: str
    n: int
    spearman: float | None
    by_group: dict[str, float | None] = field(default_factory=dict)
    path: Path | None = None
    predictions: dict[str, float] = field(default_factory=dict)


def _matrix(
    transcripts: Sequence[Transcript], cache: EmbeddingCache, side: str
) -> tuple[list[str], NDArray[np.float32]]:
    texts, vectors = [], []
    for t in transcripts:
        text, vector = agent_text(t, cache, side=side)
        texts.append(text)
        vectors.append(vector)
    return texts, np.stack(vectors) if vectors else np.zeros((0, 384), dtype=np.float32)


def _group_spearman(
    folded: FoldedScorers, targets: NDArray[np.float64], groups: Sequence[str]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for group in sorted(set(groups)):
        mask = np.array([g == group for g in groups])
        if mask.sum() >= 3 and len(set(targets[mask].tolist())) > 1:
            out[group] = round(float(spearmanr(folded.predictions[mask], targets[mask])[0]), 4)
    return out


def politeness_spec() -> ScorerSpec:
    """The courtesy scorer fitted on the Stanford politeness corpus.

    Chosen by 10-fold CV on the corpus (out of fold, against the mean of the 5 ratings):
    the default views on the plain mean, 0.4891; vectors 0.55 / cues 0.03 with n-gram views
    of the first (0.5) and last (0.7) sentence, 0.4977; fitted on ratings normalised per
    rater within each community (each fold on its own training texts), 0.5003.
    """
    return ScorerSpec(
        element_id="courtesy",
        fitted_on="politeness",
        target="politeness 1..25 (Stanford Politeness Corpus), normalised per rater and community",
        unit="turn",
        scale="percentile",
        vector_weight=0.55,
        cue_weight=0.03,
        edge_weights=(("first", 0.5), ("last", 0.7)),
    )


def _fit_one(
    transcripts: Sequence[Transcript],
    targets: Sequence[float],
    spec: ScorerSpec,
    cache: EmbeddingCache,
    *,
    folds: int,
    seed: int,
    groups: Sequence[str] = (),
    rater_ratings: RaterRatings | None = None,
) -> tuple[list[TextScorer], JudgeFit]:
    texts, vectors = _matrix(transcripts, cache, spec.side)
    y = np.asarray(targets, dtype=np.float64)
    ids = [t.id for t in transcripts]
    folded = cross_validated(
        texts, vectors, y.tolist(), spec, folds=folds, seed=seed, ids=ids,
        rater_ratings=rater_ratings,
    )  # fmt: skip
    fitted_on = y if rater_ratings is None else rater_normalised(rater_ratings)
    scorer = fit_scorer(
        texts, vectors, fitted_on.tolist(), spec, cv_spearman=folded.spearman, ids=ids
    )
    fit = JudgeFit(
        element_id=spec.element_id,
        fitted_on=spec.fitted_on,
        n=len(texts),
        spearman=folded.spearman,
        by_group=_group_spearman(folded, y, groups) if groups else {},
        predictions={t.id: float(p) for t, p in zip(transcripts, folded.predictions, strict=True)},
    )
    return [scorer, *folded.scorers], fit


def _outcome_fit(
    cset: CalibrationSet,
    outcome: str,
    spec: ScorerSpec,
    cache: EmbeddingCache,
    *,
    folds: int,
    seed: int,
    groups: bool = False,
) -> tuple[list[TextScorer], JudgeFit]:
    items = [i for i in cset.items if i.outcomes.get(outcome)]
    targets = [float(np.mean(i.outcomes[outcome])) for i in items]
    tags = [(i.transcript.metadata.tags or [""])[0] for i in items] if groups else []
    # raters named on every item: each fold fits ratings normalised per rater
    named = all(outcome in i.outcome_raters for i in items)
    rater_ratings = (
        [list(zip(i.outcome_raters[outcome], i.outcomes[outcome], strict=True)) for i in items]
        if named and items
        else None
    )
    return _fit_one(
        [i.transcript for i in items], targets, spec, cache, folds=folds, seed=seed,
        groups=tags, rater_ratings=rater_ratings,
    )  # fmt: skip


def _label_fits(
    cset: CalibrationSet, cache: EmbeddingCache, *, folds: int, seed: int
) -> list[tuple[list[TextScorer], JudgeFit]]:
    out = []
    for element_id in dict.fromkeys(e for i in cset.items for s in i.labels.values() for e in s):
        labelled = []
        for item in cset.items:
            levels = list(item.element_labels(element_id).values())
            level = consensus(levels) if levels else None
            if level is not None:
                labelled.append((item.transcript, float(level)))
        if len(labelled) < MIN_LABELLED or len({y for _, y in labelled}) < 2:
            continue
        spec = ScorerSpec(
            element_id=element_id, fitted_on=cset.name, unit="conversation", scale="level",
            target=f"raters' consensus level on {element_id} ({cset.name})",
        )  # fmt: skip
        out.append(
            _fit_one(
                [t for t, _ in labelled],
                [y for _, y in labelled],
                spec,
                cache,
                folds=min(folds, len(labelled) // 4),
                seed=seed,
            )
        )
    return out


def fit_judges(
    sets: Sequence[CalibrationSet],
    cache: EmbeddingCache,
    *,
    corpus_dir: Path,
    tenant_dir: Path,
    folds: int = 10,
    seed: int = 0,
    save: bool = True,
    hold_out: Collection[str] = (),
) -> list[JudgeFit]:
    """Fit (and store) every learned scorer the sets allow, each measured out of fold.

    Ten folds by default: each fold's scorer is fitted on 90 % of the data, so its held-out
    numbers are close to what the full scorer does on new data (on politeness, 3 / 5 / 10
    folds: 0.487 / 0.487 / 0.491 out of fold).

    Items whose transcript id is in `hold_out` are left out of fitting and measuring.
    """
    held = set(hold_out)
    fits: list[JudgeFit] = []
    for full in sets:
        cset = full.model_copy(update={"items": [i for i in full.items if i.id not in held]})
        made: list[tuple[list[TextScorer], JudgeFit, Path]] = []
        if cset.name == "politeness":
            scorers, fit = _outcome_fit(
                cset, "politeness", politeness_spec(), cache, folds=folds, seed=seed, groups=True
            )
            made.append((scorers, fit, corpus_dir))
        elif cset.name == "stc3":
            for outcome, element_id in STC3_ELEMENTS.items():
                spec = ScorerSpec(
                    element_id=element_id, fitted_on=f"stc3-{outcome}", unit="conversation",
                    side="all", target=f"mean {outcome} -2..2 (STC-3, 19 raters)",
                )  # fmt: skip
                scorers, fit = _outcome_fit(cset, outcome, spec, cache, folds=folds, seed=seed)
                made.append((scorers, fit, corpus_dir))
        else:
            made += [
                (s, f, tenant_dir) for s, f in _label_fits(cset, cache, folds=folds, seed=seed)
            ]
        for scorers, fit, directory in made:
            # the full scorer grades new transcripts; each fold's grades the fold it never saw
            paths = [save_scorer(s, directory) for s in scorers] if save else []
            fit.path = paths[0] if paths else None
            fits.append(fit)
    return fits
