"""The knowledge store: offline embeddings, chroma collections per tenant, filters, relevance."""

from __future__ import annotations

import importlib
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader import ConfigurationError, Role, Turn, default_rubric
from retrieval import (
    EMBEDDING_DIM,
    KnowledgeStore,
    MiniLMEmbedding,
    ModelAnswer,
    Policy,
    default_embedding,
    ingest_file,
    read_records,
    retrieval_query,
)

DATA = Path(str(resources.files("retrieval").joinpath("data")))


def answer(record_id: str, text: str, **extra: Any) -> ModelAnswer:
    fields: dict[str, Any] = {
        "id": record_id,
        "text": text,
        "scenario": "refund_outside_window",
        "inquiry_type": "refund_return",
        "structure_note": "Acknowledge, explain, offer, next step.",
        **extra,
    }
    return ModelAnswer.model_validate(fields)


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    store = KnowledgeStore(tmp_path_factory.mktemp("store"))
    assert not ingest_file(store, "policies", DATA / "policies.yaml").issues
    assert not ingest_file(store, "model_answers", DATA / "model_answers.yaml").issues
    return store


def test_retrieval_exports_are_honest() -> None:
    module = importlib.import_module("retrieval")
    for symbol in module.__all__:
        assert hasattr(module, symbol) and not symbol.startswith("_")
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and getattr(v, "__module__", "").startswith("retrieval")
        and not isinstance(v, type(importlib))
    }
    assert public <= set(module.__all__), sorted(public - set(module.__all__))


def test_embeddings_are_unit_vectors_and_mean_pooled_per_text() -> None:
    texts = ["Sorry, that's our policy.", "that's company policy", "The tent pole snapped."]
    vectors = default_embedding().embed(texts)
    assert vectors.shape == (3, EMBEDDING_DIM) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    sims = vectors @ vectors.T
    assert sims[0, 1] > sims[0, 2] + 0.2  # paraphrases are closer than unrelated text
    # batching by length gives the same vectors as one text at a time
    one_by_one = np.stack([default_embedding().embed([t])[0] for t in texts])
    assert np.allclose(vectors, one_by_one, atol=1e-5)


def test_embedding_function_follows_chromas_protocol() -> None:
    from chromadb.utils.embedding_functions import known_embedding_functions

    ef = MiniLMEmbedding(threads=2)
    assert known_embedding_functions[ef.name()] is MiniLMEmbedding
    rebuilt = MiniLMEmbedding.build_from_config(ef.get_config())
    assert rebuilt.threads == 2 and not ef.is_legacy()
    assert len(ef(["hello there"])[0]) == EMBEDDING_DIM


def test_store_never_uses_chromas_downloading_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import chromadb
    from chromadb.config import Settings
    from chromadb.utils.embedding_functions import onnx_mini_lm_l6_v2

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("chroma's default embedding function was called")

    monkeypatch.setattr(onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "__call__", refuse)
    monkeypatch.setattr(
        onnx_mini_lm_l6_v2.ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse
    )
    store = KnowledgeStore(tmp_path)
    store.upsert("model_answers", [answer("a1", "I'm sorry it didn't fit; store credit is open.")])
    assert store.search_answers("it doesn't fit", 1)[0].record.id == "a1"
    # a plain client that names no embedding function gets ours from the persisted config
    client = chromadb.PersistentClient(
        path=str(tmp_path), settings=Settings(anonymized_telemetry=False)
    )
    collection = client.get_collection("default__model_answers")
    assert collection.query(query_texts=["doesn't fit"], n_results=1)["ids"] == [["a1"]]
    assert store._client.get_settings().anonymized_telemetry is False


def test_upsert_is_idempotent_and_counts_changes(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path)
    first = answer("a1", "I'm sorry it didn't fit; store credit is still open to you.")
    assert store.upsert("model_answers", [first]).added == 1
    assert store.upsert("model_answers", [first]).unchanged == 1
    changed = answer("a1", "I'm sorry it didn't fit; an exchange is still open to you.")
    counts = store.upsert(
        "model_answers", [changed, answer("a2", "Thanks for the photos, a new pole is on its way.")]
    )
    assert (counts.added, counts.updated, counts.unchanged) == (1, 1, 0)
    assert store.count("model_answers") == 2
    assert "exchange" in store.search_answers("exchange", 1)[0].record.text


def test_stored_records_are_read_back_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for more ids than one chroma query allows (100k in the bench) reads them all."""
    import retrieval._store as store_module

    monkeypatch.setattr(store_module, "_GET_BATCH", 2)
    store = KnowledgeStore(tmp_path)
    records = [answer(f"a{i}", f"Thanks for waiting; parcel {i} is on its way.") for i in range(5)]
    store.upsert("model_answers", records)
    collection = store._collections["model_answers"]
    asked: list[int] = []
    real_get = collection.get

    def spy(*args: Any, **kwargs: Any) -> Any:
        asked.append(len(kwargs.get("ids") or []))
        return real_get(*args, **kwargs)

    monkeypatch.setattr(collection, "get", spy)
    got = store.stored_json("model_answers", [r.id for r in records] + ["missing"])
    assert sorted(got) == [f"a{i}" for i in range(5)]
    assert asked == [2, 2, 2]  # six ids, never more than a batch in one query
    assert store.upsert("model_answers", records).unchanged == 5


def test_metadata_filters_by_scenario_and_policy_topic(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path)
    store.upsert(
        "model_answers",
        [
            answer(
                "a1",
                "Refunds close after 30 days, but store credit is open.",
                policy_topic="refund_window",
            ),
            answer(
                "a2",
                "Reset links only go to the email on file, to protect your account.",
                scenario="password_reset_new_email",
                inquiry_type="account",
                policy_topic="account_security",
            ),
        ],
    )
    query = "can I get my money back"
    assert [
        h.record.id for h in store.search_answers(query, 3, scenario="password_reset_new_email")
    ] == ["a2"]
    assert [h.record.id for h in store.search_answers(query, 3, policy_topic="refund_window")] == [
        "a1"
    ]
    assert (
        store.search_answers(
            query, 3, scenario="password_reset_new_email", policy_topic="refund_window"
        )
        == []
    )


def test_tenants_are_kept_apart(tmp_path: Path) -> None:
    acme, globex = (
        KnowledgeStore(tmp_path, tenant="acme"),
        KnowledgeStore(tmp_path, tenant="globex"),
    )
    acme.upsert("model_answers", [answer("a1", "Acme's answer about refunds and store credit.")])
    assert acme.count("model_answers") == 1 and globex.count("model_answers") == 0
    assert globex.search_answers("refund", 3) == []
    with pytest.raises(ConfigurationError, match="tenant"):
        KnowledgeStore(tmp_path, tenant="Bad Tenant!")


def test_policy_search_filters_by_topic(starter: KnowledgeStore) -> None:
    hits = starter.search_policies("my password reset goes to an old email", 2)
    assert hits[0].record.id == "pol-account-email"
    assert isinstance(hits[0].record, Policy) and hits[0].record.reason
    only = starter.search_policies("my password reset goes to an old email", 3, topic="gift_cards")
    assert [h.record.id for h in only] == ["pol-gift-cards"]


def test_starter_library_is_large_enough_and_valid() -> None:
    policies, bad_policies = read_records(DATA / "policies.yaml", "policies")
    answers, bad_answers = read_records(DATA / "model_answers.yaml", "model_answers")
    assert len(policies) >= 15 and len(answers) >= 40 and not bad_policies and not bad_answers
    assert all(p.reason for p in policies)
    topics = {p.topic for p in policies}
    assert {a.policy_topic for a in answers if a.policy_topic} <= topics
    inquiry_types = {a.inquiry_type for a in answers}
    assert inquiry_types == set(default_rubric().scenarios.inquiry_types)


def _hit_rate(store: KnowledgeStore, kind: str) -> tuple[float, int]:
    queries = [
        json.loads(line) for line in (DATA / "retrieval_queries.jsonl").read_text().splitlines()
    ]
    hits = total = 0
    for q in queries:
        relevant = set(q[f"relevant_{kind}"])
        if not relevant:
            continue
        turns = [Turn(role=Role.CUSTOMER, text=q["customer"])]
        vector = store.embed([retrieval_query(q["draft"], turns)])[0]
        found = (
            store.search_answers(vector, 3)
            if kind == "answers"
            else store.search_policies(vector, 3)
        )
        hits += bool(relevant & {h.record.id for h in found})
        total += 1
    return hits / total, total


def test_retrieval_top3_hit_rate_on_the_labelled_queries(starter: KnowledgeStore) -> None:
    answers, n_answers = _hit_rate(starter, "answers")
    policies, n_policies = _hit_rate(starter, "policies")
    print(
        f"top-3 hit rate: model answers {answers:.3f} (n={n_answers}), policies {policies:.3f} (n={n_policies})"
    )
    assert n_answers >= 40
    assert answers >= 0.9
    assert policies >= 0.85
