"""The declarative base every table of the service derives from, and its column habits.

Rooms (jobs, qa) put their tables in their own modules on this same `Base`, so one
metadata and one Alembic history cover the whole database.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

__all__ = ["TENANT_PATTERN", "Base", "UTCDateTime", "new_id", "utcnow"]

#: Tenant ids: the coach store's rule, so one id names a tenant everywhere.
TENANT_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"

# Named constraints: Alembic can then drop or alter them on SQLite (batch mode) and PostgreSQL.
_NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Now, aware, in UTC."""
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """An opaque, unguessable id such as ``grd_3q9...``: ids in URLs must not be enumerable."""
    return f"{prefix}_{secrets.token_urlsafe(12)}"


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is aware UTC on the way in and out (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; store aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Root of every table; `type_annotation_map` makes `Mapped[datetime]` aware UTC."""

    metadata = MetaData(naming_convention=_NAMING)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012 (SQLAlchemy's own idiom)
