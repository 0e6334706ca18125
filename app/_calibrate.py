"""Calibrate: fit a learned calibration on human-scored sets, measured out of fold.

Each set is cross-validated against the embedding-ridge baseline and the people (one human,
split-half); then, with `save`, the fit over every set is stored next to the rubric version
and the conversations go into the tenant's exemplar store, where grading finds them. The
grader's verdicts are features when given (`verdicts`) or graded now (`grade_sets`).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

import evals
import prompts
from app._grading import GradingOptions, Note, make_grader
from grader._grading import grade_all
from grader._rubric import Rubric
from grader._settings import Settings
from grader.model import Usage
from retrieval import EmbeddingCache, Exemplar, ExemplarStore, default_embedding

__all__ = [
    "CalibrationOutcome",
    "CalibrationPlan",
    "calibrate",
    "grade_sets",
    "run_calibration",
    "write_calibration_reports",
]


@dataclass(frozen=True)
class CalibrationPlan:
    """How to calibrate: folds, seeds, whether to store the fit, for whom."""

    folds: int = 5
    seed: int = 0
    bootstrap: int = 1000
    save: bool = True
    options: GradingOptions = field(default_factory=GradingOptions)
    on_fold: Callable[[str, int], None] | None = None


@dataclass
class CalibrationOutcome:
    """What a calibration measured and stored."""

    checks: dict[str, evals.LearnedCheck]
    report: evals.EvalReport
    calibration: evals.LearnedCalibration | None = None
    saved_to: Path | None = None
    exemplars_added: int = 0
    exemplar_store: Path | None = None


async def grade_sets(
    sets: list[evals.CalibrationSet], rubric: Rubric, settings: Settings
) -> tuple[dict[str, evals.VerdictView], Usage]:
    """Grade every conversation of the sets now; their verdicts become features."""
    grade, llm = make_grader(rubric, settings, GradingOptions(calibrate=False))
    views: dict[str, evals.VerdictView] = {}
    usage = Usage()
    transcripts = [item.transcript for s in sets for item in s.items]
    async for result in grade_all(
        transcripts, grade, rubric=rubric, model=llm.model, concurrency=settings.concurrency
    ):
        usage = usage + result.usage
        view = evals.VerdictView.of(result)
        if view is not None:
            views[result.transcript_id] = view
    return views, usage


def _unique(
    exemplars: list[Exemplar], vectors: list[NDArray[np.float32]], note: Note
) -> tuple[list[Exemplar], list[NDArray[np.float32]]]:
    """The first exemplar of each id (the politeness corpus reuses ids across requests)."""
    first: dict[str, int] = {}
    for i, e in enumerate(exemplars):
        first.setdefault(e.id, i)
    keep = sorted(first.values())
    if len(keep) < len(exemplars):
        note(
            f"{len(exemplars) - len(keep)} conversation(s) reuse another's id: only the first "
            "of each is kept as an exemplar (all were used to fit)"
        )
    return [exemplars[i] for i in keep], [vectors[i] for i in keep]


def _fold_hook(plan: CalibrationPlan, name: str) -> Callable[[int], None] | None:
    hook = plan.on_fold
    if hook is None:
        return None

    def done(number: int) -> None:
        hook(name, number)

    return done


def calibrate(
    sets: list[evals.CalibrationSet],
    rubric: Rubric,
    settings: Settings,
    plan: CalibrationPlan,
    verdicts: dict[str, evals.VerdictView] | None = None,
    usage: Usage | None = None,
) -> CalibrationOutcome:
    """Cross-validate on each set, then (with `plan.save`) fit on all and store (CPU-bound)."""
    started = time.perf_counter()
    if len({s.name for s in sets}) < len(sets):
        raise evals.CalibrationSetError("two sets have the same name; rename one folder")
    note = plan.options.note
    # chroma needs its adapter as the exemplar store's embedding function
    cache = EmbeddingCache(settings.cache_dir / "embeddings", default_embedding())
    checks: dict[str, evals.LearnedCheck] = {}
    reports: list[evals.SetReport] = []
    for cset in sets:
        note(f"{cset.name}: embedding {len(cset.items)} conversations")
        lset = evals.learning_set(
            cset.items, rubric, cache, scales=evals.target_scales(cset, rubric),
            verdicts=verdicts or None,
        )  # fmt: skip
        raters = evals.rater_rows(cset.items, rubric)
        check = evals.cross_validate_learned(
            lset, folds=plan.folds, seed=plan.seed, resamples=plan.bootstrap, raters=raters,
            on_fold=_fold_hook(plan, cset.name),
        )  # fmt: skip
        checks[cset.name] = check
        reports.append(evals.learned_set_report(cset, check, lset, raters))
    models = ", ".join(sorted({v.model for v in (verdicts or {}).values()}))
    outcome = CalibrationOutcome(
        checks=checks,
        report=evals.EvalReport(
            model=models or "none (no verdicts)", prompt_version=prompts.prompt_version(),
            rubric_id=rubric.id, rubric_version=rubric.version, samples=1, seed=plan.seed,
            usage=usage or Usage(), seconds=round(time.perf_counter() - started, 2),
            sets=reports,
        ),
    )  # fmt: skip
    if plan.save:
        _store_fit(sets, rubric, settings, plan, verdicts, cache, models, outcome)
    return outcome


def _store_fit(
    sets: list[evals.CalibrationSet],
    rubric: Rubric,
    settings: Settings,
    plan: CalibrationPlan,
    verdicts: dict[str, evals.VerdictView] | None,
    cache: EmbeddingCache,
    models: str,
    outcome: CalibrationOutcome,
) -> None:
    options = plan.options
    scales = {k: v for s in sets for k, v in evals.target_scales(s, rubric).items()}
    combined = evals.learning_set(
        [item for s in sets for item in s.items], rubric, cache, scales=scales,
        verdicts=verdicts or None,
    )  # fmt: skip
    fitted = evals.fit_learned(
        combined, tenant=options.tenant, rubric_id=rubric.id, rubric_version=rubric.version,
        embedding=cache.embedding.name(), model=models, fitted_on=[s.name for s in sets],
    )  # fmt: skip
    outcome.calibration = fitted
    outcome.saved_to = evals.save_learned(fitted, options.calibrations(settings), rubric)
    store = ExemplarStore(options.store_dir(settings), tenant=options.tenant, cache=cache)
    exemplars, vectors = _unique(
        [e for s in sets for e in evals.exemplars_of(s, rubric)],
        [tv.vectors for tv in combined.vectors],
        options.note,
    )
    outcome.exemplars_added = store.add(exemplars, vectors)
    outcome.exemplar_store = store.path


async def run_calibration(
    sets: list[evals.CalibrationSet],
    rubric: Rubric,
    settings: Settings,
    plan: CalibrationPlan,
    *,
    verdicts: dict[str, evals.VerdictView] | None = None,
    grade_now: bool = False,
) -> CalibrationOutcome:
    """`calibrate`, grading the sets first when asked; the fitting runs off the event loop."""
    verdicts = dict(verdicts or {})
    usage = Usage()
    if grade_now:
        plan.options.note(
            f"grading {sum(len(s.items) for s in sets)} conversations with {settings.model}"
        )
        fresh, usage = await grade_sets(sets, rubric, settings)
        verdicts |= fresh
    return await asyncio.to_thread(calibrate, sets, rubric, settings, plan, verdicts, usage)


def write_calibration_reports(outcome: CalibrationOutcome, out: Path) -> list[Path]:
    """The eval reports plus learned.md and learned.json in `out`."""
    paths = evals.write_reports(outcome.report, out)
    markdown = out / "learned.md"
    markdown.write_text(evals.learned_markdown(outcome.checks, outcome.calibration), "utf-8")
    payload = {
        "checks": {k: v.model_dump(mode="json") for k, v in outcome.checks.items()},
        "calibration_id": outcome.calibration.calibration_id if outcome.calibration else None,
    }
    (out / "learned.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return [*paths, markdown, out / "learned.json"]
