"""Run an eval: grade calibration and contrast sets, measure agreement with people, check gates.

The measuring is the evals library's (`evals.evaluate`, `evals.apply_gates`); this use case
picks the sets by name and the tenant's few-shot exemplars, as `grader eval` does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import evals
from app._grading import GradingOptions, few_shot_for
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings

__all__ = ["EvalRun", "load_calibration_sets", "run_eval"]


@dataclass
class EvalRun:
    """An eval's outcome and the gate checks that failed (empty: every gate passed)."""

    outcome: evals.EvalOutcome
    sources: list[evals.EvalSource]
    failed: list[tuple[str, evals.GateCheck]] = field(default_factory=list)


def load_calibration_sets(
    names: Sequence[str], rubric: Rubric, *, limit: int | None = None, seed: int = 0
) -> list[evals.CalibrationSet]:
    """Calibration sets by name (folder, .jsonl, `stc3`, `politeness`); contrast sets refused."""
    sets = []
    for source in evals.load_sources(names, rubric, limit=limit, seed=seed):
        if not isinstance(source.set, evals.CalibrationSet):
            raise evals.CalibrationSetError(
                f"{source.name}: contrast pairs cannot be calibrated on"
            )
        sets.append(source.set)
    return sets


async def run_eval(
    names: Sequence[str],
    rubric: Rubric,
    settings: Settings,
    options: evals.EvalOptions,
    *,
    grading: GradingOptions | None = None,
    limit: int | None = None,
    on_grade: Callable[[str, Grade], None] | None = None,
) -> EvalRun:
    """Grade the named sets with the tenant's exemplars (if any), report and check the gates."""
    sources = evals.load_sources(names, rubric, limit=limit, seed=options.seed)
    if options.few_shot is None and grading is not None:
        options = replace(options, few_shot=few_shot_for(settings, grading))
    outcome = await evals.evaluate(sources, rubric, settings, options, on_grade=on_grade)
    return EvalRun(outcome, sources, evals.apply_gates(outcome.report, sources))
