"""Fixtures of the service tests (a pytest plugin: `pytest_plugins = ["service_fixtures"]`).

Each test gets its own database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set),
the fake model, and keys of two tenants: acme (admin, grade-only, coach-only) and globex.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from app import create_key
from app.storage import Database, open_database, upgrade
from grader import Settings, get_settings


@dataclass(frozen=True)
class Keys:
    """Bearer headers by role."""

    admin: dict[str, str]
    grade: dict[str, str]
    coach: dict[str, str]
    other: dict[str, str]
    revoked: dict[str, str]


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def service_settings(database_url: str, tmp_path: Path) -> Settings:
    return get_settings().with_overrides(
        database_url=database_url, model="mockllm/default", data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache", use_cache=False, rate_limit_per_minute=1000,
    )  # fmt: skip


@pytest.fixture
def service_db(service_settings: Settings) -> Iterator[Database]:
    database = open_database(service_settings.database)
    upgrade(database.engine)
    yield database
    database.close()


@pytest.fixture
def keys(service_db: Database) -> Keys:
    from app import revoke_key

    with service_db.session() as session:
        made = {
            "admin": create_key(session, "acme", ["admin"]).key,
            "grade": create_key(session, "acme", ["grade"]).key,
            "coach": create_key(session, "acme", ["coach"]).key,
            "other": create_key(session, "globex", ["admin"]).key,
        }
        revoked = create_key(session, "acme", ["admin"])
        revoke_key(session, revoked.record.id)
    return Keys(**{k: _bearer(v) for k, v in made.items()}, revoked=_bearer(revoked.key))


@pytest.fixture
def client(service_settings: Settings, keys: Keys) -> Iterator[TestClient]:
    with TestClient(create_app(service_settings)) as test_client:
        yield test_client
