"""Alembic environment: the metadata of every room's tables, on the engine given or configured.

Rooms add the module that defines their tables to `MODEL_MODULES` so autogenerate sees them.
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Engine

from app.storage._base import Base, UTCDateTime
from app.storage._engine import make_engine

MODEL_MODULES = ("app.storage", "app.jobs._tables", "app.qa._tables", "app._suggestion_feedback")

for _module in MODEL_MODULES:
    importlib.import_module(_module)

target_metadata = Base.metadata


def _engine() -> Engine:
    given = context.config.attributes.get("engine")
    if isinstance(given, Engine):
        return given
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        from grader._settings import get_settings

        url = get_settings().database
    return make_engine(url)


def _render_item(kind: str, obj: Any, autogen: AutogenContext) -> str | Literal[False]:
    """Our UTC type is plain `DateTime(timezone=True)` in the scripts (they import no app code)."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    """Migrate on a live connection; SQLite alters tables in batch mode (copy and swap)."""
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
