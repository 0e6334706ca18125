"""Health (the process answers) and readiness (the database and the model can work)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api._deps import DatabaseDep, SettingsDep
from api._errors import responses
from api._schemas import Health, Readiness
from app._readiness import readiness

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> Health:
    """200 while the process serves requests (no dependency is checked)."""
    from importlib.metadata import version

    return Health(version=version("interaction-grader"))


@router.get("/ready", responses=responses(503))
def ready(database: DatabaseDep, settings: SettingsDep, response: Response) -> Readiness:
    """200 when the database answers and the model is reachable; 503 with each check otherwise."""
    checks = readiness(database, settings)
    ok = all(v == "ok" for v in checks.values())
    response.status_code = 200 if ok else 503
    return Readiness(ready=ok, checks=checks)
