"""The API's resources: rubric versions, calibration, exemplars, model answers and policies,
suggestions; each one tenant-scoped (another tenant's object is a 404)."""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import yaml
from factories import ROOT
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import create_app
from api._deps import SessionDep
from app import ConflictError
from app.qa._tables import AuditImmutableError, AuditRecord
from app.storage import RubricVersion, RubricVersionImmutableError
from grader import Settings, default_rubric

if TYPE_CHECKING:
    from service_fixtures import Keys

pytest_plugins = ["service_fixtures"]

EXAMPLE = ROOT / "examples" / "01_where_is_my_package.json"
JSON = {"content-type": "application/json"}


def _rubric(name: str = "acme_cx", description: str = "") -> dict[str, Any]:
    document = default_rubric().model_dump(mode="json")
    document["id"], document["description"] = name, description
    return document


def test_rubric_versions_and_immutability(client: TestClient, keys: Keys) -> None:
    created = client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.admin)
    assert created.status_code == 201, created.text
    rubric = created.json()
    assert (rubric["slug"], rubric["versions"], rubric["latest"]["number"]) == ("acme_cx", 1, 1)
    rid = rubric["id"]
    same = client.put(f"/v1/rubrics/{rid}", json={"document": _rubric()}, headers=keys.admin)
    assert same.status_code == 200 and same.json()["number"] == 1, "no change, no new version"
    graded = client.post(
        "/v1/grades", content=EXAMPLE.read_bytes(), params={"rubric": "acme_cx", "version": 1},
        headers={**keys.grade, **JSON},
    )  # fmt: skip
    assert (
        graded.status_code == 201 and graded.json()["rubric_version_id"] == rubric["latest"]["id"]
    )
    changed = client.put(
        f"/v1/rubrics/{rid}", json={"document": _rubric(description="v2")}, headers=keys.admin
    )
    assert changed.status_code == 201 and changed.json()["number"] == 2
    versions = client.get(f"/v1/rubrics/{rid}/versions", headers=keys.grade).json()["data"]
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["document"]["description"] == "", "version 1 kept as it was"
    used = client.delete(f"/v1/rubrics/{rid}/versions/1", headers=keys.admin)
    assert used.status_code == 409 and "immutable" in used.json()["error"]["message"]
    assert client.delete(f"/v1/rubrics/{rid}", headers=keys.admin).status_code == 409
    assert client.delete(f"/v1/rubrics/{rid}/versions/2", headers=keys.admin).status_code == 204
    assert client.get(f"/v1/rubrics/{rid}/versions/2", headers=keys.grade).status_code == 404
    latest = client.get("/v1/rubrics/acme_cx", headers=keys.grade).json()
    assert latest["latest"]["number"] == 1
    grade = client.get(f"/v1/grades/{graded.json()['id']}", headers=keys.grade).json()
    assert grade["rubric_version_id"] == latest["latest"]["id"]


def _rewrite_version(version_id: str, session: SessionDep) -> None:
    version = session.get(RubricVersion, version_id)
    assert version is not None
    version.document = {"id": "rewritten"}  # refused when the route's session commits


def _rewrite_audit(session: SessionDep) -> None:
    entry = AuditRecord(tenant_id="acme", actor="a", action="x", object_kind="k", object_id="o",
                        detail={})  # fmt: skip
    session.add(entry)
    session.flush()
    entry.actor = "someone else"
    session.flush()


def test_append_only_rows_are_conflicts_the_api_answers_409(client: TestClient, keys: Keys) -> None:
    """A write the ORM refuses (rubric version or audit row changed) is a 409, not a 500."""
    assert issubclass(RubricVersionImmutableError, ConflictError)
    assert issubclass(AuditImmutableError, ConflictError)
    made = client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.admin).json()
    app = client.app
    assert isinstance(app, FastAPI)
    app.add_api_route("/test/rewrite-version/{version_id}", _rewrite_version, methods=["POST"])
    app.add_api_route("/test/rewrite-audit", _rewrite_audit, methods=["POST"])
    for path, words in (
        (f"/test/rewrite-version/{made['latest']['id']}", "immutable"),
        ("/test/rewrite-audit", "append-only"),
    ):
        refused = client.post(path)
        assert refused.status_code == 409, refused.text
        assert refused.json()["error"]["code"] == "conflict" and words in refused.text
    kept = client.get(f"/v1/rubrics/{made['id']}/versions/1", headers=keys.grade).json()
    assert kept["document"]["id"] == "acme_cx"


def test_rubric_errors_and_scopes(client: TestClient, keys: Keys) -> None:
    client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.admin)
    again = client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.admin)
    assert again.status_code == 409
    broken = _rubric("broken")
    broken["weight_profiles"][0]["dimensions"] = {"nope": 1}
    invalid = client.post("/v1/rubrics", json={"document": broken}, headers=keys.admin)
    assert invalid.status_code == 422
    assert any("unknown dimension 'nope'" in p for p in invalid.json()["error"]["problems"])
    other = _rubric("other_id")
    wrong = client.put("/v1/rubrics/acme_cx", json={"document": other}, headers=keys.admin)
    assert wrong.status_code == 422 and "other_id" in wrong.json()["error"]["message"]
    assert (
        client.post("/v1/rubrics", json={"document": _rubric("x")}, headers=keys.grade).status_code
        == 403
    )
    assert client.get("/v1/rubrics", headers=keys.coach).status_code == 403


def test_another_tenants_rubric_is_not_found(client: TestClient, keys: Keys) -> None:
    rid = client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.admin).json()["id"]
    for path in (f"/v1/rubrics/{rid}", f"/v1/rubrics/{rid}/versions", f"/v1/rubrics/{rid}/versions/1",
                 "/v1/rubrics/acme_cx"):  # fmt: skip
        assert client.get(path, headers=keys.other).status_code == 404, path
    assert client.delete(f"/v1/rubrics/{rid}", headers=keys.other).status_code == 404
    assert client.get("/v1/rubrics", headers=keys.other).json()["data"] == []
    grading = client.post(
        "/v1/grades", content=EXAMPLE.read_bytes(), params={"rubric": rid},
        headers={**keys.other, **JSON},
    )  # fmt: skip
    assert grading.status_code == 404
    # the same slug is free for another tenant
    assert (
        client.post("/v1/rubrics", json={"document": _rubric()}, headers=keys.other).status_code
        == 201
    )


def _items(n: int = 12) -> list[dict[str, Any]]:
    from test_learned import synthetic_items

    return [json.loads(i.model_dump_json()) for i in synthetic_items(n)]


def test_calibration_sets_and_runs(client: TestClient, keys: Keys) -> None:
    made = client.post(
        "/v1/calibration/sets", json={"name": "pilot", "items": _items(24)}, headers=keys.admin
    )
    assert made.status_code == 201, made.text
    set_id = made.json()["id"]
    assert made.json()["item_count"] == 24
    dup = client.post("/v1/calibration/sets", json={"name": "pilot", "items": _items()},
                      headers=keys.admin)  # fmt: skip
    assert dup.status_code == 409
    bad = _items(3)
    bad[1]["labels"] = {"r1": {"no_such_element": 1}}
    refused = client.post("/v1/calibration/sets", json={"name": "bad", "items": bad},
                          headers=keys.admin)  # fmt: skip
    assert refused.status_code == 422 and "item" in refused.json()["error"]["message"]
    assert [
        s["name"] for s in client.get("/v1/calibration/sets", headers=keys.grade).json()["data"]
    ] == ["pilot"]
    assert client.get(f"/v1/calibration/sets/{set_id}", headers=keys.other).status_code == 404
    too_many = client.post("/v1/calibration/runs", json={"set_id": set_id, "folds": 25},
                           headers=keys.admin)  # fmt: skip
    assert too_many.status_code == 422
    started = client.post(
        "/v1/calibration/runs", json={"set_id": set_id, "folds": 2, "bootstrap": 10, "save": False},
        headers=keys.admin,
    )  # fmt: skip
    assert started.status_code == 202 and started.json()["status"] == "running"
    run = client.get(f"/v1/calibration/runs/{started.json()['id']}", headers=keys.grade).json()
    assert run["status"] == "done", run["error"]
    assert "pilot" in run["result"] and run["finished_at"]
    assert client.get(f"/v1/calibration/runs/{run['id']}", headers=keys.other).status_code == 404
    assert (
        client.post("/v1/calibration/runs", json={"set_id": set_id}, headers=keys.other).status_code
        == 404
    )
    small = client.post("/v1/calibration/sets", json={"name": "small", "items": _items(6)},
                        headers=keys.admin).json()["id"]  # fmt: skip
    failed = client.post("/v1/calibration/runs", json={"set_id": small, "folds": 2, "save": False},
                         headers=keys.admin).json()  # fmt: skip
    failed = client.get(f"/v1/calibration/runs/{failed['id']}", headers=keys.grade).json()
    assert failed["status"] == "failed" and "6 conversations" in failed["error"]
    assert client.delete(f"/v1/calibration/sets/{set_id}", headers=keys.admin).status_code == 204
    assert client.delete(f"/v1/calibration/sets/{small}", headers=keys.admin).status_code == 204
    assert client.get("/v1/calibration/runs", headers=keys.grade).json()["data"] == []


def _exemplar(eid: str) -> dict[str, Any]:
    return {"id": eid, "turns": [{"role": "customer", "text": "Where is my order?"},
                                 {"role": "agent", "text": "It arrives Friday; here is the link."}],
            "human": {"overall": 80.0}, "source": "test"}  # fmt: skip


def test_exemplars_crud_per_tenant(client: TestClient, keys: Keys) -> None:
    put = client.put("/v1/exemplars", json=[_exemplar("e1"), _exemplar("e2")], headers=keys.admin)
    assert put.status_code == 200 and put.json()["added"] == 2, put.text
    listing = client.get("/v1/exemplars", headers=keys.grade).json()
    assert (listing["data"], listing["count"]) == (["e1", "e2"], 2)
    assert client.get("/v1/exemplars/e1", headers=keys.grade).json()["human"] == {"overall": 80.0}
    assert client.get("/v1/exemplars/e1", headers=keys.other).status_code == 404
    assert client.get("/v1/exemplars", headers=keys.other).json()["count"] == 0
    assert client.delete("/v1/exemplars/e1", headers=keys.other).status_code == 404
    assert client.delete("/v1/exemplars/e1", headers=keys.admin).status_code == 204
    assert client.get("/v1/exemplars/e1", headers=keys.grade).status_code == 404
    assert client.put("/v1/exemplars", json=[{"id": "x"}], headers=keys.admin).status_code == 422


def _policies() -> list[dict[str, Any]]:
    data = yaml.safe_load((ROOT / "retrieval" / "data" / "policies.yaml").read_text())
    return [copy.deepcopy(p) for p in data[:2]]


def test_policies_and_model_answers_per_tenant(client: TestClient, keys: Keys) -> None:
    policies = _policies()
    put = client.put("/v1/policies", json=policies, headers=keys.admin)
    assert put.status_code == 200 and put.json()["added"] == 2, put.text
    again = client.put("/v1/policies", json=policies, headers=keys.admin).json()
    assert (again["added"], again["unchanged"]) == (0, 2)
    pid = policies[0]["id"]
    assert (
        client.get(f"/v1/policies/{pid}", headers=keys.coach).json()["topic"]
        == policies[0]["topic"]
    )
    assert client.get(f"/v1/policies/{pid}", headers=keys.other).status_code == 404
    assert client.put("/v1/policies", json=policies, headers=keys.coach).status_code == 403
    bad = client.put("/v1/policies", json=[{"id": "p"}], headers=keys.admin)
    assert bad.status_code == 422
    answers = (ROOT / "retrieval" / "data" / "model_answers.yaml").read_bytes()
    ingested = client.post(
        "/v1/model-answers/ingest", content=answers,
        headers={**keys.admin, "content-type": "application/yaml"},
    )  # fmt: skip
    assert ingested.status_code == 200 and ingested.json()["added"] > 0, ingested.text
    first = yaml.safe_load(answers)[0]["id"]
    assert client.get(f"/v1/model-answers/{first}", headers=keys.coach).status_code == 200
    assert client.get(f"/v1/model-answers/{first}", headers=keys.other).status_code == 404
    wrong = client.post(
        "/v1/policies/ingest", content=b"x", headers={**keys.admin, "content-type": "text/plain"}
    )
    assert wrong.status_code == 422


def test_suggestions_json_and_stream(client: TestClient, keys: Keys) -> None:
    body = {"draft": "Sorry, that's our policy.",
            "context": [{"role": "customer", "text": "Can I return my boots after 40 days?"}]}  # fmt: skip
    assert client.post("/v1/suggestions", json=body, headers=keys.grade).status_code == 403
    answer = client.post("/v1/suggestions", json=body, headers=keys.coach)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] in {"ok", "flagged", "rejected", "failed"}
    with client.stream("POST", "/v1/suggestions/stream", json=body, headers=keys.coach) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        text = "".join(stream.iter_text())
    events = [block.split("\n")[0].removeprefix("event: ") for block in text.strip().split("\n\n")]
    assert events[0] == "detection" and events[-1] in {"suggestion", "error"}, events
    detection = json.loads(text.split("\n\n")[0].split("data: ", 1)[1])
    assert detection["spans"], "policy-speak in the draft is found"
    assert client.post("/v1/suggestions", json={"draft": ""}, headers=keys.coach).status_code == 422


def test_tenant_and_its_keys(client: TestClient, keys: Keys) -> None:
    mine = client.get("/v1/tenant", headers=keys.grade).json()
    assert (mine["id"], mine["tokens_used_today"]) == ("acme", 0)
    assert client.get("/v1/tenant", headers=keys.other).json()["id"] == "globex"
    made = client.post(
        "/v1/keys", json={"scopes": ["coach"], "name": "sidebar"}, headers=keys.admin
    )
    assert made.status_code == 201 and made.json()["key"].startswith("igk_")
    new = {"Authorization": f"Bearer {made.json()['key']}"}
    assert client.get("/v1/tenant", headers=new).json()["id"] == "acme", "tenant from the key"
    listed = client.get("/v1/keys", headers=keys.admin).json()["data"]
    assert made.json()["id"] in {k["id"] for k in listed} and "key" not in listed[0]
    assert client.get("/v1/keys", headers=keys.grade).status_code == 403
    kid = made.json()["id"]
    assert client.post(f"/v1/keys/{kid}/rotate", headers=keys.other).status_code == 404
    assert client.delete(f"/v1/keys/{kid}", headers=keys.other).status_code == 404
    rotated = client.post(f"/v1/keys/{kid}/rotate", headers=keys.admin)
    assert rotated.status_code == 201 and rotated.json()["rotated_from"] == kid
    assert client.get("/v1/tenant", headers=new).status_code == 401
    assert client.post("/v1/keys", json={"scopes": ["root"]}, headers=keys.admin).status_code == 422
    newer = rotated.json()["id"]
    assert client.delete(f"/v1/keys/{newer}", headers=keys.admin).status_code == 204
    assert (
        client.get(
            "/v1/tenant", headers={"Authorization": f"Bearer {rotated.json()['key']}"}
        ).status_code
        == 401
    )


def test_stream_on_the_embedded_default_is_the_grounded_suggestion(
    service_settings: Settings, keys: Keys
) -> None:
    """On `local` no model writes the stream: the checked grounded reply arrives sentence by
    sentence, and the closing event is the same suggestion the JSON route gives."""
    local = service_settings.with_overrides(model="local")
    with TestClient(create_app(local)) as client:
        for kind, name in (("model-answers", "model_answers.yaml"), ("policies", "policies.yaml")):
            ingested = client.post(
                f"/v1/{kind}/ingest", content=(ROOT / "retrieval" / "data" / name).read_bytes(),
                headers={**keys.admin, "content-type": "application/yaml"},
            )  # fmt: skip
            assert ingested.status_code == 200, ingested.text
        body = {"draft": "Sorry, that's our policy. Returns are 30 days only.",
                "context": [{"role": "customer", "text": "Hi, I'm Dana. I'd like to return a "
                             "jacket I bought 45 days ago."}]}  # fmt: skip
        answer = client.post("/v1/suggestions", json=body, headers=keys.coach).json()
        with client.stream("POST", "/v1/suggestions/stream", json=body, headers=keys.coach) as s:
            text = "".join(s.iter_text())
    blocks = [b.split("\n", 1) for b in text.strip().split("\n\n")]
    events = [(head.removeprefix("event: "), json.loads(data.removeprefix("data: ")))
              for head, data in blocks]  # fmt: skip
    deltas = "".join(d["text"] for e, d in events if e == "delta")
    final = events[-1]
    assert final[0] == "suggestion" and final[1]["status"] == answer["status"]
    assert deltas == final[1]["reply"] == answer["reply"]
    if answer["status"] == "ok":
        assert len([e for e, _ in events if e == "delta"]) >= 2, "sent sentence by sentence"
        assert (
            final[1]["coaching_note"]
            and final[1]["cited_policy_ids"] + final[1]["cited_answer_ids"]
        )
