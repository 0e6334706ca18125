"""`grader calibrate SET... [--cv K]`: fit a learned calibration, measured out of fold.

It cross-validates the calibration on each set against the embedding-ridge baseline and the
people (one human, split-half), writes the same reports as `grader eval` plus `learned.md`
and `learned.json`, then fits on every set, stores the fit next to the rubric version and
puts the conversations in the tenant's exemplar store, where grading finds them.

The grader's verdicts are features where they already exist (`--grades`: a grades JSONL or
an eval report.json) or with `--grade` (grades the sets now; slow with the embedded model).
Exit codes: 0 done, 1 an error while fitting, 2 bad input.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

import evals
from app import (
    CalibrationPlan,
    GradingOptions,
    load_calibration_sets,
    run_calibration,
    write_calibration_reports,
)
from cli._console import rich_table
from cli._options import (
    CalibrationDirOption,
    RubricOption,
    StoreOption,
    TenantOption,
)
from grader._errors import GraderError, InputError
from grader._rubric import default_rubric, load_rubric
from grader._settings import get_settings

__all__ = ["register"]


def calibrate_command(
    sets: Annotated[
        list[str],
        typer.Argument(
            help="Calibration sets: a set folder, a .jsonl file, 'stc3' or 'politeness'."
        ),
    ],
    cv: Annotated[
        int, typer.Option("--cv", min=2, max=20, help="Outer cross-validation folds.")
    ] = 5,
    tenant: TenantOption = "default",
    rubric: RubricOption = None,
    grades: Annotated[
        list[Path] | None,
        typer.Option(
            "--grades", help="Cached verdicts: grades JSONL or eval report.json; repeatable."
        ),
    ] = None,
    grade: Annotated[
        bool, typer.Option("--grade", help="Grade the sets now and use the verdicts as features.")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model for --grade.")] = None,
    api_base: Annotated[str | None, typer.Option("--api-base", help="Server for --grade.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the reports.")] = Path("out/calibrate"),
    calibration_dir: CalibrationDirOption = None,
    store: StoreOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Use N conversations per set.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling, folds and bootstrap.")] = 0,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples for the intervals.")
    ] = 1000,
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Store the fit and the exemplars.")
    ] = True,
) -> None:
    """Fit a learned calibration; report it cross-validated against the baseline and people."""
    console = Console(stderr=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)

    def note(message: str) -> None:
        console.print(message, highlight=False, markup=False)

    def on_fold(name: str, number: int) -> None:
        note(f"{name}: fold {number + 1}/{cv} done")

    try:
        settings = get_settings().with_overrides(model=model, api_base=api_base)
        chosen = rubric or settings.rubric_path
        the_rubric = load_rubric(chosen) if chosen else default_rubric()
        loaded = load_calibration_sets(sets, the_rubric, limit=limit, seed=seed)
        verdicts: dict[str, evals.VerdictView] = {}
        for path in grades or []:
            verdicts |= evals.load_verdicts(path)
        options = GradingOptions(
            tenant=tenant, store=store, calibration_dir=calibration_dir, note=note
        )
        plan = CalibrationPlan(
            folds=cv, seed=seed, bootstrap=bootstrap, save=save, options=options, on_fold=on_fold
        )
        outcome = asyncio.run(
            run_calibration(loaded, the_rubric, settings, plan, verdicts=verdicts, grade_now=grade)
        )
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from exc
    if outcome.calibration is not None:
        note(
            f"learned calibration {outcome.calibration.calibration_id} saved to {outcome.saved_to}"
        )
        note(
            f"{outcome.exemplars_added} exemplar(s) in tenant '{tenant}' at {outcome.exemplar_store}"
        )
    for path in write_calibration_reports(outcome, out):
        note(f"wrote {path}")
    stdout = Console(width=None if Console().is_terminal else 160)
    for name, check in outcome.checks.items():
        stdout.print(rich_table(evals.learned_tables(name, check)[0]))


def register(app: typer.Typer) -> None:
    """Add the `calibrate` command."""
    app.command("calibrate")(calibrate_command)
