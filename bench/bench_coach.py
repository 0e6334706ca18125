"""Benchmark the coach's local path with a large store: ingest rate, size on disk, latency.

    .venv/bin/python bench/bench_coach.py [--n 100000] [--workers 2] [--store DIR] [--queries 300]

1. Builds N synthetic model answers (variants of the starter library: other names, openers,
   closers, products) and ingests them: embeddings in `--workers` processes (one ONNX thread
   each), bulk upserts into chroma in the main process. Reports records/s and the split.
2. Reports the store's size on disk.
3. Times `prepare_request` (detect + embed + retrieve answers and policies + ground + build the
   prompt) on real drafts and customer messages: p50/p95/max, and each step's share.
4. Checks retrieval still finds the right answer among 100k near-paraphrases (top-3, counting
   a variant as its source answer).

Absolute times depend on the machine and on what else runs on it; the run records the load.
`--reuse` skips ingest when the store already holds N answers (to re-measure latency).
"""

from __future__ import annotations

import argparse
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
    default_detector,
    ingest_file,
    load_labelled_drafts,
    prepare_request,
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


def latency(store: KnowledgeStore, queries: int) -> dict[str, Any]:
    detector = default_detector()
    cases = workload(queries + 10)
    for draft, turns in cases[:10]:  # warm-up: model load, chroma index load, caches
        prepare_request(draft, turns, store, detector)
    totals: list[float] = []
    steps: dict[str, list[float]] = {"embed": [], "detect": [], "search": []}
    for draft, turns in cases[10:]:
        t0 = time.perf_counter()
        prepare_request(draft, turns, store, detector)
        totals.append((time.perf_counter() - t0) * 1000)
        # the same steps once more, separately, for the breakdown
        t1 = time.perf_counter()
        vec = store.embed([retrieval_query(draft, turns)])
        t2 = time.perf_counter()
        detector(draft)
        t3 = time.perf_counter()
        store.search_answers(vec[0], 3)
        store.search_policies(vec[0], 2)
        t4 = time.perf_counter()
        steps["embed"].append((t2 - t1) * 1000)
        steps["detect"].append((t3 - t2) * 1000)
        steps["search"].append((t4 - t3) * 1000)
    return {
        "queries": len(totals),
        "p50_ms": round(percentile(totals, 50), 1),
        "p95_ms": round(percentile(totals, 95), 1),
        "max_ms": round(max(totals), 1),
        "mean_ms": round(statistics.mean(totals), 1),
        "step_p50_ms": {k: round(percentile(v, 50), 1) for k, v in steps.items()},
        "step_p95_ms": {k: round(percentile(v, 95), 1) for k, v in steps.items()},
    }


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
        print(f"ingesting {args.n} synthetic answers with {args.workers} worker(s) into {path}")
        result["ingest"] = ingest(store, records, args.workers)
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
