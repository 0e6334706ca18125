"""Seconds per transcript on the embedded default (code judges, no model call).

    .venv/bin/python bench/bench_judges.py [--warm-runs 5] [--out bench/results/judges.json]

For 4-, 10- and 30-turn transcripts (built from the bundled examples' turns, customer and
agent alternating): `cold` is the first grade in a fresh process (it loads MiniLM, VADER and
embeds the rubric's exemplars), measured in a subprocess per size; `warm` is the median of
`--warm-runs` further grades in one process. Wall-clock on a shared machine: compare sizes
within one run rather than across machines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from grader import Role, Transcript, Turn, default_rubric, rubric_grader
from grader.importers import read_transcripts
from grader.model import LLM

ROOT = Path(__file__).resolve().parent.parent
SIZES = (4, 10, 30)


def make_transcript(turns: int) -> Transcript:
    """A `turns`-long chat alternating customer and agent turns taken from the examples."""
    examples = read_transcripts(ROOT / "examples").transcripts
    customer = [t.text for e in examples for t in e.turns if t.role is Role.CUSTOMER]
    agent = [t.text for e in examples for t in e.turns if t.role is Role.AGENT]
    start = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    out = []
    for i in range(turns):
        role, pool = (Role.CUSTOMER, customer) if i % 2 == 0 else (Role.AGENT, agent)
        out.append(
            Turn(role=role, text=pool[(i // 2) % len(pool)], timestamp=start + timedelta(minutes=i))
        )
    return Transcript(id=f"bench-{turns}", turns=out)


async def _time(turns: int, runs: int) -> list[float]:
    grade = rubric_grader(default_rubric(), LLM("local"), use_cache=False)
    transcript = make_transcript(turns)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await grade(transcript)
        seconds.append(time.perf_counter() - started)
        assert result.status == "graded" and result.usage.calls == 0
    return seconds


def _cold(turns: int) -> float:
    """First grade in a fresh interpreter (imports excluded, model loads included)."""
    code = (
        "import asyncio, sys; sys.path.insert(0, 'bench'); import bench_judges as b; "
        f"print(asyncio.run(b._time({turns}, 1))[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/judges.json")
    args = parser.parse_args()
    rows = []
    for turns in SIZES:
        cold = _cold(turns)
        warm = asyncio.run(_time(turns, args.warm_runs + 1))[1:]  # drop this process's first
        rows.append(
            {
                "turns": turns,
                "cold_seconds": round(cold, 3),
                "warm_median_seconds": round(statistics.median(warm), 3),
                "warm_max_seconds": round(max(warm), 3),
            }
        )
    print(f"{'turns':>5}  {'cold s':>8}  {'warm s (median)':>16}  {'warm s (max)':>12}")
    for r in rows:
        print(
            f"{r['turns']:>5}  {r['cold_seconds']:>8.3f}  {r['warm_median_seconds']:>16.3f}  "
            f"{r['warm_max_seconds']:>12.3f}"
        )
    summary = {
        "bench": "judges",
        "model": "local (code judges only; no model call)",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "warm_runs": args.warm_runs,
        "rows": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
