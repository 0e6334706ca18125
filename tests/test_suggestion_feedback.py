"""Suggestion feedback and tone rewrites: the sidebar's own routes, tenant-scoped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from rapidfuzz.distance import Levenshtein

from grader.model import MockLLM
from grader.model._llm import register_provider

if TYPE_CHECKING:
    from service_fixtures import Keys

pytest_plugins = ["service_fixtures"]

SUGGESTED = "I'm sorry the jacket didn't fit. I can offer store credit instead."
FINAL = "I'm so sorry the jacket didn't fit, Sam. I can offer store credit instead."


def test_feedback_is_stored_with_the_edit_distance(client: TestClient, keys: Keys) -> None:
    body = {"outcome": "edited", "suggested": SUGGESTED, "final": FINAL, "draft": "No."}
    made = client.post("/v1/suggestions/feedback", json=body, headers=keys.coach)
    assert made.status_code == 201, made.text
    assert made.json()["edit_distance"] == Levenshtein.distance(SUGGESTED, FINAL) > 0
    accepted = {"outcome": "accepted", "suggested": SUGGESTED}
    assert (
        client.post("/v1/suggestions/feedback", json=accepted, headers=keys.coach).json()[
            "edit_distance"
        ]
        == 0
    )
    rejected = {"outcome": "rejected", "suggested": SUGGESTED, "final": FINAL}
    row = client.post("/v1/suggestions/feedback", json=rejected, headers=keys.coach).json()
    assert row["final"] is None and row["edit_distance"] is None
    listed = client.get("/v1/suggestions/feedback", headers=keys.coach).json()
    assert listed["total"] == 3
    assert listed["counts"] == {
        "accepted": 1,
        "edited": 1,
        "rejected": 1,
        "mean_edit_distance": float(Levenshtein.distance(SUGGESTED, FINAL)),
    }


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"outcome": "edited", "suggested": SUGGESTED}, "needs `final`"),
        ({"outcome": "edited", "suggested": SUGGESTED, "final": SUGGESTED}, "use 'accepted'"),
        ({"outcome": "accepted", "suggested": SUGGESTED, "final": FINAL}, "use 'edited'"),
        ({"outcome": "loved", "suggested": SUGGESTED}, "outcome"),
        ({"outcome": "accepted", "suggested": ""}, "suggested"),
    ],
)
def test_bad_feedback_is_refused_naming_the_problem(
    client: TestClient, keys: Keys, body: dict[str, str], problem: str
) -> None:
    answer = client.post("/v1/suggestions/feedback", json=body, headers=keys.coach)
    assert answer.status_code == 422
    assert problem in answer.text


def test_feedback_needs_a_coach_key_and_stays_in_its_tenant(client: TestClient, keys: Keys) -> None:
    body = {"outcome": "accepted", "suggested": SUGGESTED}
    assert client.post("/v1/suggestions/feedback", json=body).status_code == 401
    assert client.post("/v1/suggestions/feedback", json=body, headers=keys.grade).status_code == 403
    assert client.post("/v1/suggestions/feedback", json=body, headers=keys.coach).status_code == 201
    other = client.get("/v1/suggestions/feedback", headers=keys.other).json()
    assert other["total"] == 0 and other["items"] == []


def test_a_tone_rewrite_goes_through_the_model(client: TestClient, keys: Keys) -> None:
    provider = MockLLM([{"text": "I can offer store credit instead."}])
    register_provider("mockllm", provider)
    body = {"text": SUGGESTED, "operation": "shorten"}
    answer = client.post("/v1/rewrites", json=body, headers=keys.coach)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "operation": "shorten",
        "original": SUGGESTED,
        "text": "I can offer store credit instead.",
        "status": "ok",
        "error": None,
    }
    assert SUGGESTED in provider.requests[0].messages[-1]["content"]
    bad = client.post("/v1/rewrites", json={**body, "operation": "louder"}, headers=keys.coach)
    assert bad.status_code == 422
