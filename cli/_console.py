"""What the commands show: the grading progress bar and the report tables, set up once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

if TYPE_CHECKING:
    import evals

__all__ = ["grading_progress", "rich_table"]


def grading_progress(console: Console) -> Progress:
    """A bar with done/total, elapsed time and the latest transcript."""
    return Progress(
        TextColumn("grading"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=console,
    )


def rich_table(table: evals.Table) -> RichTable:
    """A report table (plain rows, as in report.md) drawn for the terminal."""
    out = RichTable(title=table.title)
    for column in table.header:
        out.add_column(column)
    for row in table.rows:
        out.add_row(*row)
    return out
