"""QA routes over HTTP: seeded with the examples and 300 synthetic grades over six weeks,
two teams and three locations, every dashboard endpoint's figures are checked; review,
dispute and export flows; scopes; tenants see only their own; webhooks through the API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

import pytest
import qa_hooks as hooks
from factories import ROOT, make_transcript
from fastapi.testclient import TestClient
from qa_seed import START, grade, store_job_grades, store_synthetic, synthetic, verdict

import app.qa as qa
import evals
from app import create_key
from app.jobs import start_jobs, stop_jobs
from app.storage import Database
from grader import Settings, default_rubric

if TYPE_CHECKING:
    from service_fixtures import Keys

pytest_plugins = ["service_fixtures"]

JSON = {"content-type": "application/json"}
ITEMS = synthetic()


@pytest.fixture
def seeded(client: TestClient, keys: Keys, service_db: Database) -> dict[str, dict[str, str]]:
    """Acme: the examples graded through the API plus the synthetic grades; a reviewer key."""
    for example in sorted((ROOT / "examples").glob("*.json"))[:4]:
        response = client.post(
            "/v1/grades", content=example.read_bytes(), headers={**keys.grade, **JSON}
        )
        assert response.status_code == 201, response.text
    store_synthetic(service_db, "acme", ITEMS)
    urgent = [
        grade("urgent-critical", 20.0, auto_failed=True),
        grade("urgent-lost", 70.0, customer_state="angry", verdicts=[verdict("recovery", 0)]),
        grade("urgent-escalated", 75.0, escalations=["bot_to_human"]),
    ]
    store_job_grades(
        service_db,
        "acme",
        [(make_transcript(g.transcript_id), g) for g in urgent],
        job="job_urgent",
        when=[START + timedelta(days=50)] * 3,
    )
    with service_db.session() as s:
        review = create_key(s, "acme", ["review"], name="rita").key
        lead = create_key(s, "acme", ["admin"], name="lena").key
    return {
        "review": {"Authorization": f"Bearer {review}"},
        "lead": {"Authorization": f"Bearer {lead}"},
    }


def _get(client: TestClient, path: str, headers: dict[str, str], **params: object) -> object:
    response = client.get(path, headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_every_dashboard_endpoint_returns_the_verified_figures(
    client: TestClient, seeded: dict
) -> None:  # type: ignore[type-arg]
    h = seeded["review"]
    until = (START + timedelta(days=42)).isoformat()
    window = {"since": START.isoformat(), "until": until}  # the synthetic grades only
    trends = _get(client, "/v1/qa/dashboards/trends", h, measure="overall", **window)
    assert trends == [
        p.model_dump(mode="json") for p in qa.scores_over_time(ITEMS, measure="overall")
    ]
    assert sum(p["n"] for p in trends) == 300 and len(trends) == 6
    elements = _get(
        client, "/v1/qa/dashboards/trends", h, measure="element", period="month", **window
    )
    assert {p["key"] for p in elements} == {"message_framing", "empathy", "courtesy", "clarity"}
    teams = _get(client, "/v1/qa/dashboards/breakdown", h, by="team", **window)
    assert teams == [r.model_dump(mode="json") for r in qa.breakdown(ITEMS, "team")]
    north, south = teams
    assert north["group"] == "north" and north["overall"]["mean"] > south["overall"]["mean"] + 5
    assert (
        north["conversations"] + south["conversations"] == 300
        and north["csat"]["n"] + south["csat"]["n"] == 150
    )
    assert set(north["elements"]) == {"message_framing", "empathy", "courtesy", "clarity"}
    agents = _get(client, "/v1/qa/dashboards/breakdown", h, by="agent", **window)
    assert [r["group"] for r in agents] == ["a1", "a2", "a3", "a4", "a5", "a6"]
    places = _get(client, "/v1/qa/dashboards/consistency", h, by="location", **window)
    assert places[0]["measure"] == "overall" and "remote" in places[0]["outliers"]
    assert places == [r.model_dump(mode="json") for r in qa.consistency(ITEMS, "location")]
    improved = _get(client, "/v1/qa/dashboards/improved", h, by="agent", days=21, until=until)
    assert improved[0]["group"] == "a3" and improved[0]["change"] > 8
    mid = START + timedelta(days=21)
    expected = qa.most_improved(
        ITEMS, "agent", before=(START, mid), after=(mid, mid + timedelta(days=21))
    )
    assert improved == [r.model_dump(mode="json") for r in expected]
    feedback = _get(client, "/v1/qa/dashboards/feedback", h, **window)
    overall = next(
        c for c in feedback["correlations"] if c["measure"] == "overall" and c["rating"] == "csat"
    )
    assert feedback["with_feedback"] == 150 and overall["n"] == 150 and overall["rho"] > 0.5
    everything = _get(client, "/v1/qa/dashboards/breakdown", h, by="team")  # with the examples
    assert sum(r["conversations"] for r in everything) == 304
    assert {r["group"] for r in everything} > {"north", "south"}
    queue = _get(client, "/v1/qa/spotlight", h, limit=500)
    first = {"critical_failure", "unhappy_unrecovered", "escalated"}
    urgent = [e for e in queue if first & {r["kind"] for r in e["reasons"]}]
    assert queue[: len(urgent)] == urgent  # escalated, unrecovered and critical come first
    assert {"urgent-critical", "urgent-lost", "urgent-escalated"} <= {
        e["transcript_id"] for e in urgent
    }
    assert len(queue) > 20 and all(a["priority"] >= b["priority"] for a, b in pairwise(queue))


def test_patterns_endpoint_clusters_failure_evidence(client: TestClient, seeded: dict) -> None:  # type: ignore[type-arg]
    try:
        from grader._embedding import default_encoder

        default_encoder().embed(["probe"])
    except Exception as exc:  # the model packages are optional in a dev install
        pytest.skip(f"MiniLM unavailable: {exc}")
    until = (START + timedelta(days=42)).isoformat()
    report = _get(
        client, "/v1/qa/dashboards/patterns", seeded["review"], since=START.isoformat(), until=until
    )
    assert report["conversations"] == 300 and report["clusters"]
    pair = report["co_failures"][0]
    assert pair["together"] >= 2 and pair["lift"] > 0
    assert report["phrases"][0]["phrase"] == "that's our policy"


def test_review_dispute_export_and_scopes(
    client: TestClient, seeded: dict, keys: Keys, tmp_path
) -> None:  # type: ignore[no-untyped-def,type-arg]
    review, lead = seeded["review"], seeded["lead"]
    grade_id = "job_synth_acme:0"
    view = _get(client, f"/v1/qa/conversations/{grade_id}", review)
    assert view["transcript"]["id"] == "s000" and view["reviews"] == []
    made = client.post(
        f"/v1/qa/conversations/{grade_id}/overrides",
        headers=review,
        json={"element_id": "courtesy", "score": 3, "reason": "warm apology"},
    )
    assert made.status_code == 201 and made.json()["reviewer"] == "rita"
    assert (
        client.post(f"/v1/qa/reviews/{made.json()['id']}/accept", headers=review).status_code == 403
    )  # not a lead
    accepted = client.post(
        f"/v1/qa/reviews/{made.json()['id']}/accept", headers=lead, json={"note": "ok"}
    )
    assert accepted.json()["status"] == "accepted" and accepted.json()["decided_by"] == "lena"
    assert (
        client.post(f"/v1/qa/reviews/{made.json()['id']}/reject", headers=lead).status_code == 409
    )
    bad = client.post(
        f"/v1/qa/conversations/{grade_id}/overrides",
        headers=review,
        json={"element_id": "courtesy", "score": 9, "reason": "x"},
    )
    assert bad.status_code == 422 and "0..3" in bad.json()["error"]["message"]
    dispute = client.post(
        f"/v1/qa/conversations/{grade_id}/disputes",
        headers=keys.coach,
        json={"reason": "I was polite", "proposed": {"empathy": 2}},
    )
    assert dispute.status_code == 201, dispute.text
    assert client.post(f"/v1/qa/conversations/{grade_id}/disputes", headers=keys.grade,
                       json={"reason": "x"}).status_code == 403  # fmt: skip
    decided = client.post(f"/v1/qa/disputes/{dispute.json()['id']}/accept", headers=lead)
    assert decided.json()["status"] == "accepted"
    trail = _get(client, "/v1/qa/audit", review, grade_id=grade_id)
    assert [e["action"] for e in trail] == ["override.submitted", "review.accepted", "dispute.raised",
                                            "dispute.accepted", "review.accepted"]  # fmt: skip
    gold = client.get("/v1/qa/gold.jsonl", headers=review)
    assert gold.status_code == 200 and gold.headers["x-missing-transcripts"] == "0"
    path = tmp_path / "gold.jsonl"
    path.write_text(gold.text)
    (item,) = evals.load_set(path, default_rubric()).items
    assert item.id == "s000" and item.labels["rita"] == {"courtesy": 3}
    assert list(item.labels.values())[1] == {"empathy": 2}  # the accepted dispute's proposal
    agreement = _get(client, "/v1/qa/dashboards/agreement", review)
    assert {p["element_id"] for p in agreement} == {"courtesy", "empathy"}
    uploaded = client.post(
        "/v1/qa/feedback",
        headers={**review, "content-type": "text/csv"},
        content=b"transcript_id,csat,nps\ns001,5,10\n",
    )
    assert uploaded.status_code == 201 and uploaded.json() == {"stored": 1}
    wrong = client.post(
        "/v1/qa/feedback", headers={**review, "content-type": "text/csv"}, content=b"id,csat\nx,3\n"
    )
    assert wrong.status_code == 422
    put = client.put(
        f"/v1/qa/spotlight/{grade_id}",
        headers=review,
        json={"assignee": "rita", "status": "in_review"},
    )
    assert put.status_code == 200 and put.json()["assignee"] == "rita"


def test_tenants_never_see_each_others_qa(client: TestClient, seeded: dict, keys: Keys) -> None:  # type: ignore[type-arg]
    grade_id = "job_synth_acme:0"
    made = client.post(
        f"/v1/qa/conversations/{grade_id}/overrides",
        headers=seeded["review"],
        json={"element_id": "courtesy", "score": 3, "reason": "x"},
    ).json()
    other = keys.other  # globex admin
    assert client.get(f"/v1/qa/conversations/{grade_id}", headers=other).status_code == 404
    assert client.post(f"/v1/qa/reviews/{made['id']}/accept", headers=other).status_code == 404
    assert (
        _get(client, "/v1/qa/reviews", other) == []
        and _get(client, "/v1/qa/spotlight", other) == []
    )
    assert _get(client, "/v1/qa/dashboards/breakdown", other, by="team") == []
    assert client.get("/v1/qa/gold.jsonl", headers=other).text == ""
    assert client.get("/v1/qa/spotlight").status_code == 401
    assert client.get("/v1/qa/spotlight", headers=keys.grade).status_code == 403


@pytest.fixture
def live(service_settings: Settings, service_db: Database, keys: Keys) -> Iterator[TestClient]:
    from api import create_app

    with service_db.session() as s:
        qa.configure_webhook(s, "acme", "chatwoot", secret="sec")
    start_jobs(service_settings, service_db)
    try:
        with TestClient(create_app(service_settings)) as test_client:
            yield test_client
    finally:
        stop_jobs()


def test_chatwoot_webhook_over_http_grades_once(live: TestClient, keys: Keys) -> None:
    def send(payload: dict, delivery: str, secret: str = "sec") -> object:  # type: ignore[type-arg]
        body = json.dumps(payload).encode()
        stamp = str(int(time.time()))
        headers = {"X-Chatwoot-Signature": qa.sign_chatwoot(secret, stamp, body), "X-Chatwoot-Timestamp": stamp,
                   "X-Chatwoot-Delivery": delivery, **JSON}  # fmt: skip
        return live.post("/v1/webhooks/chatwoot/acme", content=body, headers=headers)

    for i in range(3):
        assert send(hooks.message_created(i), f"m{i}").status_code == 202  # type: ignore[attr-defined]
    first = send(hooks.resolved(), "r1").json()  # type: ignore[attr-defined]
    assert first["outcome"] == "queued"
    assert send(hooks.resolved(), "r2").json()["outcome"] == "already_graded"  # type: ignore[attr-defined]
    assert send(hooks.resolved(), "r3", secret="bad").status_code == 401  # type: ignore[attr-defined]
    assert (
        live.post("/v1/webhooks/chatwoot/acme", content=b"not json", headers={**JSON}).status_code
        == 401
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = live.get(f"/v1/jobs/{first['job_id']}", headers=keys.admin)
        if job.status_code == 200 and job.json()["status"] == "completed":
            break
        time.sleep(0.2)
    queue = live.get(
        "/v1/qa/dashboards/breakdown", headers=keys.admin, params={"by": "team"}
    ).json()
    assert [(r["group"], r["conversations"]) for r in queue] == [("North", 1)]
