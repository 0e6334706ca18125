"""`grader grade INPUT...`: parse options, call `app.grade_many`, stream results, summarise."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app import GradingOptions, Note, grade_many, load_inputs, summarize
from app import few_shot_for as _few_shot_for
from app import resolve_rubric as resolve_rubric
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
from grader._errors import GraderError, InputError
from grader._grading import FewShotFn
from grader._output import open_writer
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings, get_settings
from grader._transcript import Transcript

__all__ = ["few_shot_for", "register", "resolve_rubric"]


def few_shot_for(
    settings: Settings, store: Path | None, tenant: str, console: Console
) -> FewShotFn | None:
    """`app.few_shot_for` with notes on `console` (kept for `grader eval`)."""
    options = GradingOptions(tenant=tenant, store=store, note=_printer(console))
    return _few_shot_for(settings, options)


def _printer(console: Console) -> Note:
    def note(message: str) -> None:
        console.print(message, highlight=False, markup=False)

    return note


async def _run(
    transcripts: list[Transcript],
    rubric: Rubric,
    settings: Settings,
    options: GradingOptions,
    out: Path | None,
    console: Console,
) -> list[Grade]:
    writer = open_writer(out, rubric) if out else None
    grades: list[Grade] = []
    try:
        with grading_progress(console) as progress:
            task = progress.add_task("", total=len(transcripts))
            async for result in grade_many(transcripts, rubric, settings, options):
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
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # its per-attempt errors are ours
    try:
        settings = get_settings().with_overrides(
            model=model, api_base=api_base, concurrency=concurrency, token_budget=budget,
            redact_pii=redact, few_shot=few_shot, use_cache=False if no_cache else None,
        )  # fmt: skip
        chosen_rubric = resolve_rubric(rubric, settings, elements)
        loaded = load_inputs(inputs, input_format)
        for issue in loaded.issues:
            console.print(f"[yellow]skipped[/yellow] {issue}", highlight=False)
        if not loaded.transcripts:
            console.print("[red]nothing to grade[/red]: no valid transcript in the input")
            raise typer.Exit(2)
        if out is not None:
            open_writer(out, chosen_rubric).close()  # fail on a bad --out before any grading
        options = GradingOptions(
            tenant=tenant, store=store, calibration_dir=calibration_dir,
            calibrate=not no_calibration, note=_printer(console),
        )  # fmt: skip
        grades = asyncio.run(
            _run(loaded.transcripts, chosen_rubric, settings, options, out, console)
        )
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    for table in summary_tables(grades, summarize(grades, chosen_rubric)):
        Console().print(table)
    unscored = sum(g.status != "graded" for g in grades)
    if unscored or loaded.issues:
        console.print(f"{unscored} unscored, {len(loaded.issues)} input record(s) skipped")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `grade` command."""
    app.command("grade")(grade)
