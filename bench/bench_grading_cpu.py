"""CPU per transcript of the grading path against the fake OpenAI-compatible server.

    .venv/bin/python bench/bench_grading_cpu.py [--transcripts 200] [--concurrency 16]

The fake answers instantly from the request's schema, so what is measured is the grader's
own work per transcript (segmenting, prompt, response model and schema, litellm, instructor,
validation, scoring) plus the in-process fake server. Process CPU (all threads) is divided
by the number of transcripts; `answer_model_ms` times building the response model and its
JSON schema alone, the part issue 10 found dominant.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from grader import default_rubric, rubric_grader
from grader._answer import answer_model
from grader._segments import segment_transcript
from grader.importers import read_transcripts
from grader.model import LLM, FakeOpenAIServer

ROOT = Path(__file__).resolve().parent.parent


async def _run(count: int, concurrency: int, redact: bool) -> dict[str, float]:
    rubric = default_rubric()
    examples = read_transcripts(ROOT / "examples").transcripts
    transcripts = [
        examples[i % len(examples)].model_copy(update={"id": f"t{i}"}) for i in range(count)
    ]
    segments = [segment_transcript(t) for t in examples]
    started = time.process_time()
    for _ in range(5):
        for seg in segments:
            answer_model(rubric, seg).model_json_schema()
    answer_ms = (time.process_time() - started) / (5 * len(segments)) * 1000
    with FakeOpenAIServer() as server:
        llm = LLM("openai/fake", api_base=server.base_url, api_key="sk-fake", redact_pii=redact)
        grade = rubric_grader(rubric, llm, use_cache=False)
        await grade(transcripts[0])  # warm-up: imports, litellm setup
        semaphore = asyncio.Semaphore(concurrency)

        async def one(index: int) -> str:
            async with semaphore:
                return (await grade(transcripts[index])).status

        cpu0, wall0 = time.process_time(), time.perf_counter()
        statuses = await asyncio.gather(*(one(i) for i in range(count)))
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "transcripts": count,
        "graded": sum(s == "graded" for s in statuses),
        "cpu_ms_per_transcript": round(cpu / count * 1000, 2),
        "wall_s": round(wall, 2),
        "answer_model_ms": round(answer_ms, 2),
        "redact_pii": redact,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transcripts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-redact", action="store_true", help="PII masking off")
    args = parser.parse_args()
    summary = asyncio.run(_run(args.transcripts, args.concurrency, not args.no_redact))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
