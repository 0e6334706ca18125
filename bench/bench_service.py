"""Bulk-job service benchmark: upload rate, throughput vs the concurrency ceiling, own CPU, RSS.

    .venv/bin/python bench/bench_service.py            # all four, table + bench/results/service.json
    .venv/bin/python bench/bench_service.py --quick    # smaller sizes (smoke run)

Each measurement runs in a fresh process (DBOS is one per process; RSS must be its own):
- upload: transcripts/s accepted = spooled, parsed and stored as items (no grading running);
- throughput: a job against the fake OpenAI-compatible server (its own process) answering
  after a fixed latency; rate over the grading span / ceiling (concurrency ÷ latency);
- own CPU: the same job path with the model call replaced by a stub returning a realistic
  grade instantly, so the process CPU per transcript is the service's alone (ingest, DBOS,
  claims, result upserts), without model or embedding time;
- RSS: peak resident memory of that process for a 100,000-transcript job, export included.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

RESULTS = ROOT / "bench" / "results"


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while block := file.read(1 << 16):
            yield block


def _settings(tmp: Path, **extra: Any) -> Any:
    from grader._settings import Settings

    return Settings.model_validate(
        {
            "model": "openai/fake-grader",
            "api_key": "sk-fake",
            "use_cache": False,
            "data_dir": str(tmp / "data"),
            "database_url": f"sqlite:///{tmp / 'bench.db'}",
            **extra,
        }
    )


def _wait(db: Any, job_id: str, done: Any, limit: float = 3600) -> Any:
    from app.jobs import get_job

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job = get_job(db, "bench", job_id)
        if done(job):
            return job
        time.sleep(0.05)
    raise RuntimeError(f"job {job_id} not done in {limit}s")


def _stub_grader() -> None:
    """Replace the model call by a realistic grade returned at once (own-CPU measurements)."""
    from jobs_support import write_jsonl

    from app.jobs._grader import ItemGrader
    from grader import default_rubric, rubric_grader
    from grader._transcript import Transcript
    from grader.model import LLM

    sample = Path(tempfile.mkdtemp()) / "one.jsonl"
    write_jsonl(sample, 1)
    transcript = Transcript.model_validate_json(sample.read_text())
    template = asyncio.run(rubric_grader(default_rubric(), LLM("mockllm/bench"))(transcript))

    async def stub(t: Any) -> Any:
        return template.model_copy(update={"transcript_id": t.id})

    ItemGrader.grader = lambda self, model: stub  # type: ignore[method-assign,assignment,return-value]


def phase(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """One measurement, in this (fresh) process."""
    from dbos import DBOS
    from jobs_support import migrated, write_jsonl

    from app.jobs import export_results, start_jobs, stop_jobs, submit_job

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # after imports
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    upload = write_jsonl(tmp / "in.jsonl", args.n)
    extra: dict[str, Any] = {"job_concurrency": args.concurrency, "api_base": args.api_base}
    settings = _settings(tmp, **{k: v for k, v in extra.items() if v is not None})
    db = migrated(settings.database, tenants=("bench",))
    if name in ("cpu", "rss"):
        _stub_grader()
    before_job = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # judges' models loaded
    start_jobs(settings, db, grading=name != "upload")
    cpu0, wall0 = time.process_time(), time.perf_counter()
    job, _ = asyncio.run(submit_job(db, settings, "bench", _chunks(upload), format="jsonl"))
    out: dict[str, Any] = {
        "n": args.n,
        "concurrency": settings.job_concurrency,
        "upload_bytes": upload.stat().st_size,
    }
    ingested = _wait(db, job.id, lambda j: j.ingested_at is not None)
    out["ingest_seconds"] = round(time.perf_counter() - wall0, 2)
    out["upload_rate"] = round(args.n / out["ingest_seconds"], 1)
    if name == "upload":  # let the round finish queueing before DBOS stops
        DBOS.retrieve_workflow(f"{job.id}:r0").get_result()
    if name != "upload":
        done = _wait(db, job.id, lambda j: j.status in ("completed", "failed", "cancelled"))
        assert done.progress.graded == args.n, done.progress
        span = (done.finished_at - ingested.ingested_at).total_seconds()
        out["grading_seconds"] = round(span, 2)
        out["rate"] = round(args.n / span, 1)
        if name == "throughput":
            out["ceiling"] = round(args.concurrency / args.latency, 1)
            out["fraction_of_ceiling"] = round(out["rate"] / out["ceiling"], 3)
        if name == "rss":
            for _ in export_results(db, "bench", job.id, "csv", dimensions=[]):
                pass
    out["cpu_ms_per_transcript"] = round((time.process_time() - cpu0) / args.n * 1000, 2)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out["rss_after_imports_mb"] = round(baseline, 1)
    out["rss_before_job_mb"] = round(before_job, 1)
    stop_jobs()
    return out


def _run_phase(name: str, **options: Any) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", name]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"phase {name} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _serve_fake(latency: float) -> None:
    from jobs_support import SlowFakeServer

    with SlowFakeServer(latency=latency) as server:
        print(server.base_url, flush=True)
        while True:
            time.sleep(3600)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--phase")
    parser.add_argument("--n", type=int, default=0)
    parser.add_argument("--concurrency", type=int)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--api-base")
    parser.add_argument("--serve-fake", type=float)
    args = parser.parse_args()
    if args.serve_fake is not None:
        _serve_fake(args.serve_fake)
        return
    if args.phase:
        print(json.dumps(phase(args.phase, args)))
        return
    quick = args.quick
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    fake = subprocess.Popen(
        [sys.executable, __file__, "--serve-fake", str(args.latency)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert fake.stdout is not None
        base = fake.stdout.readline().strip()
        summary: dict[str, Any] = {"commit": commit, "cpu_count": os.cpu_count()}
        RESULTS.mkdir(parents=True, exist_ok=True)
        target = RESULTS / ("service-quick.json" if quick else "service.json")

        def save() -> None:  # after each phase: a long run keeps what it measured
            target.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")

        summary["upload"] = _run_phase("upload", n=2000 if quick else 20000)
        save()
        summary["throughput"] = [
            _run_phase(
                "throughput",
                n=c * (10 if quick else 20),
                concurrency=c,
                latency=args.latency,
                api_base=base,
            )
            for c in ((8,) if quick else (8, 32))
        ]
        save()
        summary["own_cpu"] = _run_phase("cpu", n=1000 if quick else 5000, concurrency=64)
        save()
        summary["rss"] = _run_phase("rss", n=5000 if quick else 100_000, concurrency=64)
        save()
    finally:
        fake.terminate()
    rows = [
        ("upload rate (transcripts/s accepted)", summary["upload"]["upload_rate"], ">= 1000"),
        *(
            (
                f"throughput c={t['concurrency']} latency={args.latency}s "
                f"({t['rate']}/s of {t['ceiling']}/s)",
                t["fraction_of_ceiling"],
                ">= 0.95",
            )
            for t in summary["throughput"]
        ),
        ("own CPU per transcript, ms (no model)", summary["own_cpu"]["cpu_ms_per_transcript"], "<= 5"),
        (f"peak RSS, MB ({summary['rss']['n']} transcripts)", summary["rss"]["peak_rss_mb"], "< 500"),
        ("  after imports, MB", summary["rss"]["rss_after_imports_mb"], ""),
        ("  before the job (judges' models loaded), MB", summary["rss"]["rss_before_job_mb"], ""),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  value      aim   (commit {commit})")
    for label, value, aim in rows:
        print(f"{label.ljust(width)}  {value!s:<9}  {aim}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
