"""The tenant's rubrics: create, new version per change, read versions, delete unused ones."""

from __future__ import annotations

from fastapi import APIRouter, Response

from api._deps import AdminCaller, GradeCaller, SessionDep
from api._errors import AUTH, responses
from api._schemas import (
    RubricCreate,
    RubricPublic,
    RubricsPublic,
    RubricVersionPublic,
    RubricVersionsPublic,
    version_public,
)
from app import _rubrics as rubrics

router = APIRouter(prefix="/rubrics", tags=["rubrics"])


@router.post("", status_code=201, responses=responses(*AUTH, 409, 422))
def create_rubric(body: RubricCreate, caller: AdminCaller, session: SessionDep) -> RubricPublic:
    """A new rubric at version 1, named by the document's `id`."""
    version = rubrics.create_rubric(session, caller.tenant_id, body.document)
    return RubricPublic.of(rubrics.get_rubric(session, caller.tenant_id, version.rubric_id))


@router.get("", responses=responses(*AUTH))
def read_rubrics(caller: GradeCaller, session: SessionDep) -> RubricsPublic:
    """The tenant's rubrics with their latest versions."""
    return RubricsPublic(
        data=[RubricPublic.of(r) for r in rubrics.list_rubrics(session, caller.tenant_id)]
    )


@router.get("/{rubric_id}", responses=responses(*AUTH, 404))
def read_rubric(rubric_id: str, caller: GradeCaller, session: SessionDep) -> RubricPublic:
    """One rubric (by id or slug) and its latest version."""
    return RubricPublic.of(rubrics.get_rubric(session, caller.tenant_id, rubric_id))


@router.put("/{rubric_id}", responses=responses(*AUTH, 404, 422))
def save_version(
    rubric_id: str, body: RubricCreate, response: Response, caller: AdminCaller,
    session: SessionDep,
) -> RubricVersionPublic:  # fmt: skip
    """A new version with this content (201), or the latest when nothing changed (200)."""
    version, created = rubrics.save_version(session, caller.tenant_id, rubric_id, body.document)
    response.status_code = 201 if created else 200
    return version_public(version)


@router.delete("/{rubric_id}", status_code=204, responses=responses(*AUTH, 404, 409))
def delete_rubric(rubric_id: str, caller: AdminCaller, session: SessionDep) -> None:
    """Remove a rubric no grade used."""
    rubrics.delete_rubric(session, caller.tenant_id, rubric_id)


@router.get("/{rubric_id}/versions", responses=responses(*AUTH, 404))
def read_versions(rubric_id: str, caller: GradeCaller, session: SessionDep) -> RubricVersionsPublic:
    """Every version, oldest first."""
    record = rubrics.get_rubric(session, caller.tenant_id, rubric_id)
    return RubricVersionsPublic(data=[version_public(v) for v in record.versions])


@router.get("/{rubric_id}/versions/{number}", responses=responses(*AUTH, 404))
def read_version(
    rubric_id: str, number: int, caller: GradeCaller, session: SessionDep
) -> RubricVersionPublic:
    """One version."""
    return version_public(rubrics.get_version(session, caller.tenant_id, rubric_id, number))


@router.delete(
    "/{rubric_id}/versions/{number}", status_code=204, responses=responses(*AUTH, 404, 409)
)
def delete_version(rubric_id: str, number: int, caller: AdminCaller, session: SessionDep) -> None:
    """Remove a version no grade used (a used version is immutable: 409)."""
    rubrics.delete_version(session, caller.tenant_id, rubric_id, number)
