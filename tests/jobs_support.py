"""Shared by the bulk-job tests and bench: transcript files, a database, a latency fake."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from app._tenancy import ensure_tenant
from app.storage import Database, open_database, upgrade
from grader.model import FakeOpenAIServer


def write_jsonl(path: Path, n: int, *, bad_lines: tuple[int, ...] = ()) -> Path:
    """`n` short native transcripts, one per line; `bad_lines` (0-based) are not JSON."""
    with path.open("w", encoding="utf-8") as file:
        for i in range(n):
            if i in bad_lines:
                file.write("{not json\n")
                continue
            record = {
                "id": f"t{i:06d}",
                "turns": [
                    {"role": "customer", "text": f"My order {i} has not arrived. Where is it?"},
                    {
                        "role": "agent",
                        "text": "I am sorry about that. Let me check it for you now.",
                    },
                    {"role": "agent", "text": "It ships tomorrow; you will get a tracking e-mail."},
                ],
            }
            file.write(json.dumps(record) + "\n")
    return path


def migrated(url: str, tenants: tuple[str, ...] = ("acme", "globex")) -> Database:
    db = open_database(url)
    upgrade(db.engine)
    with db.session() as session:
        for tenant in tenants:
            ensure_tenant(session, tenant)
    return db


class SlowFakeServer(FakeOpenAIServer):
    """The fake OpenAI server answering after a fixed latency (seconds)."""

    def __init__(self, latency: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.latency = latency

    def _respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        if self.latency:
            time.sleep(self.latency)
        return super()._respond(body)
