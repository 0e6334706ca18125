"""The coach's knowledge: model answers and policies, upserted by id or ingested from a file."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from api._deps import AdminCaller, CoachCaller, SettingsDep
from api._errors import AUTH, responses
from api._schemas import IngestPublic, UpsertPublic
from app import _coach as coach
from retrieval import ModelAnswer, Policy

router = APIRouter(tags=["knowledge"])

_INGEST_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "A records file: JSONL, CSV or YAML (bad records are reported, the good "
        "ones kept).",
        "content": {
            t: {"schema": {"type": "string"}}
            for t in ("application/x-ndjson", "text/csv", "application/yaml")
        },
    }
}
_SUFFIX = {"application/x-ndjson": ".jsonl", "application/jsonl": ".jsonl", "text/csv": ".csv",
           "application/yaml": ".yaml", "application/x-yaml": ".yaml", "text/yaml": ".yaml"}  # fmt: skip
FileFormat = Annotated[Literal["jsonl", "csv", "yaml"] | None, Query(alias="format")]


def _suffix(request: Request, fmt: str | None) -> str:
    if fmt is not None:
        return f".{fmt}"
    media = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
    return _SUFFIX.get(media, media or "(none)")


def _ingest_public(report: Any) -> IngestPublic:
    return IngestPublic(
        added=report.counts.added, updated=report.counts.updated,
        unchanged=report.counts.unchanged, issues=[str(i) for i in report.issues],
        near_duplicates=[f"{d.id} ~ {d.other_id} ({d.similarity:.2f})"
                         for d in report.near_duplicates],
    )  # fmt: skip


@router.put("/model-answers", responses=responses(*AUTH, 422))
def upsert_answers(
    body: list[ModelAnswer], caller: AdminCaller, settings: SettingsDep
) -> UpsertPublic:
    """Insert or replace model answers by id."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    counts = coach.upsert_records(store, "model_answers", body)
    return UpsertPublic(added=counts.added, updated=counts.updated, unchanged=counts.unchanged)


@router.get("/model-answers/{answer_id}", responses=responses(*AUTH, 404))
def read_answer(answer_id: str, caller: CoachCaller, settings: SettingsDep) -> ModelAnswer:
    """One model answer."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    record = coach.get_record(store, "model_answers", answer_id)
    assert isinstance(record, ModelAnswer)
    return record


@router.post("/model-answers/ingest", openapi_extra=_INGEST_DOC, responses=responses(*AUTH, 422))
async def ingest_answers(
    request: Request, caller: AdminCaller, settings: SettingsDep, fmt: FileFormat = None
) -> IngestPublic:
    """Ingest a file of model answers."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    body = await request.body()
    report = await asyncio.to_thread(
        coach.ingest_records, store, "model_answers", body, _suffix(request, fmt)
    )  # embedding is CPU work: off the event loop
    return _ingest_public(report)


@router.put("/policies", responses=responses(*AUTH, 422))
def upsert_policies(body: list[Policy], caller: AdminCaller, settings: SettingsDep) -> UpsertPublic:
    """Insert or replace policies by id."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    counts = coach.upsert_records(store, "policies", body)
    return UpsertPublic(added=counts.added, updated=counts.updated, unchanged=counts.unchanged)


@router.get("/policies/{policy_id}", responses=responses(*AUTH, 404))
def read_policy(policy_id: str, caller: CoachCaller, settings: SettingsDep) -> Policy:
    """One policy."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    record = coach.get_record(store, "policies", policy_id)
    assert isinstance(record, Policy)
    return record


@router.post("/policies/ingest", openapi_extra=_INGEST_DOC, responses=responses(*AUTH, 422))
async def ingest_policies(
    request: Request, caller: AdminCaller, settings: SettingsDep, fmt: FileFormat = None
) -> IngestPublic:
    """Ingest a file of policies."""
    store = coach.knowledge_store(settings, caller.tenant_id)
    body = await request.body()
    report = await asyncio.to_thread(
        coach.ingest_records, store, "policies", body, _suffix(request, fmt)
    )
    return _ingest_public(report)
