"""`grader grade INPUT...`: grade transcripts, stream results, summarise."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from grader._errors import GraderError, InputError
from grader._grading import FewShotFn, GradeFn, grade_all, rubric_grader
from grader._output import open_writer
from grader._results import Grade
from grader._rubric import Rubric, default_rubric, load_rubric
from grader._settings import Settings, get_settings
from grader._transcript import Transcript
from cli._console import grading_progress
from cli._options import (
    CalibrationDirOption,
    ElementsOption,
    FewShotOption,
    RubricOption,
    StoreOption,
    TenantOption,
)
from cli._summary import summary_tables
from grader.importers import ImportIssue, read_transcripts
from grader.model import UsageMeter

__all__ = ["register"]


def load_inputs(
    inputs: list[Path], fmt: str | None, console: Console
) -> tuple[list[Transcript], list[ImportIssue]]:
    """Read every input; bad records are reported and skipped, good ones kept."""
    transcripts: list[Transcript] = []
    issues: list[ImportIssue] = []
    seen: set[str] = set()
    for path in inputs:
        result = read_transcripts(path, fmt)
        issues.extend(result.issues)
        for t in result.transcripts:
            if t.id in seen:
                issues.append(
                    ImportIssue(
                        source=str(path),
                        record=f"id {t.id}",
                        field="id",
                        message="duplicate transcript id; first one kept",
                    )
                )
                continue
            seen.add(t.id)
            transcripts.append(t)
    for issue in issues:
        console.print(f"[yellow]skipped[/yellow] {issue}", highlight=False)
    return transcripts, issues


def resolve_rubric(
    path: Path | None, settings: Settings, elements: list[str] | None = None
) -> Rubric:
    """The rubric from the flag, the settings, or the shipped default; cut to `elements`."""
    chosen = path or settings.rubric_path
    rubric = load_rubric(chosen) if chosen else default_rubric()
    return rubric.focused(elements) if elements else rubric


def few_shot_for(
    settings: Settings, store: Path | None, tenant: str, console: Console
) -> FewShotFn | None:
    """The tenant's few-shot provider, or None when it is off or there is nothing to show."""
    k = settings.few_shot_k
    if k == 0:
        return None
    from retrieval import ExemplarStore, default_store_dir, few_shot_provider

    if settings.few_shot is None and not (store or default_store_dir()).exists():
        return None  # the default for hosted models: only when a store was ever made
    exemplars = ExemplarStore(store, tenant=tenant)
    if exemplars.count() == 0:
        if settings.few_shot is not None:
            console.print(f"--few-shot {k}: tenant '{tenant}' has no exemplars; none shown")
        return None
    console.print(f"few-shot: {k} nearest of {exemplars.count()} exemplar(s) (tenant {tenant})")
    return few_shot_provider(
        exemplars, k=k, token_budget=settings.few_shot_tokens, redact=settings.should_redact
    )


def _with_calibration(
    grade: GradeFn,
    rubric: Rubric,
    calibration: tuple[Path, Path | None, str] | None,
    console: Console,
) -> GradeFn:
    """Wrap `grade` with the tenant's stored learned calibration, else the isotonic one.

    Either fills `grade.calibrated` beside the raw verdicts; the learned one (outcomes,
    exemplars) wins when both exist.
    """
    if calibration is None:
        return grade
    import evals
    from retrieval import ExemplarStore

    directory, store, tenant = calibration
    learned = evals.load_learned(directory, rubric, tenant)
    if learned is not None:
        console.print(f"calibrated by {learned.calibration_id} (tenant {tenant})", highlight=False)
        return evals.learned_grader(grade, learned, ExemplarStore(store, tenant=tenant))
    isotonic = evals.load_calibration(directory, rubric)
    if isotonic is not None:
        console.print(
            f"calibrated by the isotonic maps of {len(isotonic.elements)} element(s), "
            f"fitted on {', '.join(isotonic.fitted_on) or 'a labelled set'}",
            highlight=False,
        )
        return evals.isotonic_grader(grade, isotonic, rubric)
    return grade


async def _run(
    transcripts: list[Transcript],
    rubric: Rubric,
    settings: Settings,
    out: Path | None,
    console: Console,
    calibration: tuple[Path, Path | None, str] | None = None,
    few_shot: FewShotFn | None = None,
) -> list[Grade]:
    meter = UsageMeter(settings.token_budget)
    llm = settings.build_llm(meter)
    grade = rubric_grader(
        rubric,
        llm,
        redact_pii=settings.should_redact,
        use_cache=settings.use_cache,
        few_shot=few_shot,
    )
    grade = _with_calibration(grade, rubric, calibration, console)
    writer = open_writer(out, rubric) if out else None
    grades: list[Grade] = []
    try:
        with grading_progress(console) as progress:
            task = progress.add_task("", total=len(transcripts))
            async for result in grade_all(
                transcripts,
                grade,
                rubric=rubric,
                model=llm.model,
                concurrency=1 if settings.is_local else settings.concurrency,
            ):
                grades.append(result)
                if writer:
                    writer.write(result)
                note = "" if result.status == "graded" else f"unscored: {result.error}"
                progress.update(task, advance=1, description=f"{result.transcript_id} {note}"[:80])
                if not console.is_terminal:  # logs and CI: one line per transcript instead of a bar
                    console.print(
                        f"[{len(grades)}/{len(transcripts)}] {result.transcript_id}: "
                        f"{result.status} overall={result.overall} {result.seconds:.1f}s {note}",
                        highlight=False,
                        markup=False,
                    )
    finally:
        if writer:
            writer.close()
    return grades


def grade(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Transcript files or folders (.jsonl, .json, .csv, Chatwoot, Zendesk)."
        ),
    ],
    rubric: RubricOption = None,
    elements: ElementsOption = None,
    few_shot: FewShotOption = None,
    model: Annotated[str | None, typer.Option(help="'local' or any litellm model string.")] = None,
    api_base: Annotated[
        str | None, typer.Option("--api-base", help="Base URL of an OpenAI-compatible server.")
    ] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64)] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write grades to FILE.jsonl or FILE.csv as they finish.")
    ] = None,
    input_format: Annotated[
        str | None,
        typer.Option("--format", help="jsonl, json, csv, chatwoot or zendesk (default: detect)."),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ignore and do not use the on-disk answer cache.")
    ] = False,
    budget: Annotated[
        int | None, typer.Option(help="Stop sending requests after this many tokens.")
    ] = None,
    redact: Annotated[
        bool | None,
        typer.Option(
            "--redact/--no-redact", help="Mask PII in prompts (default: on for hosted models)."
        ),
    ] = None,
    tenant: TenantOption = "default",
    calibration_dir: CalibrationDirOption = None,
    store: StoreOption = None,
    no_calibration: Annotated[
        bool,
        typer.Option("--no-calibration", help="Raw grades only, even if a calibration exists."),
    ] = False,
) -> None:
    """Grade transcripts. Exit 0: all graded; 1: some skipped or unscored; 2: bad input."""
    console = Console(stderr=True, soft_wrap=True)
    logging.getLogger("instructor").setLevel(
        logging.CRITICAL
    )  # its per-attempt errors are ours to report
    overrides = {
        "model": model,
        "api_base": api_base,
        "concurrency": concurrency,
        "token_budget": budget,
        "redact_pii": redact,
        "few_shot": few_shot,
    }
    try:
        update = {k: v for k, v in overrides.items() if v is not None}
        if no_cache:
            update["use_cache"] = False
        settings = get_settings().model_copy(update=update)
        chosen_rubric = resolve_rubric(rubric, settings, elements)
        transcripts, issues = load_inputs(inputs, input_format, console)
        if not transcripts:
            console.print("[red]nothing to grade[/red]: no valid transcript in the input")
            raise typer.Exit(2)
        if out is not None:
            open_writer(out, chosen_rubric).close()  # fail on a bad --out before any grading
        calibration = (
            None
            if no_calibration
            else (calibration_dir or settings.cache_dir / "calibration", store, tenant)
        )
        shots = few_shot_for(settings, store, tenant, console)
        grades = asyncio.run(
            _run(transcripts, chosen_rubric, settings, out, console, calibration, shots)
        )
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    for table in summary_tables(grades, chosen_rubric):
        Console().print(table)
    unscored = sum(g.status != "graded" for g in grades)
    if unscored or issues:
        console.print(f"{unscored} unscored, {len(issues)} input record(s) skipped")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `grade` command."""
    app.command("grade")(grade)
