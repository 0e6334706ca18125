"""Grade one transcript or many: the grader a tenant gets, with its calibration and exemplars.

`make_grader` composes the rubric grader with what the tenant has stored: few-shot
exemplars (when asked for, or by default for hosted models) and the learned calibration,
else the isotonic one. Notes on what was applied go to `note` (the CLI prints them).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from grader._grading import FewShotFn, GradeFn, grade_all, rubric_grader
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings
from grader._transcript import Transcript
from grader.judges._learned import learned_judges, scorer_dirs
from grader.model import LLM, UsageMeter

__all__ = [
    "GradingOptions",
    "Note",
    "few_shot_for",
    "grade_many",
    "grade_one",
    "make_grader",
    "with_calibration",
]

#: Where a use case tells what it applied ("calibrated by ...").
Note = Callable[[str], None]


def _quiet(_message: str) -> None:
    return None


@dataclass(frozen=True)
class GradingOptions:
    """Whose stored calibration and exemplars apply; paths default to the settings'."""

    tenant: str = "default"
    store: Path | None = None
    calibration_dir: Path | None = None
    calibrate: bool = True
    note: Note = field(default=_quiet, compare=False)

    def store_dir(self, settings: Settings) -> Path:
        """The coach store holding the tenant's exemplars."""
        return self.store or settings.coach_store

    def calibrations(self, settings: Settings) -> Path:
        """Where calibrations are stored."""
        return self.calibration_dir or settings.cache_dir / "calibration"


def few_shot_for(settings: Settings, options: GradingOptions) -> FewShotFn | None:
    """The tenant's few-shot provider, or None when it is off or there is nothing to show."""
    k = settings.few_shot_k
    if k == 0:
        return None
    store = options.store_dir(settings)
    if settings.few_shot is None and not store.exists():
        return None  # the default for hosted models: only when a store was ever made
    from retrieval import ExemplarStore, few_shot_provider

    exemplars = ExemplarStore(store, tenant=options.tenant)
    count = exemplars.count()
    if count == 0:
        if settings.few_shot is not None:
            options.note(f"few-shot {k}: tenant '{options.tenant}' has no exemplars; none shown")
        return None
    options.note(f"few-shot: {k} nearest of {count} exemplar(s) (tenant {options.tenant})")
    return few_shot_provider(
        exemplars, k=k, token_budget=settings.few_shot_tokens, redact=settings.should_redact
    )


def with_calibration(
    grade: GradeFn, rubric: Rubric, settings: Settings, options: GradingOptions
) -> GradeFn:
    """`grade` wrapped with the tenant's learned calibration, else the isotonic one, else as is.

    Either fills `grade.calibrated` beside the raw verdicts; the learned one (outcomes,
    exemplars) wins when both exist.
    """
    if not options.calibrate:
        return grade
    import evals

    directory = options.calibrations(settings)
    learned = evals.load_learned(directory, rubric, options.tenant)
    if learned is not None:
        from retrieval import ExemplarStore

        options.note(f"calibrated by {learned.calibration_id} (tenant {options.tenant})")
        store = ExemplarStore(options.store_dir(settings), tenant=options.tenant)
        return evals.learned_grader(grade, learned, store)
    isotonic = evals.load_calibration(directory, rubric)
    if isotonic is not None:
        options.note(
            f"calibrated by the isotonic maps of {len(isotonic.elements)} element(s), "
            f"fitted on {', '.join(isotonic.fitted_on) or 'a labelled set'}"
        )
        return evals.isotonic_grader(grade, isotonic, rubric)
    return grade


def make_grader(
    rubric: Rubric,
    settings: Settings,
    options: GradingOptions | None = None,
    *,
    meter: UsageMeter | None = None,
) -> tuple[GradeFn, LLM]:
    """The tenant's grading function and the LLM it sends to."""
    options = options or GradingOptions()
    llm = settings.build_llm(meter or UsageMeter(settings.token_budget))
    grade = rubric_grader(
        rubric,
        llm,
        redact_pii=settings.should_redact,
        use_cache=settings.use_cache,
        few_shot=few_shot_for(settings, options),
        # scorers fitted by `grader eval --fit-judges` (corpus) or on the tenant's own labels
        extra_judges=learned_judges(
            scorer_dirs(settings.cache_dir, options.calibrations(settings), options.tenant), rubric
        ),
    )
    return with_calibration(grade, rubric, settings, options), llm


async def grade_one(
    transcript: Transcript,
    rubric: Rubric,
    settings: Settings,
    options: GradingOptions | None = None,
) -> Grade:
    """One grade (unscored with the reason when the model could not produce one)."""
    grade, _ = make_grader(rubric, settings, options)
    return await grade(transcript)


async def grade_many(
    transcripts: Iterable[Transcript],
    rubric: Rubric,
    settings: Settings,
    options: GradingOptions | None = None,
) -> AsyncIterator[Grade]:
    """Grades as they finish; the embedded model grades one at a time (one process, one model)."""
    grade, llm = make_grader(rubric, settings, options)
    concurrency = 1 if settings.is_local else settings.concurrency
    async for result in grade_all(
        transcripts, grade, rubric=rubric, model=llm.model, concurrency=concurrency
    ):
        yield result
