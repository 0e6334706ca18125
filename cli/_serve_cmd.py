"""`grader serve`: the HTTP API on localhost (uvicorn), with the embedded defaults and SQLite.

The database is migrated at start (alembic upgrade head); with the settings' in-process
worker (the default), bulk jobs are graded by this process too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console

from api import create_app
from api._app import Startup
from grader._errors import GraderError
from grader._settings import Settings, get_settings

__all__ = ["register"]


def _job_hooks(settings: Settings) -> tuple[list[Startup], list[Callable[[], object]]]:
    """The in-process job worker, when the jobs package is installed and it is wanted."""
    if not settings.job_in_process_worker:
        return [], []
    from app.jobs import start_jobs, stop_jobs

    return [start_jobs], [stop_jobs]


def serve(
    host: Annotated[str | None, typer.Option(help="Interface (default 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="Port (default 8000).")] = None,
    model: Annotated[str | None, typer.Option(help="'local' or any litellm model string.")] = None,
    api_base: Annotated[
        str | None, typer.Option("--api-base", help="OpenAI-compatible server.")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="sqlite:///FILE or postgresql+psycopg://..."),
    ] = None,
    worker: Annotated[
        bool | None,
        typer.Option("--worker/--no-worker", help="Grade bulk jobs in this process too."),
    ] = None,
) -> None:
    """Run the API (docs at /docs, pages at /app). Keys: `grader keys create`."""
    import uvicorn

    console = Console(stderr=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        settings = get_settings().with_overrides(
            host=host, port=port, model=model, api_base=api_base, database_url=database_url,
            job_in_process_worker=worker,
        )  # fmt: skip
    except GraderError as exc:
        console.print(f"[red]error[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    startup, shutdown = _job_hooks(settings)
    app = create_app(settings, startup=startup, shutdown=shutdown)
    console.print(
        f"serving on http://{settings.host}:{settings.port} (model {settings.model}, "
        f"database {settings.database.split('@')[-1]})",
        highlight=False,
    )
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def register(app: typer.Typer) -> None:
    """Add the `serve` command."""
    app.command("serve")(serve)
