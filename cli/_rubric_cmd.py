"""`grader rubric check FILE` and `grader rubric show`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from grader._errors import RubricError
from grader._rubric import default_rubric, load_rubric

__all__ = ["register"]

rubric_app = typer.Typer(help="Validate and inspect rubrics.", no_args_is_help=True)


@rubric_app.command("check")
def check(file: Annotated[Path, typer.Argument(help="Rubric YAML file.")]) -> None:
    """Validate a rubric and explain every problem found."""
    console = Console(stderr=True, soft_wrap=True)
    try:
        rubric = load_rubric(file)
    except RubricError as exc:
        console.print(f"[red]invalid[/red] {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    console.print(
        f"valid: {rubric.id} revision {rubric.revision}, version {rubric.version}, "
        f"{len(rubric.dimensions)} dimensions, {len(rubric.elements)} elements, "
        f"{len(rubric.weight_profiles)} weight profiles",
        highlight=False,
    )
    for warning in rubric.warnings():
        console.print(f"warning: {warning}", highlight=False)


@rubric_app.command("show")
def show(
    file: Annotated[Path | None, typer.Argument(help="Rubric YAML (default: shipped).")] = None,
) -> None:
    """List dimensions and elements of a rubric."""
    rubric = load_rubric(file) if file else default_rubric()
    table = Table(title=f"{rubric.name} ({rubric.version})")
    for column in ("dimension", "element", "levels", "N/A", "critical"):
        table.add_column(column)
    for dim in rubric.dimensions:
        for el in dim.elements:
            table.add_row(
                dim.id,
                el.id,
                f"0-{el.max_level}",
                "yes" if el.na_when else "",
                "yes" if el.critical else "",
            )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add the `rubric` command group."""
    app.add_typer(rubric_app, name="rubric")
