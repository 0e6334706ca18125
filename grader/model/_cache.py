"""On-disk cache of validated answers, keyed by everything that shapes the answer."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

__all__ = ["ResponseCache", "request_key"]


def request_key(**parts: Any) -> str:
    """A stable hash of the request: model, messages, schema, rubric version, sampling."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class ResponseCache:
    """A SQLite file: safe across processes, atomic writes, one row per request key."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "responses.sqlite3"
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, answer TEXT NOT NULL)"
        )
        self._conn.commit()

    def get(self, key: str) -> str | None:
        """The stored answer JSON, or None."""
        with self._lock:
            row = self._conn.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put(self, key: str, answer: str) -> None:
        """Store (or replace) an answer."""
        with self._lock:
            self._conn.execute(
                "INSERT OR REPLACE INTO answers (key, answer) VALUES (?, ?)", (key, answer)
            )
            self._conn.commit()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()
