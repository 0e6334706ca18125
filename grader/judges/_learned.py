"""Learned judges: a text scorer fitted on labelled data votes on one element.

A `TextScorer` is a ridge regression over views of an agent's text: the mean of its
sentences' MiniLM vectors (the vectors the judge context already holds, so judging costs no
encoder call), word and character n-gram TF-IDFs (optionally of the first and last sentence
too), and a few courtesy cue counts. It is stored as JSON (no
pickle) and predicts one number per agent turn or per conversation; the vote is that number
on the element's scale:

* `scale="percentile"` (fitted on a corpus rated on another scale, e.g. politeness 1..25):
  the prediction's rank among the training predictions, times the element's top level;
* `scale="level"` (fitted on a team's own element labels): the prediction, clipped.

A scorer's n-gram vocabulary is made of its training text, so a scorer fitted on research
data lives in the cache or a tenant's calibration folder, never in the project. With no
fitted scorer on disk the learned judge is simply absent (`learned_judges` returns none).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Collection, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, Field, ValidationError

from grader._errors import ConfigurationError
from grader._results import JudgeVote
from grader._rubric import Element, Rubric
from grader.judges._ngram_views import TOKEN_PATTERN, EdgeView, mark_sentence_starts
from grader.judges._protocol import Judge, JudgeContext, Votes

__all__ = [
    "LEARNED_CUES",
    "TextScorer",
    "cue_matrix",
    "learned_judge",
    "learned_judges",
    "load_scorers",
    "save_scorer",
    "scorer_dirs",
    "scorer_path",
]

#: Politeness strategies after Danescu-Niculescu-Mizil et al. (2013): general English cues.
LEARNED_CUES: dict[str, str] = {
    "gratitude": r"\b(?:thank|thanks|thx|appreciat\w*)\b",
    "apology": r"\b(?:sorry|apologi[sz]e\w*|oops|excuse me|pardon)\b",
    "please": r"\b(?:please|pls|plz)\b",
    "greeting": r"^\W*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))\b",
    "could_would_you": r"\b(?:could|would) you\b",
    "can_will_you": r"\b(?:can|will) you\b",
    "hedge": r"\b(?:think|suggest|perhaps|maybe|possibly|might|guess|seems?|probably|wonder)\b",
    "factuality": r"\b(?:really|actually|in fact|obviously|clearly)\b",
    "direct_question": r"^\W*(?:what|why|who|how|where|when)\b",
    "direct_start": r"^\W*(?:so|then|and|but|or)\b",
    "first_person": r"\b(?:i|my|me|mine|myself)\b",
    "first_plural": r"\b(?:we|our|us)\b",
    "second_person": r"\b(?:you|your|yours|yourself)\b",
    "positive": r"\b(?:good|great|nice|helpful|awesome|excellent|glad|happy|welcome|love)\b",
    "negative": r"\b(?:wrong|stupid|ridiculous|nonsense|useless|idiot\w*|crap|damn|hell|hate|"
    r"terrible|awful|shit\w*|annoy\w*|pointless|cheat\w*|complain\w*)\b",
}
#: Character n-grams (within words) of the character view: spelling, "u", "pls", "!!".
CHAR_NGRAMS = (2, 5)
_CUE_RX = [re.compile(rx, re.IGNORECASE | re.MULTILINE) for rx in LEARNED_CUES.values()]


def cue_matrix(texts: Sequence[str]) -> NDArray[np.float64]:
    """Cue counts (capped at 3), question and exclamation marks, and log length, per text."""
    rows = []
    for text in texts:
        row = [min(3, len(rx.findall(text))) for rx in _CUE_RX]
        row += [min(3, text.count("?")), min(3, text.count("!")), np.log1p(len(text.split()))]
        rows.append(row)
    return np.array(rows, dtype=np.float64).reshape(len(texts), len(_CUE_RX) + 3)


class TextScorer(BaseModel):
    """A fitted ridge over sentence vectors, n-grams and cues, for one element."""

    element_id: str
    fitted_on: str = Field(description="What it was fitted on, e.g. 'politeness'.")
    target: str = Field(description="What it predicts, in words (e.g. 'mean politeness 1..25').")
    unit: Literal["turn", "conversation"] = "turn"
    side: Literal["agent", "all"] = Field(
        default="agent", description="Whose sentences it reads: the agent side, or everyone's."
    )
    scale: Literal["percentile", "level"] = "percentile"
    n: int
    fitted_ids: list[str] = Field(
        default_factory=list, description="Transcript ids it was fitted on (never graded by it)."
    )
    cv_spearman: float | None = Field(
        default=None, description="Out-of-fold Spearman with the target, measured at fit time."
    )
    confidence: float = Field(ge=0, le=1, description="The confidence of its votes.")
    fold: int | None = Field(
        default=None, description="None: fitted on every text; k: the scorer of fold k only."
    )
    vocabulary: dict[str, int] = Field(default_factory=dict)
    idf: list[float] = Field(default_factory=list)
    ngram_max: int = 2
    mark_starts: bool = Field(default=False, description="Word n-grams see sentence starts.")
    char_vocabulary: dict[str, int] = Field(default_factory=dict)
    char_idf: list[float] = Field(default_factory=list)
    char_weight: float = 0.7
    edge_views: list[EdgeView] = Field(
        default_factory=list, description="N-gram views of the first / last sentence."
    )
    vector_weight: float = 1.0
    cue_weight: float = 0.1
    cue_mean: list[float] = Field(default_factory=list)
    cue_scale: list[float] = Field(default_factory=list)
    coef: list[float] = Field(description="Ridge coefficients: n-grams, vector, cues.")
    intercept: float
    reference: list[float] = Field(
        default_factory=list, description="Sorted training predictions (percentile scale)."
    )

    @property
    def id(self) -> str:
        """A short hash of the fitted numbers: which scorer made a vote."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]

    @cached_property
    def _vectorizer(self) -> Any:
        if not self.vocabulary:
            return None
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            vocabulary=self.vocabulary, ngram_range=(1, self.ngram_max), sublinear_tf=True,
            token_pattern=TOKEN_PATTERN,
        )  # fmt: skip
        vec.idf_ = np.array(self.idf)
        return vec

    @cached_property
    def _char_vectorizer(self) -> Any:
        if not self.char_vocabulary:
            return None
        from sklearn.feature_extraction.text import TfidfVectorizer

        vec = TfidfVectorizer(
            vocabulary=self.char_vocabulary, analyzer="char_wb", ngram_range=CHAR_NGRAMS,
            sublinear_tf=True,
        )  # fmt: skip
        vec.idf_ = np.array(self.char_idf)
        return vec

    @cached_property
    def fitted_set(self) -> frozenset[str]:
        """The transcript ids it was fitted on, for a quick membership test."""
        return frozenset(self.fitted_ids)

    def features(self, texts: Sequence[str], vectors: NDArray[np.float32]) -> Any:
        """The design matrix (sparse): word and character n-grams, vectors and cues, weighted."""
        from scipy import sparse

        cues = (cue_matrix(texts) - np.array(self.cue_mean)) / np.array(self.cue_scale)
        dense = np.hstack(
            [self.vector_weight * np.asarray(vectors, dtype=np.float64), self.cue_weight * cues]
        )
        blocks = []
        if self._vectorizer is not None:
            words = [mark_sentence_starts(t) for t in texts] if self.mark_starts else list(texts)
            blocks.append(self._vectorizer.transform(words))
        if self._char_vectorizer is not None:
            blocks.append(self.char_weight * self._char_vectorizer.transform(list(texts)))
        blocks += [view.transform(texts) for view in self.edge_views]
        return sparse.hstack([*blocks, sparse.csr_matrix(dense)]).tocsr()

    def predict(self, texts: Sequence[str], vectors: NDArray[np.float32]) -> NDArray[np.float64]:
        """The raw prediction per text (on the target's scale)."""
        design = self.features(texts, vectors)
        raw = np.asarray(design @ np.array(self.coef), dtype=np.float64) + self.intercept
        return raw

    def to_level(self, raw: NDArray[np.float64], top: int) -> NDArray[np.float64]:
        """Predictions on the element's 0..top scale."""
        if self.scale == "level":
            return np.clip(raw, 0.0, float(top))
        ref = np.array(self.reference)
        if len(ref) < 2:
            return np.full(len(raw), top / 2)
        # the rank among training predictions, interpolated so close predictions stay apart
        ranks = np.interp(raw, ref, np.linspace(0.0, 1.0, len(ref)))
        return np.asarray(top * ranks, dtype=np.float64)


def _unit_texts(ctx: JudgeContext, unit: str, side: str) -> list[tuple[str, list[int]]]:
    """(text, rows) per agent turn, or one for the whole conversation (agent side or all)."""
    rows = ctx.agent_rows if side == "agent" else list(range(len(ctx.segments)))
    by_turn: dict[int, list[int]] = {}
    for row in rows:
        by_turn.setdefault(ctx.segments[row].turn_index, []).append(row)
    units = [(ctx.transcript.turns[t].text, rows) for t, rows in by_turn.items()]
    if unit == "conversation" and units:
        return [("\n".join(t for t, _ in units), [r for _, rows in units for r in rows])]
    return units


def _pooled(ctx: JudgeContext, rows: list[int]) -> NDArray[np.float32]:
    mean = ctx.vectors[rows].mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)


def learned_judge(
    scorer: TextScorer, folds: Sequence[TextScorer] | Callable[[], Sequence[TextScorer]] = ()
) -> Judge:
    """A judge voting on `scorer.element_id` from the agent side's text.

    Per agent turn (or for the whole conversation) the scorer predicts a level; the vote is
    the mean of the turns' levels pulled halfway to the worst turn, since one curt reply is
    what a customer remembers. Evidence: the sentences of the lowest-scored turn. No vote
    without sentence vectors or agent turns, or when the rubric has no such element.

    A scorer never votes on a transcript it was fitted on: one of its `folds` that was not
    fitted on it votes instead (so its own corpus is graded out of fold), or nobody does.
    `folds` may be a loader, called the first time a transcript of the corpus comes by (a new
    conversation never needs them, and ten fold files take seconds to read).
    """
    loaded: list[TextScorer] | None = None if callable(folds) else list(folds)

    def fold_scorers() -> list[TextScorer]:
        nonlocal loaded
        if loaded is None:
            loaded = list(folds()) if callable(folds) else []
        return loaded

    async def judge(ctx: JudgeContext) -> Votes:
        element = next((e for e in ctx.rubric.elements if e.id == scorer.element_id), None)
        if element is None or not ctx.has_vectors:
            return {}
        tid = ctx.transcript.id
        if tid not in scorer.fitted_set:
            return _vote(scorer, element, ctx)
        unseen = next((s for s in fold_scorers() if tid not in s.fitted_set), None)
        return {} if unseen is None else _vote(unseen, element, ctx)

    return judge


def _vote(scorer: TextScorer, element: Element, ctx: JudgeContext) -> Votes:
    name = f"learned:{scorer.fitted_on}"
    units = _unit_texts(ctx, scorer.unit, scorer.side)
    if not units:
        return {}
    vectors = np.stack([_pooled(ctx, rows) for _, rows in units])
    levels = scorer.to_level(scorer.predict([t for t, _ in units], vectors), element.max_level)
    worst = int(np.argmin(levels))
    score = float(0.5 * levels.mean() + 0.5 * levels[worst])
    return {
        element.id: JudgeVote(
            judge=name,
            score=round(score, 3),
            confidence=scorer.confidence,
            from_corpus=scorer.scale == "percentile",
            evidence=[ctx.segments[r].id for r in units[worst][1][:2]],
            rationale=f"learned scorer ({scorer.target}; fitted on {scorer.fitted_on}"
            f"{'' if scorer.fold is None else f', fold {scorer.fold}'}, "
            f"out-of-fold Spearman {scorer.cv_spearman}) gives {score:.2f}",
        )
    }


def scorer_dirs(cache_dir: Path, calibration_dir: Path | None, tenant: str) -> list[Path]:
    """Where learned scorers are looked for: corpus-fitted ones, then the tenant's own."""
    calibration = calibration_dir or cache_dir / "calibration"
    return [cache_dir / "judges", calibration / "judges" / tenant]


def scorer_path(directory: Path, element_id: str, fitted_on: str, fold: int | None = None) -> Path:
    """Where a scorer is stored: `<directory>/<element>.<fitted on>[.fold<k>].json`."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", fitted_on)
    return directory / f"{element_id}.{safe}{'' if fold is None else f'.fold{fold}'}.json"


def save_scorer(scorer: TextScorer, directory: Path) -> Path:
    """Store a scorer as JSON (written to a temporary name, then renamed)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = scorer_path(directory, scorer.element_id, scorer.fitted_on, scorer.fold)
    temp = path.with_suffix(".tmp")
    temp.write_text(scorer.model_dump_json(), encoding="utf-8")
    temp.replace(path)
    return path


def _read_scorer(path: Path) -> TextScorer:
    try:
        return TextScorer.model_validate(json.loads(path.read_text("utf-8")))
    except (OSError, ValueError, ValidationError) as exc:
        raise ConfigurationError(f"{path}: not a learned scorer ({exc})") from exc


def load_scorers(directories: Sequence[Path]) -> list[TextScorer]:
    """Every scorer stored in `directories` (missing folders have none)."""
    return [_read_scorer(path) for path in _scorer_files(directories)]


def _scorer_files(directories: Sequence[Path]) -> list[Path]:
    return [p for d in directories if d.is_dir() for p in sorted(d.glob("*.json"))]


_FOLD_FILE = re.compile(r"^(?P<family>.+)\.fold\d+\.json$")


def learned_judges(
    directories: Sequence[Path], rubric: Rubric, *, exclude_ids: Collection[str] = ()
) -> list[Judge]:
    """A judge per stored scorer whose element the rubric has; none when nothing is fitted.

    Scorers of one element fitted on one source form one judge: the full scorer, then its
    fold scorers, each voting only on transcripts it was not fitted on. A scorer fitted on
    any of `exclude_ids` is left out altogether.
    """
    elements = {e.id for e in rubric.elements}
    excluded = set(exclude_ids)
    fold_files: dict[Path, list[Path]] = {}
    full_files: list[Path] = []
    for path in _scorer_files(directories):
        match = _FOLD_FILE.match(path.name)
        if match:  # read only when a transcript of the corpus is graded
            fold_files.setdefault(path.with_name(f"{match['family']}.json"), []).append(path)
        else:
            full_files.append(path)

    def keep(s: TextScorer) -> bool:
        return s.element_id in elements and not excluded.intersection(s.fitted_ids)

    def loader(paths: list[Path]) -> Callable[[], list[TextScorer]]:
        def load() -> list[TextScorer]:
            folds = [s for s in map(_read_scorer, paths) if keep(s)]
            return sorted(folds, key=lambda s: s.fold or 0)

        return load

    judges = []
    for path in full_files:
        scorer = _read_scorer(path)
        if keep(scorer):
            judges.append(learned_judge(scorer, loader(fold_files.pop(path, []))))
    for paths in fold_files.values():  # folds without their full scorer: the folds alone
        folds = loader(paths)()
        if folds:
            judges.append(learned_judge(folds[0], folds[1:]))
    return judges
