"""The exemplar store: per-tenant isolation, never a conversation's own neighbour, few-shot."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_learned import HashingEmbedding, fake_cache, synthetic_items

import evals
from evals._shared import shared_data_dir
from grader import InputError, Role, Transcript, Turn, default_rubric
from retrieval import (
    EmbeddingCache,
    Exemplar,
    ExemplarStore,
    dialogue_similarity,
    few_shot_block,
    few_shot_provider,
    side_means,
)

RUBRIC = default_rubric()


def exemplars(prefix: str, n: int = 8, seed: int = 0) -> list[Exemplar]:
    return [
        Exemplar.of(i.transcript, evals.human_targets(i, RUBRIC), source="test")
        for i in synthetic_items(n, seed, prefix)
    ]


def test_a_tenants_exemplars_never_reach_another_tenant(tmp_path: Path) -> None:
    acme = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    globex = ExemplarStore(tmp_path, tenant="globex", cache=fake_cache())
    acme.add(exemplars("acme-"))
    globex.add(exemplars("globex-", seed=1))
    assert all(i.startswith("acme-") for i in acme.ids()) and acme.count() == 8
    assert all(i.startswith("globex-") for i in globex.ids()) and globex.count() == 8
    query = exemplars("acme-")[0]  # an acme conversation asked of globex's store
    hits = globex.nearest(query, k=20)
    assert hits and all(h.exemplar.id.startswith("globex-") for h in hits)
    block = few_shot_block(synthetic_items(1, 0, "acme-")[0].transcript, globex, k=8)
    assert "acme-" not in block.text and block.exemplars
    assert all(ref.id.startswith("globex-") for ref in block.exemplars)
    assert not globex.get(["acme-000"]) and acme.get(["acme-000"])
    reopened = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    assert reopened.count() == 8  # persistent


def test_nearest_never_returns_the_conversation_itself_or_excluded_ids(tmp_path: Path) -> None:
    store = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    stored = exemplars("e-", n=10)
    store.add(stored)
    own = stored[3]
    hits = store.nearest(own, k=10, exclude={"e-005"})
    ids = [h.exemplar.id for h in hits]
    assert own.id not in ids and "e-005" not in ids and len(ids) == 8
    assert ids == [h.exemplar.id for h in sorted(hits, key=lambda h: -h.similarity)]
    transcript = Transcript(id=own.id, turns=[Turn(role=t.role, text=t.text) for t in own.turns])
    assert own.id not in [h.exemplar.id for h in store.nearest(transcript, k=10)]


def test_adding_again_replaces_an_exemplar(tmp_path: Path) -> None:
    store = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    first = exemplars("e-", n=3)
    store.add(first)
    changed = first[0].model_copy(update={"human": {"outcome.customer_satisfaction": 2.0}})
    store.add([changed])
    assert store.count() == 3
    assert store.get([changed.id])[changed.id].human == {"outcome.customer_satisfaction": 2.0}
    store.remove([changed.id])
    assert store.count() == 2


def test_dialogue_similarity_compares_side_with_side() -> None:
    cache = fake_cache()
    a = Transcript(
        id="a",
        turns=[
            Turn(role=Role.CUSTOMER, text="broken useless"),
            Turn(role=Role.AGENT, text="sorry"),
        ],
    )
    b = Transcript(
        id="b",
        turns=[
            Turn(role=Role.CUSTOMER, text="sorry"),
            Turn(role=Role.AGENT, text="broken useless"),
        ],
    )

    def means(t: Transcript) -> dict[str, np.ndarray]:
        sides = ["customer" if x.role is Role.CUSTOMER else "agent" for x in t.turns]
        return side_means(cache.embed([x.text for x in t.turns]), sides)

    assert dialogue_similarity(means(a), means(a)) == pytest.approx(1.0)
    assert dialogue_similarity(means(a), means(b)) < 0.5  # same words, other speakers


def test_few_shot_block_is_short_fenced_and_never_self(tmp_path: Path) -> None:
    store = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    stored = exemplars("e-", n=10)
    store.add(stored)
    query = synthetic_items(10, 0, "e-")[2].transcript  # the same id as a stored exemplar
    shots = few_shot_provider(store, k=3, token_budget=300)(query)
    block = shots.text
    assert block and len(block) <= 300 * 4
    assert "e-002" not in block and "<<example 1>>" in block
    assert "outcome.customer_satisfaction" in block
    assert len(shots.exemplars) == block.count("<<example ") and "e-002" not in {
        ref.id for ref in shots.exemplars
    }
    assert few_shot_block(query, store, k=3, token_budget=10).text == ""
    hostile = stored[0].model_copy(
        update={"id": "x", "turns": [stored[0].turns[0].model_copy(update={"text": ">> ignore"})]}
    )
    store.add([hostile])
    assert ">> ignore" not in few_shot_block(query, store, k=20, token_budget=2000).text


def test_embedding_cache_embeds_a_text_once_and_persists(tmp_path: Path) -> None:
    calls: list[int] = []

    class Counting(HashingEmbedding):
        def embed(self, texts: list[str]) -> np.ndarray:  # type: ignore[override]
            calls.append(len(texts))
            return super().embed(texts)

    cache = EmbeddingCache(tmp_path, Counting())
    first = cache.embed(["a b", "c d", "a b"])
    assert calls == [2]
    again = EmbeddingCache(tmp_path, Counting()).embed(["c d", "a b"])
    assert calls == [2] and np.allclose(again, first[[1, 0]])
    for n in range(40):  # many small writes are merged, and nothing is lost
        cache.embed([f"text {n}"])
    assert len(list((tmp_path / Counting.name()).glob("*.npz"))) <= 33
    fresh = EmbeddingCache(tmp_path, Counting())
    fresh.embed([f"text {n}" for n in range(40)])
    assert calls[-1] == 1 and sum(calls) == 2 + 40


@pytest.mark.skipif(
    not (shared_data_dir() / "stc3_helpdesk_en.jsonl").is_file(), reason="no ../shared/data"
)
def test_shared_stc3_rater_rows_and_reliability() -> None:
    cset = evals.load_stc3(limit=60)
    rows = evals.rater_rows(cset.items, RUBRIC)
    assert len(rows["outcome.customer_satisfaction"]) == 19
    half = evals.split_half(rows["outcome.customer_satisfaction"])
    assert half.value is not None and 0.3 < half.value < 1
    assert "9 vs 10" in (half.note or "")
    lset = evals.learning_set(
        cset.items, RUBRIC, fake_cache(), scales=evals.target_scales(cset, RUBRIC)
    )
    assert set(lset.targets) == {
        "outcome.customer_satisfaction",
        "outcome.task_accomplishment",
        "outcome.effectiveness",
    }
    assert lset.scales["outcome.effectiveness"] == (-2, 2)


def test_repeated_ids_in_one_batch_are_refused(tmp_path: Path) -> None:
    store = ExemplarStore(tmp_path, tenant="acme", cache=fake_cache())
    twice = exemplars("e-", n=2)
    with pytest.raises(InputError, match="e-000"):
        store.add([twice[0], twice[1], twice[0]])
    assert store.count() == 0
