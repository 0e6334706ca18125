"""The app factory: routers under /v1, one error body, the pages under /app, migrations at start.

Every response carries the security headers of `api._security` (who may frame it, nosniff).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from api._errors import install_handlers
from api._security import SecurityHeaders
from api.routes import ROUTERS
from app._limits import RateLimiter
from app.jobs import stop_jobs
from app.storage import Database, open_database, upgrade
from grader._settings import Settings, get_settings

__all__ = ["STATIC", "Startup", "create_app"]

#: The sidebar and dashboard pages.
STATIC = Path(__file__).parent / "static"


#: Work started beside the API once the database is migrated (e.g. the in-process job worker).
Startup = Callable[[Settings, Database], object]


def create_app(
    settings: Settings | None = None,
    *,
    startup: Sequence[Startup] = (),
    shutdown: Sequence[Callable[[], object]] = (),
) -> FastAPI:
    """The service; with `settings`, they replace the environment's (tests, `grader serve`).

    `startup` hooks run after the migrations, `shutdown` hooks before the database closes.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        chosen = settings or get_settings()
        database = open_database(chosen.database)
        upgrade(database.engine)  # alembic upgrade head: a new file or an old schema
        app.state.databases[chosen.database] = database
        for hook in startup:  # in a thread: a hook may start its own loop or refuse ours
            await asyncio.to_thread(hook, chosen, database)
        try:
            yield
        finally:
            for stop in shutdown:
                await asyncio.to_thread(stop)
            # DBOS started lazily by a job route on this database stops with the app.
            await asyncio.to_thread(stop_jobs, database=chosen.database)
            databases: dict[str, Database] = app.state.databases
            for opened in databases.values():
                opened.close()
            databases.clear()

    app = FastAPI(
        title="Interaction Grader",
        summary="Grade customer-service conversations against a rubric, with verbatim evidence.",
        version="1",
        lifespan=lifespan,
    )
    app.state.databases = {}
    app.state.limiter = RateLimiter()
    if settings is not None:
        app.dependency_overrides[get_settings] = lambda: settings
    install_handlers(app)
    framing = (settings or get_settings()).sidebar_frame_ancestors
    app.add_middleware(SecurityHeaders, sidebar_origins=framing)
    for router in ROUTERS:
        app.include_router(router, prefix="/v1")
    if STATIC.is_dir():
        app.mount("/app", StaticFiles(directory=STATIC, html=True), name="pages")

    _document_validation_as_error_body(app)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


def _document_validation_as_error_body(app: FastAPI) -> None:
    """FastAPI documents 422 as its own body; ours answers `ErrorBody`, so say that."""
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            text = json.dumps(default()).replace(
                "#/components/schemas/HTTPValidationError", "#/components/schemas/ErrorBody"
            )
            schema = json.loads(text)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
