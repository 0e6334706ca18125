"""The eval use case: grade the sets with the configured grader, measure, gate, save a fit.

`grader eval` and the application layer both call `evaluate`; neither holds eval logic.
Calibration sets go through `run_eval` (agreement with people), contrast sets through
`run_contrast` (pairwise accuracy), optionally with the single-call LLM path beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import prompts
from evals._calibration import fit_calibration, save_calibration
from evals._contrast import ContrastSet
from evals._pairwise import run_contrast
from evals._resume import GradeLog, load_grade_log, logged, resuming
from evals._run import EvalReport, run_eval
from evals._sets import CalibrationItem, CalibrationSet
from evals._sources import EvalSource
from grader._grading import FewShotFn, GradeFn, rubric_grader
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings
from grader.judges._learned import learned_judges
from grader.model import UsageMeter

__all__ = ["EvalOptions", "EvalOutcome", "evaluate", "save_fitted_calibration"]

OnGrade = Callable[[str, Grade], None]


@dataclass(frozen=True)
class EvalOptions:
    """How to run an eval (everything but the sets, the rubric and the settings)."""

    out: Path
    samples: int = 1
    seed: int = 0
    bootstrap: int = 1000
    resume: bool = False
    few_shot: FewShotFn | None = None
    single_call: bool = False
    single_call_limit: int | None = None
    judge_dirs: tuple[Path, ...] = ()


@dataclass
class EvalOutcome:
    """The report, and each labelled set's (item, first grade) pairs for fitting calibration."""

    report: EvalReport
    pairs: dict[str, list[tuple[CalibrationItem, Grade]]]
    resumed: int = 0
    log: Path | None = None


@dataclass(frozen=True)
class _Graders:
    first: GradeFn
    resample: GradeFn
    single_call: GradeFn | None
    model: str
    resumed: int


def _graders(
    rubric: Rubric,
    settings: Settings,
    meter: UsageMeter,
    options: EvalOptions,
) -> _Graders:
    """The judges grader (logged), its uncached twin, and the single-call path.

    `--resume` reuses logged grades of the same model, rubric and prompt; a grade made by the
    code judges alone names them as its model, never the LLM, so it is always re-made (the
    judges' code has no version a log could match, and they take seconds).
    """
    llm = settings.build_llm(meter)
    redact = settings.should_redact
    shots = options.few_shot
    # a learned scorer never votes on a transcript it was fitted on (its fold scorer does)
    extra = learned_judges(options.judge_dirs, rubric)
    log = GradeLog(options.out / "grades.jsonl", append=options.resume)
    known: dict[str, Grade] = {}
    if options.resume:
        known = load_grade_log(
            log.path, model=llm.model, rubric_version=rubric.version,
            prompt_version=prompts.prompt_version(),
        )  # fmt: skip
        shown = shots is not None  # a grade made with examples is another grader
        known = {k: g for k, g in known.items() if bool(g.few_shot) == shown}

    def make(use_cache: bool) -> GradeFn:
        return rubric_grader(
            rubric, llm, redact_pii=redact, use_cache=use_cache, few_shot=shots,
            extra_judges=extra,
        )  # fmt: skip

    single = None
    if options.single_call:
        single = rubric_grader(
            rubric, llm, redact_pii=redact, use_cache=settings.use_cache, judges=("llm",)
        )
    first = resuming(logged(make(settings.use_cache), log), known)
    return _Graders(first, make(False), single, llm.model, len(known))


async def evaluate(
    sources: Sequence[EvalSource],
    rubric: Rubric,
    settings: Settings,
    options: EvalOptions,
    *,
    on_grade: OnGrade | None = None,
) -> EvalOutcome:
    """Grade every set, measure it and return the report (gates are applied by `apply_gates`)."""
    started = time.perf_counter()
    meter = UsageMeter(settings.token_budget)
    graders = _graders(rubric, settings, meter, options)
    grade, resample, model = graders.first, graders.resample, graders.model
    first: dict[str, dict[str, Grade]] = {}

    def seen(set_name: str, result: Grade) -> None:
        first.setdefault(set_name, {}).setdefault(result.transcript_id, result)
        if on_grade is not None:
            on_grade(set_name, result)

    calibration = [s.set for s in sources if isinstance(s.set, CalibrationSet)]
    report = await run_eval(
        calibration, grade, rubric=rubric, model=model, samples=options.samples,
        resample=resample if options.samples > 1 else None, concurrency=settings.concurrency,
        seed=options.seed, resamples=options.bootstrap, on_grade=seen, meter=meter,
    )  # fmt: skip
    single = graders.single_call
    for source in sources:
        if isinstance(source.set, ContrastSet):
            report.contrast.append(
                await run_contrast(
                    source.set,
                    grade,
                    rubric=rubric,
                    model=model,
                    single_call=single,
                    single_call_limit=options.single_call_limit,
                    concurrency=settings.concurrency,
                    on_grade=seen,
                )
            )
    report.usage = meter.usage
    report.seconds = round(time.perf_counter() - started, 2)
    pairs = {
        s.name: [
            (item, first[s.name][item.id]) for item in s.items if item.id in first.get(s.name, {})
        ]
        for s in calibration
    }
    log = options.out / "grades.jsonl"
    return EvalOutcome(report=report, pairs=pairs, resumed=graders.resumed, log=log)


def save_fitted_calibration(
    outcome: EvalOutcome, rubric: Rubric, directory: Path
) -> tuple[Path, int]:
    """Fit isotonic calibration on the labelled sets' first grades and store it; (path, elements)."""
    labelled = [p for s in outcome.report.sets if s.elements for p in outcome.pairs[s.name]]
    fitted = fit_calibration(rubric, labelled, fitted_on=[s.name for s in outcome.report.sets])
    return save_calibration(fitted, directory, rubric), len(fitted.elements)
