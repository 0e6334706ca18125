"""A 1,000-transcript bulk job through the service's durable jobs against a faulty provider.

The fake OpenAI-compatible server answers 20 % of requests with 429 (Retry-After), 5 % with
500, lets 5 % hang past the client's timeout and cuts 5 % of answers mid-JSON. The job must
end with every item graded or failed with a stated reason, nothing lost or written twice,
the requests bounded by the retry and re-ask limits, and the token budget respected.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

from jobs_support import migrated, write_jsonl
from sqlalchemy import select

import app.jobs as jobs
from app.jobs import JobResult, start_jobs, stop_jobs
from grader._settings import Settings
from grader.model import FakeOpenAIServer, Faults

ITEMS = 1000
TOKENS_PER_ANSWER = 120  # the fake's usage: 100 prompt + 20 completion
RETRIES, REASKS, CONCURRENCY = 4, 1, 32
BUDGET = 100_000  # ~830 answers: the last items must stop at the budget


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while block := file.read(65536):
            yield block


async def test_a_thousand_items_against_a_faulty_provider(tmp_path: Path) -> None:
    faults = Faults(
        rate_limit=0.20,
        server_error=0.05,
        timeout=0.05,
        invalid_json=0.05,
        retry_after=0.05,
        hang_seconds=2.0,
        seed=2026,
    )
    with FakeOpenAIServer(faults=faults) as fake:
        settings = Settings.model_validate(
            {
                "model": "openai/fake-grader",
                "api_base": fake.base_url,
                "api_key": "sk-fake",
                "use_cache": False,
                "request_timeout": 1.0,
                "max_transient_retries": RETRIES,
                "max_retry_wait": 0.1,
                "max_reasks": REASKS,
                "token_budget": BUDGET,
                "data_dir": str(tmp_path / "data"),
                "database_url": f"sqlite:///{tmp_path / 'jobs.sqlite3'}",
                "job_concurrency": CONCURRENCY,
                "job_chunk_size": 50,
            }
        )
        db = migrated(settings.database)
        await asyncio.to_thread(start_jobs, settings, db)
        try:
            upload = write_jsonl(tmp_path / "in.jsonl", ITEMS)
            job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
            deadline = time.monotonic() + 600
            while (done := jobs.get_job(db, "acme", job.id)).status not in (
                "completed",
                "failed",
                "cancelled",
            ):
                assert time.monotonic() < deadline, f"job not done: {done}"
                await asyncio.sleep(0.5)
            page = jobs.list_items(db, "acme", job.id, limit=500)
            items = list(page.items)
            while page.next_after is not None:
                page = jobs.list_items(db, "acme", job.id, limit=500, after=page.next_after)
                items += page.items
            with db.session() as session:
                writes = session.execute(select(JobResult.item_index, JobResult.writes)).all()
        finally:
            stop_jobs()
            db.close()
    status = Counter(i.status for i in items)
    reasons = Counter((i.reason or "")[:50] for i in items if i.status == "failed")
    answered = faults.served["none"] + faults.served["invalid_json"]
    requests = sum(faults.served.values())
    budget_failures = sum("budget" in (i.reason or "") for i in items if i.status == "failed")
    print(
        f"\n{ITEMS} items: {dict(status)}; requests {requests} {dict(faults.served)}; "
        f"{answered * TOKENS_PER_ANSWER} tokens of a {BUDGET} budget; "
        f"{budget_failures} stopped by the budget; failures: {dict(reasons.most_common(6))}"
    )
    assert done.status == "completed"
    assert done.progress.total == ITEMS
    assert sorted(i.index for i in items) == list(range(ITEMS)), "nothing lost"
    assert status["graded"] + status["failed"] == ITEMS, status
    assert all(i.reason for i in items if i.status == "failed"), "each failure says why"
    assert not [r for r in reasons if r.startswith("internal error")], reasons
    assert status["graded"] >= 0.6 * ITEMS, "the faults cost retries, not most items"
    assert all(w == 1 for _, w in writes), "each result written once"
    assert requests <= ITEMS * RETRIES * (REASKS + 1), "retries and re-asks are bounded"
    assert answered * TOKENS_PER_ANSWER <= BUDGET + CONCURRENCY * TOKENS_PER_ANSWER
    assert budget_failures > 0, "the budget stopped the run before every item was asked"
