"""QA workflow: reviews, disputes, audit, spotlight, dashboards, webhooks (helper Q fills this)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(tags=["qa"])
