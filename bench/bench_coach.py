"""Benchmark the coach on the embedded default with a large store: end-to-end suggest latency.

    .venv/bin/python bench/bench_coach.py [--n 100000] [--workers 2] [--store DIR] [--queries 300]
    .venv/bin/python bench/bench_coach.py --n 100000 --store DIR --embed 10000   # contended CPU

1. Builds N synthetic model answers (variants of the starter library: other names, openers,
   closers, products) and ingests them: embeddings in `--workers` processes (one ONNX thread
   each), bulk upserts into chroma in the main process. Reports records/s and the split.
   With `--embed K` only the first K are embedded; each later variant is stored with the
   vector of an embedded variant of the same starter answer, slightly perturbed and
   re-normalised (MiniLM on 100k texts takes ~20 min on an idle 2-core machine, hours on a
   contended one). Search cost depends on the index size and dimension, not on the texts;
   the hit-rate check is then reported as such. The result says which was done.
2. Reports the store's size on disk.
3. Times `suggest` end to end on the embedded default, no model call: detect, embed, retrieve,
   compose, check (grounding, repeats, commitments, the grader's framing/courtesy judges).
   p50/p95/max, each step's p50/p95, and how many suggestions were offered.
4. Checks retrieval still finds the right answer among the variants (top-3, counting a
   variant as its source answer).

Absolute times depend on the machine and on what else runs on it; the run records the load.
`--reuse` skips ingest when the store already holds N answers (to re-measure latency).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from importlib import resources
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from grader import Role, Turn
from retrieval import (
    KnowledgeStore,
    MiniLMEmbedding,
    ModelAnswer,
    checked_grounded,
    grounded_suggestion,
    ingest_file,
    load_labelled_drafts,
    offer,
    read_records,
    retrieval_query,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(str(resources.files("retrieval").joinpath("data")))
NAMES = [
    "Maria",
    "Tom",
    "Jane",
    "Liam",
    "Priya",
    "Dan",
    "Aisha",
    "Marcus",
    "Grace",
    "Nadia",
    "Renee",
    "Kevin",
    "Alyssa",
    "Hannah",
    "Omar",
    "Sofia",
    "Lucas",
    "Mei",
    "Ivan",
    "Zoe",
    "Ben",
    "Chloe",
    "Ravi",
    "Elena",
    "Sam",
    "Noor",
    "Jonas",
    "Ada",
    "Leo",
    "Maya",
]
OPENERS = [
    "",
    "Thanks for reaching out. ",
    "Thank you for your patience. ",
    "Good morning! ",
    "Hello again. ",
    "Thanks for the details. ",
    "I appreciate you writing in. ",
    "Thanks for getting back to me. ",
    "Hi there. ",
    "Thanks for your message. ",
]
CLOSERS = [
    "",
    " Anything else I can help with?",
    " Have a great day!",
    " Happy trails!",
    " Let me know if you have questions.",
    " Talk soon.",
    " Enjoy your trip!",
    " I'm here if you need anything else.",
    " Thanks again for your patience.",
]
PRODUCTS = [
    "jacket",
    "tent",
    "pack",
    "boots",
    "stove",
    "lantern",
    "fleece",
    "kayak",
    "headlamp",
    "sleeping",
    "bag",
    "poles",
    "rain",
    "shell",
    "hammock",
    "water",
    "filter",
]

_worker_embedding: MiniLMEmbedding | None = None


def _embed_chunk(texts: list[str]) -> np.ndarray:
    global _worker_embedding
    if _worker_embedding is None:
        _worker_embedding = MiniLMEmbedding(threads=1)
    return _worker_embedding.embed(texts)


def synthetic_answers(n: int, seed: int = 7) -> tuple[list[ModelAnswer], dict[str, str]]:
    """N variants of the starter answers, and variant id -> source id."""
    base, _ = read_records(DATA / "model_answers.yaml", "model_answers")
    rng = random.Random(seed)
    out, source = [], {}
    for i in range(n):
        a = base[i % len(base)]
        text = a.text.replace("[name]", rng.choice(NAMES))
        for word in ("jacket", "tent", "pack", "boots", "stove", "lantern", "fleece"):
            if word in text and rng.random() < 0.5:
                text = text.replace(word, rng.choice(PRODUCTS), 1)
        text = f"{rng.choice(OPENERS)}{text}{rng.choice(CLOSERS)}"
        record = a.model_copy(
            update={"id": f"syn-{i:06d}", "text": text, "tags": ["synthetic"], "source": "bench"}
        )
        out.append(record)
        source[record.id] = a.id
    return out, source


def ingest(
    store: KnowledgeStore, records: list[ModelAnswer], workers: int, chunk: int = 500
) -> dict[str, float]:
    docs = [r.document() for r in records]
    chunks = [docs[i : i + chunk] for i in range(0, len(docs), chunk)]
    started = time.perf_counter()
    upsert_seconds = 0.0
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        for i, vectors in enumerate(pool.map(_embed_chunk, chunks)):
            t = time.perf_counter()
            store.upsert("model_answers", records[i * chunk : (i + 1) * chunk], vectors)
            upsert_seconds += time.perf_counter() - t
            done = min((i + 1) * chunk, len(records))
            if (i + 1) % 20 == 0 or done == len(records):
                rate = done / (time.perf_counter() - started)
                print(f"  ingested {done:>7} ({rate:.0f}/s)", flush=True)
    total = time.perf_counter() - started
    return {
        "records": len(records),
        "seconds": round(total, 1),
        "records_per_second": round(len(records) / total, 1),
        "upsert_seconds": round(upsert_seconds, 1),
    }


def size_on_disk(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def workload(limit: int) -> list[tuple[str, list[Turn]]]:
    """Drafts with a customer turn: the labelled queries, then held-out detector drafts."""
    queries = [
        json.loads(line) for line in (DATA / "retrieval_queries.jsonl").read_text().splitlines()
    ]
    cases = [(q["draft"], [Turn(role=Role.CUSTOMER, text=q["customer"])]) for q in queries]
    customers = [q["customer"] for q in queries]
    for i, draft in enumerate(load_labelled_drafts("detector_eval.jsonl")):
        cases.append((draft.text, [Turn(role=Role.CUSTOMER, text=customers[i % len(customers)])]))
    return (cases * (limit // len(cases) + 1))[:limit]


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def reuse_vectors(
    store: KnowledgeStore, records: list[ModelAnswer], embedded: int, seed: int = 11
) -> dict[str, float]:
    """Store records[embedded:] with perturbed vectors of embedded variants of the same source."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    have: dict[str, np.ndarray] = {}
    for start in range(0, embedded, 2000):
        ids = [r.id for r in records[start : min(start + 2000, embedded)]]
        have.update(store.vectors("model_answers", ids))
    base_count = len(read_records(DATA / "model_answers.yaml", "model_answers")[0])
    todo = records[embedded:]  # upsert skips records already stored as they are
    for start in range(0, len(todo), 2000):
        batch = todo[start : start + 2000]
        vecs = []
        for r in batch:
            i = int(r.id.split("-")[1])
            donor = records[(i % base_count) + base_count * rng.integers(0, embedded // base_count)]
            v = have[donor.id] + rng.normal(0, 0.01, size=have[donor.id].shape).astype(np.float32)
            vecs.append(v / np.linalg.norm(v))
        store.upsert("model_answers", batch, np.stack(vecs))
        print(f"  stored {embedded + start + len(batch):>7} (reused vectors)", flush=True)
    return {
        "embedded": embedded,
        "reused_vectors": len(records) - embedded,
        "seconds": round(time.perf_counter() - started, 1),
    }


def latency(store: KnowledgeStore, queries: int) -> dict[str, Any]:
    """End-to-end suggest on the embedded default: detect, retrieve, compose, check."""
    cases = workload(queries + 10)
    for draft, turns in cases[:10]:  # warm-up: model load, chroma index load, caches
        asyncio.run(_suggest_once(store, draft, turns))
    totals: list[float] = []
    steps: dict[str, list[float]] = {"detect_retrieve_compose": [], "check": []}
    offered = 0
    for draft, turns in cases[10:]:
        t0 = time.perf_counter()
        grounded = grounded_suggestion(draft, turns, store)
        t1 = time.perf_counter()
        chosen, checks = asyncio.run(checked_grounded(grounded))
        suggestion = offer(chosen, checks)
        t2 = time.perf_counter()
        offered += suggestion.status == "ok"
        totals.append((t2 - t0) * 1000)
        steps["detect_retrieve_compose"].append((t1 - t0) * 1000)
        steps["check"].append((t2 - t1) * 1000)
    return {
        "queries": len(totals),
        "offered": offered,
        "p50_ms": round(percentile(totals, 50), 1),
        "p95_ms": round(percentile(totals, 95), 1),
        "max_ms": round(max(totals), 1),
        "mean_ms": round(statistics.mean(totals), 1),
        "step_p50_ms": {k: round(percentile(v, 50), 1) for k, v in steps.items()},
        "step_p95_ms": {k: round(percentile(v, 95), 1) for k, v in steps.items()},
    }


async def _suggest_once(store: KnowledgeStore, draft: str, turns: list[Turn]) -> None:
    grounded = grounded_suggestion(draft, turns, store)
    await checked_grounded(grounded)


def hit_rate(store: KnowledgeStore, source: dict[str, str]) -> float:
    queries = [
        json.loads(line) for line in (DATA / "retrieval_queries.jsonl").read_text().splitlines()
    ]
    hits = 0
    for q in queries:
        turns = [Turn(role=Role.CUSTOMER, text=q["customer"])]
        found = store.search_answers(retrieval_query(q["draft"], turns), 3)
        hits += bool(
            {source.get(h.record.id, h.record.id) for h in found} & set(q["relevant_answers"])
        )
    return round(hits / len(queries), 3)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--embed", type=int, default=None, help="embed only the first K variants")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "coach_bench.json")
    args = parser.parse_args()
    path = args.store or Path(tempfile.mkdtemp(prefix="coach-bench-"))
    store = KnowledgeStore(path, tenant="bench")
    result: dict[str, Any] = {
        "n": args.n,
        "store": str(path),
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg(),
    }
    t = time.perf_counter()
    starter = [
        ingest_file(store, kind, DATA / f"{kind}.yaml")  # type: ignore[arg-type]
        for kind in ("policies", "model_answers")
    ]
    result["starter_ingest"] = {
        "records": sum(r.counts.added + r.counts.unchanged for r in starter),
        "seconds_with_duplicate_check": round(time.perf_counter() - t, 2),
    }
    records, source = synthetic_answers(args.n)
    if not (args.reuse and store.count("model_answers") >= args.n):
        embed = min(args.embed or args.n, args.n)
        print(f"ingesting {embed} synthetic answers with {args.workers} worker(s) into {path}")
        stored = store.stored_json("model_answers", [r.id for r in records[:embed]])
        missing = [r for r in records[:embed] if r.id not in stored]
        result["ingest"] = ingest(store, missing, args.workers) if missing else {"records": 0}
        if embed < args.n:
            result["ingest_reused_vectors"] = reuse_vectors(store, records, embed)
    result["answers_in_store"] = store.count("model_answers")
    result["store_bytes"] = size_on_disk(path)
    result["store_mb"] = round(result["store_bytes"] / 1e6, 1)
    print(f"timing {args.queries} requests")
    result["latency"] = latency(store, args.queries)
    result["top3_hit_rate_by_source"] = hit_rate(store, source)
    result["load_after"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
