"""From calibration sets to what a learned calibration learns: targets, features, raters.

A *target* is one human score per conversation, the mean over its raters:
``outcome.<name>`` (e.g. customer satisfaction), ``element.<id>`` (N/A labels left out),
and, for element-labelled sets, ``overall`` and ``dimension.<id>``: each rater's labels
scored with the rubric's own code under its default weight profile, then averaged.

The grader's verdicts come from grades already made (cached): a grades JSONL written by
`grader grade --out`, or the `report.json` of `grader eval`, whose rows hold them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from evals._compare import score_labels
from evals._features import (
    VerdictView,
    cue_features,
    signal_features,
    text_matrix,
    turn_vectors,
    verdict_features,
)
from evals._learned import LearningSet
from evals._sets import CalibrationItem, CalibrationSet
from grader._embedding_cache import EmbeddingCache
from grader._errors import InputError
from grader._results import Grade
from grader._rubric import Rubric, WeightProfile

__all__ = [
    "human_targets",
    "learning_set",
    "load_verdicts",
    "rater_rows",
    "target_scales",
]

Rows = list[list[float | None]]


def _default_profile(rubric: Rubric) -> WeightProfile:
    return next(p for p in rubric.weight_profiles if not p.when)


def _rater_scores(item: CalibrationItem, rubric: Rubric) -> dict[str, dict[str, float | None]]:
    """Rater -> target -> that rater's score (element labels, overall, dimensions)."""
    out: dict[str, dict[str, float | None]] = {}
    profile = _default_profile(rubric)
    for rater, labels in item.labels.items():
        scores = score_labels(rubric, profile, labels)
        mine: dict[str, float | None] = {
            f"element.{e}": None if s is None else float(s) for e, s in labels.items()
        }
        mine["overall"] = scores.overall
        mine |= {f"dimension.{d.dimension_id}": d.score for d in scores.dimensions}
        out[rater] = mine
    return out


def human_targets(item: CalibrationItem, rubric: Rubric) -> dict[str, float]:
    """Target -> the mean human score for one conversation (targets nobody scored are absent)."""
    out = {f"outcome.{k}": float(np.mean(v)) for k, v in item.outcomes.items() if v}
    by_target: dict[str, list[float]] = {}
    for scores in _rater_scores(item, rubric).values():
        for target, value in scores.items():
            if value is not None:
                by_target.setdefault(target, []).append(value)
    out |= {t: float(np.mean(v)) for t, v in by_target.items()}
    return out


def target_scales(cset: CalibrationSet, rubric: Rubric) -> dict[str, tuple[float, float]]:
    """The scale each target lives on (predictions are clipped to it)."""
    scales = {f"outcome.{o}": cset.outcome_scale(o) for o in cset.outcome_names}
    scales |= {f"element.{e.id}": (0.0, float(e.max_level)) for e in rubric.elements}
    scales |= {f"dimension.{d.id}": (0.0, 100.0) for d in rubric.dimensions}
    return scales | {"overall": (0.0, 100.0)}


def rater_rows(items: Sequence[CalibrationItem], rubric: Rubric) -> dict[str, Rows]:
    """Target -> rows of raters (columns: items), for one-vs-rest and split-half reliability.

    Outcome ratings are by position (the same position is treated as one rater).
    """
    out: dict[str, Rows] = {}
    outcomes = list(dict.fromkeys(o for item in items for o in item.outcomes))
    for name in outcomes:
        width = max(len(item.outcomes.get(name, [])) for item in items)
        out[f"outcome.{name}"] = [
            [float(v[r]) if r < len(v := item.outcomes.get(name, [])) else None for item in items]
            for r in range(width)
        ]
    raters = list(dict.fromkeys(r for item in items for r in item.labels))
    per_item = [_rater_scores(item, rubric) for item in items]
    targets = list(dict.fromkeys(t for scores in per_item for r in scores.values() for t in r))
    for target in targets:
        out[target] = [[scores.get(r, {}).get(target) for scores in per_item] for r in raters]
    return out


def learning_set(
    items: Sequence[CalibrationItem],
    rubric: Rubric,
    cache: EmbeddingCache,
    *,
    scales: Mapping[str, tuple[float, float]],
    verdicts: Mapping[str, VerdictView] | None = None,
) -> LearningSet:
    """Features and human targets of `items`; verdict features only when `verdicts` is given."""
    if not items:
        raise InputError("no conversations to learn from")
    transcripts = [item.transcript for item in items]
    vectors = turn_vectors(transcripts, cache)
    rows: list[dict[str, float]] = []
    for transcript in transcripts:
        row = signal_features(transcript) | cue_features(transcript)
        if verdicts is not None:
            row |= verdict_features(verdicts.get(transcript.id), rubric)
        rows.append(row)
    names = list(rows[0])
    humans = [human_targets(item, rubric) for item in items]
    found = list(dict.fromkeys(t for h in humans for t in h))
    return LearningSet(
        ids=[t.id for t in transcripts],
        transcripts=transcripts,
        vectors=vectors,
        text=text_matrix(vectors),
        named={n: np.array([r[n] for r in rows], dtype=np.float64) for n in names},
        targets={t: np.array([h.get(t, np.nan) for h in humans], dtype=np.float64) for t in found},
        scales={t: scales.get(t, (float("-inf"), float("inf"))) for t in found},
        tags=[(t.metadata.tags or [""])[0] for t in transcripts],
    )


def _report_rows(data: dict[str, Any]) -> dict[str, VerdictView]:
    out = {}
    for s in data.get("sets", []):
        for row in s.get("rows", []):
            if row.get("status") == "graded":
                out[str(row["id"])] = VerdictView(
                    elements=dict(row.get("grader_elements") or {}),
                    dimensions=dict(row.get("grader_dimensions") or {}),
                    overall=row.get("grader_overall"),
                    model=str(data.get("model", "")),
                )
    return out


def load_verdicts(path: Path) -> dict[str, VerdictView]:
    """Transcript id -> the grader's verdicts, from grades JSONL or an eval's report or log.

    Accepts `grader grade --out` JSONL, the `report.json` of `grader eval`, and its
    `grades.jsonl` log (one `{"key", "grade"}` a line).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read grades ({exc})") from exc
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None  # JSONL: one grade a line
    if isinstance(whole, dict) and "sets" in whole:
        return _report_rows(whole)
    out: dict[str, VerdictView] = {}
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines):
                break  # a log still being written: its last line may be cut short
            raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
        try:  # a grade, or an eval log line {"key": ..., "grade": {...}}
            grade = Grade.model_validate(
                data.get("grade", data) if isinstance(data, dict) else data
            )
        except ValidationError as exc:
            raise InputError(f"{path}:{number}: not a grade ({exc.error_count()} errors)") from exc
        view = VerdictView.of(grade)
        if view is not None:
            out.setdefault(grade.transcript_id, view)
    return out
