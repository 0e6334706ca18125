"""The routers under /v1, one module per resource; `ROUTERS` is what `create_app` includes.

A room adds its router module here when it commits it (jobs: S2, qa: Q, sidebar calls: P).
"""

from fastapi import APIRouter

from api import _routes_feedback
from api.routes import (
    calibration,
    exemplars,
    grades,
    health,
    jobs,
    knowledge,
    qa,
    rubrics,
    suggestions,
    tenant,
)

__all__ = ["ROUTERS"]

ROUTERS: list[APIRouter] = [
    health.router,
    tenant.router,
    grades.router,
    jobs.router,
    rubrics.router,
    calibration.router,
    exemplars.router,
    knowledge.router,
    suggestions.router,
    _routes_feedback.router,
    qa.router,
]
