"""Exemplars: the tenant's human-scored conversations that few-shot grading and calibration use."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api._deps import AdminCaller, GradeCaller, SettingsDep
from api._errors import AUTH, responses
from api._schemas import ExemplarsPublic, UpsertPublic
from app import _coach as coach
from retrieval import Exemplar

router = APIRouter(prefix="/exemplars", tags=["exemplars"])


@router.put("", responses=responses(*AUTH, 422))
def upsert_exemplars(
    body: list[Exemplar], caller: AdminCaller, settings: SettingsDep
) -> UpsertPublic:
    """Insert or replace exemplars by id."""
    store = coach.exemplar_store(settings, caller.tenant_id)
    before = set(store.ids())
    written = coach.add_exemplars(store, body)
    updated = sum(e.id in before for e in body)
    return UpsertPublic(added=written - updated, updated=updated, unchanged=len(body) - written)


@router.get("", responses=responses(*AUTH, 422))
def read_exemplars(
    caller: GradeCaller,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ExemplarsPublic:
    """A page of exemplar ids."""
    store = coach.exemplar_store(settings, caller.tenant_id)
    ids, total = coach.list_exemplars(store, limit=limit, offset=offset)
    return ExemplarsPublic(data=ids, count=total, limit=limit, offset=offset)


@router.get("/{exemplar_id}", responses=responses(*AUTH, 404))
def read_exemplar(exemplar_id: str, caller: GradeCaller, settings: SettingsDep) -> Exemplar:
    """One exemplar."""
    return coach.get_exemplar(coach.exemplar_store(settings, caller.tenant_id), exemplar_id)


@router.delete("/{exemplar_id}", status_code=204, responses=responses(*AUTH, 404))
def delete_exemplar(exemplar_id: str, caller: AdminCaller, settings: SettingsDep) -> None:
    """Remove one exemplar."""
    coach.remove_exemplar(coach.exemplar_store(settings, caller.tenant_id), exemplar_id)
