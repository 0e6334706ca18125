"""The `grader` command line.

Each command group lives in its own module and registers itself on `app`.
Exit codes: 0 success, 1 partial failure, 2 bad input.
"""

from __future__ import annotations

import typer

from cli import (
    _calibrate_cmd,
    _coach_cmd,
    _eval_cmd,
    _grade_cmd,
    _keys_cmd,
    _qa_cmd,
    _rubric_cmd,
    _serve_cmd,
    _worker_cmd,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_OK", "EXIT_PARTIAL", "app", "main"]

EXIT_OK, EXIT_PARTIAL, EXIT_BAD_INPUT = 0, 1, 2

app = typer.Typer(
    name="grader",
    help="Grade customer-service conversations against a rubric, with verbatim evidence.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for _module in (
    _grade_cmd, _rubric_cmd, _eval_cmd, _coach_cmd, _calibrate_cmd, _serve_cmd, _keys_cmd,
    _worker_cmd, _qa_cmd,
):  # fmt: skip
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
