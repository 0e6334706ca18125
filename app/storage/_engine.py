"""Engine and sessions from one URL: a SQLite file by default, PostgreSQL (psycopg 3) for a team.

SQLite gets foreign keys (off by default there), WAL and a busy timeout, so the API and an
in-process worker can write the same file without "database is locked".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "make_engine", "open_database"]


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; a SQLite file's folder is created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@dataclass(frozen=True)
class Database:
    """An engine and the session factory bound to it; one per process."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self.sessions.begin() as session:
            yield session

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def close(self) -> None:
        """Release the pool's connections."""
        self.engine.dispose()


def open_database(url: str, *, echo: bool = False) -> Database:
    """The engine and sessions for `url` (no migration: see `upgrade`)."""
    engine = make_engine(url, echo=echo)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
