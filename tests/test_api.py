"""The API's grading routes, auth, tenancy, limits and OpenAPI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from factories import ROOT
from fastapi.testclient import TestClient

from api import create_app
from app.storage import Tenant, current_revision, head_revision, open_database
from grader import Settings

if TYPE_CHECKING:
    from service_fixtures import Keys

pytest_plugins = ["service_fixtures"]

EXAMPLE = ROOT / "examples" / "01_where_is_my_package.json"
FIXTURES = ROOT / "tests" / "fixtures" / "importers"
JSON = {"content-type": "application/json"}


def _grade(client: TestClient, headers: dict[str, str], body: bytes, **extra: str) -> dict:
    response = client.post("/v1/grades", content=body, headers={**headers, **JSON, **extra})
    assert response.status_code == 201, response.text
    return response.json()


def _error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["message"], body
    return body["error"]


def test_health_and_readiness_need_no_key(client: TestClient) -> None:
    assert client.get("/v1/health").json()["status"] == "ok"
    ready = client.get("/v1/ready").json()
    assert ready == {"ready": True, "checks": {"database": "ok", "model": "ok"}}


def test_readiness_reports_an_unreachable_model(service_settings: Settings) -> None:
    settings = service_settings.with_overrides(model="openai/x", api_base="http://127.0.0.1:9")
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert "unreachable" in response.json()["checks"]["model"]


def test_startup_migrates_a_new_database(service_settings: Settings, tmp_path: Path) -> None:
    fresh = service_settings.with_overrides(database_url=f"sqlite:///{tmp_path / 'new.db'}")
    with TestClient(create_app(fresh)) as client:
        assert client.get("/v1/health").status_code == 200
    database = open_database(fresh.database)
    assert current_revision(database.engine) == head_revision()
    database.close()


def test_grade_a_native_transcript_records_what_made_it(client: TestClient, keys: Keys) -> None:
    grade = _grade(client, keys.grade, EXAMPLE.read_bytes())
    assert grade["status"] == "graded" and grade["grade"]["overall"] == grade["overall"]
    assert grade["model"] == "mockllm/default" and grade["prompt_hash"].startswith("sha256:")
    assert grade["rubric_slug"] == "cx_core" and grade["rubric_hash"].startswith("sha256:")
    assert grade["prompt_tokens"] > 0 and grade["latency_ms"] >= 0 and grade["judge_strategy"]
    assert (grade["agent"], grade["team"], grade["channel"]) == (
        "Priya Natarajan",
        "Orders",
        "chat",
    )
    again = client.get(f"/v1/grades/{grade['id']}", headers=keys.grade)
    assert again.status_code == 200 and again.json()["grade"] == grade["grade"]


def _one_csv_conversation() -> bytes:
    lines = (FIXTURES / "good.csv").read_text().splitlines()
    return "\n".join([lines[0], *[x for x in lines[1:] if x.startswith("csv-1,")]]).encode()


def _one_chatwoot_conversation() -> bytes:
    data = json.loads((FIXTURES / "chatwoot_export.json").read_text())
    if isinstance(data, dict) and isinstance(data.get("payload"), list):
        data = {**data, "payload": data["payload"][:1]}
    elif isinstance(data, list):
        data = data[:1]
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("body", "content_type", "fmt", "transcript_id"),
    [
        (_one_csv_conversation(), "text/csv", None, "csv-1"),
        (_one_csv_conversation(), "application/octet-stream", "csv", "csv-1"),
        ((FIXTURES / "zendesk_ticket.json").read_bytes(), "application/json", None, None),
        ((FIXTURES / "zendesk_ticket.json").read_bytes(), "application/json", "zendesk", None),
        (_one_chatwoot_conversation(), "application/json", None, None),
        (EXAMPLE.read_bytes().replace(b"\n", b" ") + b"\n", "application/x-ndjson", None, None),
    ],
)
def test_every_importer_grades_by_content_type_or_format(
    client: TestClient, keys: Keys, body: bytes, content_type: str, fmt: str | None,
    transcript_id: str | None,
) -> None:  # fmt: skip
    params = {"format": fmt} if fmt else {}
    response = client.post(
        "/v1/grades", content=body, params=params,
        headers={**keys.grade, "content-type": content_type},
    )  # fmt: skip
    assert response.status_code == 201, response.text
    if transcript_id:
        assert response.json()["transcript_id"] == transcript_id


@pytest.mark.parametrize(
    ("body", "content_type", "params", "says"),
    [
        (b"", "application/json", {}, "empty"),
        (b"{not json", "application/json", {}, "not valid JSON"),
        (b'{"id": "x"}', "application/json", {}, "turns"),
        (b"hello", "text/plain", {}, "content type 'text/plain'"),
        (b"{}", "application/json", {"format": "pdf"}, "format 'pdf'"),
        ((FIXTURES / "good.csv").read_bytes(), "text/csv", {}, "holds 2 transcripts"),
        ((FIXTURES / "missing_column.csv").read_bytes(), "text/csv", {}, "column"),
    ],
)
def test_bad_input_is_422_naming_the_problem(
    client: TestClient, keys: Keys, body: bytes, content_type: str, params: dict[str, str],
    says: str,
) -> None:  # fmt: skip
    response = client.post(
        "/v1/grades", content=body, params=params,
        headers={**keys.grade, "content-type": content_type},
    )  # fmt: skip
    error = _error(response, 422)
    assert error["code"] == "invalid_input" and says in error["message"], error
    assert "/tmp" not in error["message"], "temporary paths stay private"


def test_a_body_over_the_limit_is_413(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/grades", content=b" " * (5 * 1024 * 1024 + 1), headers={**keys.grade, **JSON}
    )
    assert _error(response, 413)["code"] == "too_large"


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [(None, 401, "unauthenticated"), ("nonsense", 401, "unauthenticated"),
     ("revoked", 401, "unauthenticated"), ("coach", 403, "forbidden")],
)  # fmt: skip
def test_auth_failures(
    client: TestClient, keys: Keys, who: str | None, status: int, code: str
) -> None:
    headers = {"nonsense": {"Authorization": "Bearer igk_nope"}}.get(who or "", {})
    if who in ("revoked", "coach"):
        headers = getattr(keys, who)
    for method, path in (("get", "/v1/grades"), ("post", "/v1/grades")):
        response = client.request(method, path, headers={**headers, **JSON}, content=b"{}")
        error = _error(response, status)
        assert error["code"] == code
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer"


def test_a_wrong_secret_for_a_real_key_id_is_refused(client: TestClient, keys: Keys) -> None:
    real = keys.grade["Authorization"]
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    assert client.get("/v1/grades", headers={"Authorization": forged}).status_code == 401


def test_another_tenants_grade_is_not_found(client: TestClient, keys: Keys) -> None:
    grade = _grade(client, keys.grade, EXAMPLE.read_bytes())
    error = _error(client.get(f"/v1/grades/{grade['id']}", headers=keys.other), 404)
    assert error["code"] == "not_found"
    assert client.get("/v1/grades", headers=keys.other).json()["count"] == 0
    assert client.get("/v1/grades", headers=keys.admin).json()["count"] == 1


def test_list_filters_and_pages(client: TestClient, keys: Keys) -> None:
    _grade(client, keys.grade, EXAMPLE.read_bytes())
    _grade(client, keys.grade, _one_csv_conversation(), **{"content-type": "text/csv"})
    page = client.get("/v1/grades", headers=keys.grade, params={"limit": 1}).json()
    assert (page["count"], len(page["data"]), page["limit"]) == (2, 1, 1)
    by_agent = client.get("/v1/grades", headers=keys.grade, params={"agent": "Marta Okafor"})
    assert [g["transcript_id"] for g in by_agent.json()["data"]] == ["csv-1"]
    assert client.get("/v1/grades", headers=keys.grade, params={"limit": 0}).status_code == 422


def test_summary_aggregates_the_tenants_grades(client: TestClient, keys: Keys) -> None:
    first = _grade(client, keys.grade, EXAMPLE.read_bytes())
    summary = client.get("/v1/grades/summary", headers=keys.grade).json()
    assert summary["transcripts"] == 1 and summary["overall_mean"] == first["overall"]
    assert {d["dimension_id"] for d in summary["dimensions"]} >= {"timing", "information"}
    assert summary["usage"]["prompt_tokens"] == first["prompt_tokens"]
    assert client.get("/v1/grades/summary", headers=keys.other).json()["transcripts"] == 0


def test_rate_limit_is_429_with_retry_after(
    client: TestClient, keys: Keys, service_settings: Settings
) -> None:
    database = open_database(service_settings.database)
    with database.session() as session:
        tenant = session.get(Tenant, "acme")
        assert tenant is not None
        tenant.rate_limit_per_minute = 2
    database.close()
    assert client.get("/v1/grades", headers=keys.grade).status_code == 200
    assert client.get("/v1/grades", headers=keys.admin).status_code == 200
    response = client.get("/v1/grades", headers=keys.grade)
    assert _error(response, 429)["code"] == "limit_exceeded"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    assert client.get("/v1/grades", headers=keys.other).status_code == 200, "per tenant"


def test_token_budget_is_429_until_tomorrow(
    client: TestClient, keys: Keys, service_settings: Settings
) -> None:
    database = open_database(service_settings.database)
    with database.session() as session:
        tenant = session.get(Tenant, "acme")
        assert tenant is not None
        tenant.tokens_per_day = 1
    database.close()
    _grade(client, keys.grade, EXAMPLE.read_bytes())  # spends more than 1 token
    response = client.post(
        "/v1/grades", content=EXAMPLE.read_bytes(), headers={**keys.grade, **JSON}
    )
    error = _error(response, 429)
    assert "token budget" in error["message"]
    assert int(response.headers["retry-after"]) <= 86400
    assert client.get("/v1/grades", headers=keys.grade).json()["count"] == 1


def test_openapi_documents_every_error_with_one_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "ErrorBody" in spec["components"]["schemas"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if path in ("/v1/health",):
                continue
            errors = {c: r for c, r in operation["responses"].items() if c[0] in "45"}
            assert errors, f"{method} {path} documents no error"
            for code, response in errors.items():
                ref = json.dumps(response.get("content", {}))
                assert "ErrorBody" in ref, f"{method} {path} {code} is not the error body"
            if operation.get("security") or path.startswith("/v1/grades"):
                assert {"401", "403", "429"} <= set(errors), f"{method} {path}"


def test_unknown_routes_use_the_error_body(client: TestClient) -> None:
    assert _error(client.get("/v1/nothing"), 404)["code"] == "not_found"
    assert _error(client.delete("/v1/health"), 405)["code"] == "method_not_allowed"
