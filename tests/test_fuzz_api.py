"""schemathesis against the service's own OpenAPI, in process: no 5xx, every 4xx explained.

Every operation is called with generated (valid and invalid) parameters and bodies, with
an admin key of one tenant. A 5xx is a bug; a rejection must be a 4xx whose body says what
is wrong (the one error body: `{"error": {"message": ...}}` or FastAPI's `detail`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from api import create_app
from app import create_key
from app.storage import open_database
from grader import get_settings

EXAMPLES = 6


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FastAPI, dict[str, str]]]:
    tmp: Path = tmp_path_factory.mktemp("fuzz-api")
    chosen = get_settings().with_overrides(
        database_url=f"sqlite:///{tmp / 'service.sqlite3'}",
        model="mockllm/default",
        data_dir=tmp / "data",
        cache_dir=tmp / "cache",
        use_cache=False,
        rate_limit_per_minute=100_000,
    )
    app = create_app(chosen)
    with TestClient(app):  # runs the lifespan: migrations, state
        database = open_database(chosen.database)
        with database.session() as session:
            key = create_key(session, "acme", ["admin"]).key
        database.close()
        yield app, {"Authorization": f"Bearer {key}"}
    # a job route started DBOS in this process; its queue thread draws from the global
    # `random` and would trip Hypothesis's check in every later property test
    from app.jobs import stop_jobs

    stop_jobs()


def _message(body: Any) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if body.get("detail"):
            return str(body["detail"])
    return ""


@pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisDeprecationWarning")
def test_no_server_errors_and_every_rejection_says_why(
    service: tuple[FastAPI, dict[str, str]],
) -> None:
    app, auth = service
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    problems: list[str] = []
    calls = 0
    for result in api.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: Any) -> None:
            nonlocal calls
            calls += 1
            response = case.call(headers=auth)
            where = f"{case.method} {case.formatted_path}"
            if response.status_code >= 500:
                problems.append(f"{where} -> {response.status_code}: {response.text[:200]}")
            elif (
                response.status_code >= 400
                and "json" in response.headers.get("content-type", "")
                and not _message(response.json())
            ):
                problems.append(f"{where} -> {response.status_code} without a message")

        check()
    print(f"\n{calls} calls over {len(list(api.get_all_operations()))} operations")
    assert problems == [], "\n".join(sorted(set(problems))[:20])
