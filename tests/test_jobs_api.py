"""The /v1/jobs routes: upload (raw and multipart), progress, items, export, cancel, re-run;
idempotency, auth and scope failures, another tenant's job."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from jobs_support import write_jsonl

from api import create_app
from app._tenancy import create_key
from app.jobs import current_runtime, stop_jobs
from app.storage import open_database, upgrade
from grader._settings import Settings
from grader.model import FakeOpenAIServer


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def setup(
    tmp_path: Path, database_url: str, fake: FakeOpenAIServer
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings.model_validate(
        {
            "model": "openai/fake-grader",
            "api_base": fake.base_url,
            "api_key": "sk-fake",
            "use_cache": False,
            "data_dir": str(tmp_path / "data"),
            "database_url": database_url,
            "job_chunk_size": 4,
            "rate_limit_per_minute": 10_000,
            "job_max_upload_bytes": 64 * 1024,
        }
    )
    db = open_database(settings.database)
    upgrade(db.engine)
    with db.session() as session:
        keys = {
            "acme": create_key(session, "acme", ["grade"]).key,
            "globex": create_key(session, "globex", ["grade"]).key,
            "coach-only": create_key(session, "acme", ["coach"]).key,
        }
    db.close()
    try:
        with TestClient(create_app(settings)) as client:
            yield client, keys
    finally:
        stop_jobs()


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _wait(client: TestClient, key: str, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        body = client.get(f"/v1/jobs/{job_id}", headers=_auth(key)).json()
        if body["status"] in ("completed", "cancelled", "failed"):
            return body  # type: ignore[no-any-return]
        time.sleep(0.1)
    raise AssertionError(body)


def test_raw_jsonl_upload_runs_to_completion(
    setup: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    client, keys = setup
    data = write_jsonl(tmp_path / "in.jsonl", 10, bad_lines=(3,)).read_bytes()
    headers = {**_auth(keys["acme"]), "Content-Type": "application/x-ndjson"}
    created = client.post("/v1/jobs", content=data, headers=headers)
    assert created.status_code == 202, created.text
    job_id = created.json()["id"]
    assert created.headers["Location"] == f"/v1/jobs/{job_id}"
    done = _wait(client, keys["acme"], job_id)
    assert done["status"] == "completed"
    assert done["progress"] == {
        "total": 10, "queued": 0, "running": 0, "graded": 9, "failed": 1, "cancelled": 0
    }  # fmt: skip
    page = client.get(
        f"/v1/jobs/{job_id}/items", params={"status": "failed"}, headers=_auth(keys["acme"])
    ).json()
    assert [(i["index"], i["record"]) for i in page["items"]] == [(3, "line 4")]
    first = client.get(
        f"/v1/jobs/{job_id}/items", params={"limit": 4, "grades": True}, headers=_auth(keys["acme"])
    ).json()
    assert [i["index"] for i in first["items"]] == [0, 1, 2, 3] and first["next_after"] == 3
    assert first["items"][0]["grade"]["status"] == "graded"
    exported = client.get(f"/v1/jobs/{job_id}/results", headers=_auth(keys["acme"]))
    assert exported.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in exported.text.splitlines()]
    assert [x["item_index"] for x in lines] == list(range(10))
    as_csv = client.get(
        f"/v1/jobs/{job_id}/results", params={"format": "csv"}, headers=_auth(keys["acme"])
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert len(rows) == 10 and rows[3]["status"] == "failed" and rows[0]["overall"] != ""
    assert any(name.startswith("dimension:") for name in rows[0])
    # finished: cancel conflicts; nothing failed that can be re-run (the bad line stays)
    assert client.post(f"/v1/jobs/{job_id}/cancel", headers=_auth(keys["acme"])).status_code == 409
    rerun = client.post(f"/v1/jobs/{job_id}/rerun-failed", headers=_auth(keys["acme"]))
    assert rerun.status_code == 200 and rerun.json()["round"] == 0


def test_multipart_csv_upload(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    text = "conversation_id,role,text\nc1,customer,Hi there\nc1,agent,Hello! How can I help?\n"
    created = client.post(
        "/v1/jobs",
        files={"file": ("export.csv", text.encode(), "text/csv")},
        headers=_auth(keys["acme"]),
    )
    assert created.status_code == 202, created.text
    assert created.json()["filename"] == "export.csv" and created.json()["format"] == "csv"
    assert _wait(client, keys["acme"], created.json()["id"])["progress"]["graded"] == 1  # type: ignore[index]


def test_idempotency_key(setup: tuple[TestClient, dict[str, str]], tmp_path: Path) -> None:
    client, keys = setup
    body = write_jsonl(tmp_path / "a.jsonl", 2).read_bytes()
    headers = {
        **_auth(keys["acme"]),
        "Content-Type": "application/x-ndjson",
        "Idempotency-Key": "u-1",
    }
    first = client.post("/v1/jobs", content=body, headers=headers)
    again = client.post("/v1/jobs", content=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 200)
    assert first.json()["id"] == again.json()["id"]
    other = client.post("/v1/jobs", content=body + b"\n" + body[:10], headers=headers)
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["error"]["message"]
    _wait(client, keys["acme"], first.json()["id"])


def test_auth_scope_and_tenancy(setup: tuple[TestClient, dict[str, str]], tmp_path: Path) -> None:
    client, keys = setup
    body = write_jsonl(tmp_path / "a.jsonl", 1).read_bytes()
    ndjson = {"Content-Type": "application/x-ndjson"}
    assert client.post("/v1/jobs", content=body, headers=ndjson).status_code == 401
    no_scope = client.post(
        "/v1/jobs", content=body, headers={**ndjson, **_auth(keys["coach-only"])}
    )
    assert no_scope.status_code == 403
    created = client.post("/v1/jobs", content=body, headers={**ndjson, **_auth(keys["acme"])})
    job_id = created.json()["id"]
    for method, path in [
        ("GET", f"/v1/jobs/{job_id}"),
        ("GET", f"/v1/jobs/{job_id}/items"),
        ("GET", f"/v1/jobs/{job_id}/results"),
        ("POST", f"/v1/jobs/{job_id}/cancel"),
        ("POST", f"/v1/jobs/{job_id}/rerun-failed"),
    ]:
        answer = client.request(method, path, headers=_auth(keys["globex"]))
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json()["error"]["code"] == "not_found"
    _wait(client, keys["acme"], job_id)


def test_bad_uploads_name_the_problem(setup: tuple[TestClient, dict[str, str]]) -> None:
    client, keys = setup
    plain = client.post(
        "/v1/jobs", content=b"hello", headers={**_auth(keys["acme"]), "Content-Type": "text/plain"}
    )
    assert plain.status_code == 422 and "format" in plain.json()["error"]["message"]
    header = client.post(
        "/v1/jobs",
        content=b"a,b\n1,2\n",
        headers={**_auth(keys["acme"]), "Content-Type": "text/csv"},
    )
    assert header.status_code == 422 and "conversation_id" in header.json()["error"]["message"]
    wrong = client.get(
        "/v1/jobs/job_x/results", params={"format": "xml"}, headers=_auth(keys["acme"])
    )
    assert wrong.status_code == 422


def test_upload_over_the_limit_is_413(
    setup: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    client, keys = setup
    big = write_jsonl(tmp_path / "big.jsonl", 400).read_bytes()
    assert len(big) > 64 * 1024
    answer = client.post(
        "/v1/jobs",
        content=big,
        headers={**_auth(keys["acme"]), "Content-Type": "application/x-ndjson"},
    )
    assert answer.status_code == 413 and "limit" in answer.json()["error"]["message"]


def test_shutdown_stops_the_runtime_a_route_started(
    setup: tuple[TestClient, dict[str, str]],
    tmp_path: Path,
    database_url: str,
    fake: FakeOpenAIServer,
) -> None:
    """A job route starts DBOS lazily; the app's shutdown stops it (and only its own)."""
    client, keys = setup
    assert client.get("/v1/jobs/none", headers=_auth(keys["acme"])).status_code == 404
    runtime = current_runtime()
    assert runtime is not None
    stop_jobs(database=runtime.settings.database + "-other")  # another app's: left running
    assert current_runtime() is runtime
    settings = runtime.settings
    client.__exit__(None, None, None)  # the app's lifespan ends
    assert current_runtime() is None
    with TestClient(create_app(settings)) as again:  # and a new app starts it again on demand
        assert again.get("/v1/jobs/none", headers=_auth(keys["acme"])).status_code == 404
        assert current_runtime() is not None
    assert current_runtime() is None
