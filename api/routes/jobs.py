"""Bulk jobs (helper S2 fills this router: upload, status, results, export, cancel, re-run)."""

from __future__ import annotations

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(prefix="/jobs", tags=["jobs"])
