"""Alembic, run from code: `grader serve` and the tests bring a database to the head revision.

The same history serves the `alembic` command (alembic.ini at the project root), which is
how a room adds its revision: `alembic heads` first, so the history keeps one head.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["MIGRATIONS", "alembic_config", "current_revision", "head_revision", "upgrade"]

#: The migration scripts folder.
MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine | None = None) -> Config:
    """A config over our scripts; with `engine`, migrations run on its connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to `revision` (idempotent: a current database is left as is)."""
    command.upgrade(alembic_config(engine), revision)


def head_revision() -> str:
    """The one head of the history (raises if rooms left it with two)."""
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migration history has {len(heads)} heads {heads}; merge them")
    return heads[0]


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
