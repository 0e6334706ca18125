"""Time the embedded model grading the bundled examples (no cache): seconds, calls, tokens.

    .venv/bin/python bench/bench_grading.py [--limit N] [--model local]

Ratios inside one run (first transcript, which evaluates the rubric prefix, versus the rest,
which reuse llama.cpp's prompt cache) are what to compare; absolute seconds depend on the
machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from pathlib import Path

from grader import default_rubric, rubric_grader
from grader.importers import read_transcripts
from grader.model import LLM

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--model", default="local")
    args = parser.parse_args()
    transcripts = read_transcripts(ROOT / "examples").transcripts
    transcripts = transcripts[: args.limit] if args.limit else transcripts
    grade = rubric_grader(default_rubric(), LLM(args.model), use_cache=False)
    rows = []
    for t in transcripts:
        started = time.perf_counter()
        g = await grade(t)
        rows.append(
            {
                "id": t.id,
                "status": g.status,
                "seconds": time.perf_counter() - started,
                "calls": g.usage.calls,
                "prompt_tokens": g.usage.prompt_tokens,
                "completion_tokens": g.usage.completion_tokens,
                "overall": g.overall,
            }
        )
        print(json.dumps(rows[-1]), flush=True)
    rest = rows[1:] or rows
    summary = {
        "model": args.model,
        "transcripts": len(rows),
        "graded": sum(r["status"] == "graded" for r in rows),
        "first_seconds": rows[0]["seconds"],
        "median_seconds_rest": statistics.median(r["seconds"] for r in rest),
        "mean_calls": statistics.mean(r["calls"] for r in rows),
        "mean_prompt_tokens": statistics.mean(r["prompt_tokens"] for r in rows),
        "mean_completion_tokens": statistics.mean(r["completion_tokens"] for r in rows),
    }
    print(json.dumps(summary, indent=2))
    (ROOT / "bench/results").mkdir(exist_ok=True)
    (ROOT / "bench/results/grading.json").write_text(
        json.dumps({"summary": summary, "rows": rows}, indent=2)
    )


if __name__ == "__main__":
    asyncio.run(main())
