"""Whether the service can work now: the database answers, the model can be reached."""

from __future__ import annotations

import httpx
from sqlalchemy.exc import SQLAlchemyError

from app.storage import Database
from grader._settings import Settings

__all__ = ["readiness"]


def _model(settings: Settings) -> str:
    if settings.is_local:
        from grader.model import embedded_model_path

        path = settings.local_model_path or embedded_model_path()
        return "ok" if path.is_file() else f"embedded model file missing: {path}"
    if settings.model.startswith("mockllm/"):
        return "ok"
    if settings.api_base:
        try:
            httpx.get(settings.api_base.rstrip("/") + "/models", timeout=3.0)
        except httpx.HTTPError as exc:
            return f"{settings.api_base} unreachable: {type(exc).__name__}"
        return "ok"  # any HTTP answer: the server is up (a key problem shows on first use)
    return "ok"  # a hosted provider: reached on first use; no request is spent here


def readiness(database: Database, settings: Settings) -> dict[str, str]:
    """Each dependency: "ok" or what is wrong."""
    try:
        database.ping()
        db = "ok"
    except SQLAlchemyError as exc:
        db = f"database unavailable: {type(exc).__name__}"
    return {"database": db, "model": _model(settings)}
