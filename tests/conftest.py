from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import make_transcript

from grader import Rubric, Transcript, default_rubric, get_settings


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test reads the developer's ~/.cache or .env: settings come from here."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("GRADER_STORE_DIR", str(tmp_path / "store"))
    monkeypatch.setenv("GRADER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("GRADER_DATABASE_URL", raising=False)
    monkeypatch.delenv("GRADER_MODEL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_providers() -> Iterator[None]:
    """A scripted MockLLM registered by one test must not answer the next test's requests."""
    import litellm

    saved = list(litellm.custom_provider_map)
    litellm.custom_provider_map = [p for p in saved if p.get("provider") != "mockllm"]
    yield
    litellm.custom_provider_map = saved


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return default_rubric()


@pytest.fixture
def transcript() -> Transcript:
    return make_transcript()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh empty database: a SQLite file, and a PostgreSQL database when
    TEST_DATABASE_URL names a server (.ci/run sets it; otherwise that variant skips)."""
    import os
    import uuid

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        pytest.skip("TEST_DATABASE_URL not set: no PostgreSQL to test against")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(server).set(drivername="postgresql+psycopg")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
