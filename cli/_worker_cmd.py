"""`grader worker`: one more process grading queued bulk-job items (DBOS on PostgreSQL).

`grader serve` grades in its own process; on PostgreSQL, any number of workers share the
queue. A worker restarted with the same `--executor-id` recovers the chunks it had in
flight when it died, so give each worker a stable id (its host name by default).
"""

from __future__ import annotations

import signal
import socket
import threading
from typing import Annotated

import typer

from app.jobs import start_jobs, stop_jobs
from app.storage import open_database, upgrade
from grader._settings import get_settings

__all__ = ["register"]


def worker(
    executor_id: Annotated[
        str | None,
        typer.Option(help="Stable name of this worker (DBOS executor id); default: host name."),
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(min=1, help="Model requests in flight in this process.")
    ] = None,
) -> None:
    """Grade queued bulk-job items until stopped (SIGTERM or Ctrl-C)."""
    settings = get_settings().with_overrides(job_concurrency=concurrency)
    db = open_database(settings.database)
    upgrade(db.engine)
    name = executor_id or f"worker-{socket.gethostname()}"
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    start_jobs(settings, db, executor_id=name, grading=True)
    typer.echo(f"worker {name} grading jobs from {settings.database.split('@')[-1]}", err=True)
    try:
        stop.wait()
    finally:
        stop_jobs()
        db.close()


def register(app: typer.Typer) -> None:
    """Add the `worker` command."""
    app.command()(worker)
