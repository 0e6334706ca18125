"""A tenant's rubrics, versioned: every change is a new version, and versions never change.

A version that a grade used cannot be deleted (409), so a grade always names the rubric
content it was made with. Saving content identical to the latest version makes no new one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app._errors import ConflictError, NotFoundError
from app.storage import GradeRecord, RubricRecord, RubricVersion, new_id
from grader._errors import RubricError
from grader._rubric import Rubric, default_rubric, rubric_problems

__all__ = [
    "create_rubric",
    "delete_rubric",
    "delete_version",
    "get_rubric",
    "get_version",
    "list_rubrics",
    "parse_rubric",
    "rubric_for_grading",
    "save_version",
]


def parse_rubric(document: Any) -> Rubric:
    """A validated rubric, or `RubricError` listing every problem (path: reason)."""
    if not isinstance(document, dict):
        raise RubricError("a rubric is a mapping at the top level")
    problems = rubric_problems(document)
    if problems:
        raise RubricError("invalid rubric", problems)
    return Rubric.model_validate(document)


def get_rubric(session: Session, tenant_id: str, rubric_id: str) -> RubricRecord:
    """The tenant's rubric by its id or its slug (the rubric's own `id`)."""
    record = session.scalar(
        select(RubricRecord).where(
            RubricRecord.tenant_id == tenant_id,
            (RubricRecord.id == rubric_id) | (RubricRecord.slug == rubric_id),
        )
    )
    if record is None:
        raise NotFoundError("rubric", rubric_id)
    return record


def list_rubrics(session: Session, tenant_id: str) -> Sequence[RubricRecord]:
    """The tenant's rubrics by slug."""
    query = select(RubricRecord).where(RubricRecord.tenant_id == tenant_id)
    return session.scalars(query.order_by(RubricRecord.slug)).all()


def _add_version(session: Session, record: RubricRecord, rubric: Rubric) -> RubricVersion:
    latest = session.scalar(
        select(func.max(RubricVersion.number)).where(RubricVersion.rubric_id == record.id)
    )
    version = RubricVersion(
        id=new_id("rv"), rubric_id=record.id, tenant_id=record.tenant_id,
        number=(latest or 0) + 1, content_hash=rubric.version,
        document=rubric.model_dump(mode="json"),
    )  # fmt: skip
    session.add(version)
    session.flush()
    return version


def create_rubric(session: Session, tenant_id: str, document: Any) -> RubricVersion:
    """A new rubric (named by the document's `id`) at version 1; 409 if the name is taken."""
    rubric = parse_rubric(document)
    taken = session.scalar(
        select(RubricRecord.id).where(
            RubricRecord.tenant_id == tenant_id, RubricRecord.slug == rubric.id
        )
    )
    if taken is not None:
        raise ConflictError(f"rubric {rubric.id!r} exists; save a new version of {taken} instead")
    record = RubricRecord(id=new_id("rub"), tenant_id=tenant_id, slug=rubric.id)
    session.add(record)
    session.flush()
    return _add_version(session, record, rubric)


def save_version(
    session: Session, tenant_id: str, rubric_id: str, document: Any
) -> tuple[RubricVersion, bool]:
    """A new version with `document` (and True), or the latest when the content is the same."""
    record = get_rubric(session, tenant_id, rubric_id)
    rubric = parse_rubric(document)
    if rubric.id != record.slug:
        raise RubricError(f"id: the document is rubric {rubric.id!r}, not {record.slug!r}")
    latest = record.versions[-1] if record.versions else None
    if latest is not None and latest.content_hash == rubric.version:
        return latest, False
    return _add_version(session, record, rubric), True


def get_version(
    session: Session, tenant_id: str, rubric_id: str, number: int | None = None
) -> RubricVersion:
    """A version by number, or the latest."""
    record = get_rubric(session, tenant_id, rubric_id)
    for version in reversed(record.versions):
        if number is None or version.number == number:
            return version
    raise NotFoundError("rubric version", f"{rubric_id} v{number}")


def _used(session: Session, version_ids: list[str]) -> bool:
    query = select(exists().where(GradeRecord.rubric_version_id.in_(version_ids)))
    return bool(session.scalar(query))


def delete_version(session: Session, tenant_id: str, rubric_id: str, number: int) -> None:
    """Remove a version no grade used; a used one is kept (409)."""
    version = get_version(session, tenant_id, rubric_id, number)
    if _used(session, [version.id]):
        raise ConflictError(f"rubric {rubric_id} v{number} is used by grades; it is immutable")
    session.delete(version)


def delete_rubric(session: Session, tenant_id: str, rubric_id: str) -> None:
    """Remove a rubric none of whose versions a grade used (409 otherwise)."""
    record = get_rubric(session, tenant_id, rubric_id)
    if _used(session, [v.id for v in record.versions]):
        raise ConflictError(f"rubric {rubric_id} has versions used by grades; it is kept")
    for version in record.versions:
        session.delete(version)
    session.delete(record)


def rubric_for_grading(
    session: Session, tenant_id: str, rubric_id: str | None, number: int | None = None
) -> tuple[Rubric, str | None]:
    """The rubric to grade with and its stored version id (None: the shipped default)."""
    if rubric_id is None:
        return default_rubric(), None
    version = get_version(session, tenant_id, rubric_id, number)
    return Rubric.model_validate(version.document), version.id
