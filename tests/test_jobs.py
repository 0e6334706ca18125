"""Bulk jobs in one process (DBOS in-process worker): SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from jobs_support import migrated, write_jsonl
from sqlalchemy import select

import app.jobs as jobs
from app._errors import ConflictError, NotFoundError
from app.jobs import JobResult, start_jobs, stop_jobs
from app.storage import Database
from grader._errors import InputError
from grader._settings import Settings
from grader.model import FakeOpenAIServer, FakeRequest, HttpError, answer_from_schema


def test_front_door_is_honest() -> None:
    for name in jobs.__all__:
        assert hasattr(jobs, name), name


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


def _settings(tmp_path: Path, url: str, fake: FakeOpenAIServer, **extra: object) -> Settings:
    return Settings.model_validate(
        {
            "model": "openai/fake-grader",
            "api_base": fake.base_url,
            "api_key": "sk-fake",
            "use_cache": False,
            "max_transient_retries": 1,
            "max_retry_wait": 0,
            "data_dir": str(tmp_path / "data"),
            "database_url": url,
            "job_concurrency": 8,
            "job_chunk_size": 5,
            **extra,
        }
    )


@pytest.fixture
def service(
    tmp_path: Path, database_url: str, fake: FakeOpenAIServer
) -> Iterator[tuple[Database, Settings]]:
    settings = _settings(tmp_path, database_url, fake)
    db = migrated(settings.database)
    start_jobs(settings, db)
    try:
        yield db, settings
    finally:
        stop_jobs()
        db.close()


async def _chunks(path: Path, size: int = 4096) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while block := file.read(size):
            yield block


async def _wait(db: Database, tenant: str, job_id: str, seconds: float = 60) -> jobs.JobPublic:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = jobs.get_job(db, tenant, job_id)
        if job.status in ("completed", "cancelled", "failed"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job not done in {seconds}s: {jobs.get_job(db, tenant, job_id)}")


async def test_jsonl_job_grades_every_item_once(
    service: tuple[Database, Settings], tmp_path: Path, fake: FakeOpenAIServer
) -> None:
    db, settings = service
    upload = write_jsonl(tmp_path / "in.jsonl", 40, bad_lines=(7,))
    job, new = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
    assert new and job.status == "ingesting"
    done = await _wait(db, "acme", job.id)
    assert done.status == "completed"
    assert done.progress.total == 40
    assert (done.progress.graded, done.progress.failed) == (39, 1)
    with db.session() as session:
        rows = session.execute(select(JobResult.item_index, JobResult.writes)).all()
    assert sorted(i for i, _ in rows) == [i for i in range(40) if i != 7]
    assert all(w == 1 for _, w in rows)
    assert len(fake.requests) == 39
    failed = jobs.list_items(db, "acme", job.id, status="failed")
    assert [(i.index, i.record) for i in failed.items] == [(7, "line 8")]
    assert "invalid JSON" in (failed.items[0].reason or "")
    # pagination in index order
    first = jobs.list_items(db, "acme", job.id, limit=15)
    second = jobs.list_items(db, "acme", job.id, limit=30, after=first.next_after or 0)
    assert [i.index for i in first.items + second.items] == list(range(40))
    assert second.next_after is None
    # exports account for every record
    lines = "".join(jobs.export_results(db, "acme", job.id, "jsonl", dimensions=[])).splitlines()
    assert [json.loads(x)["item_index"] for x in lines] == list(range(40))
    assert json.loads(lines[0])["grade"]["status"] == "graded"
    text = "".join(jobs.export_results(db, "acme", job.id, "csv", dimensions=["timing"]))
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 40 and table[7]["status"] == "failed"
    assert table[0]["model"] == "openai/fake-grader" and table[0]["dimension:timing"] != ""


async def test_idempotency_key_same_body_same_job_other_body_refused(
    service: tuple[Database, Settings], tmp_path: Path
) -> None:
    db, settings = service
    a = write_jsonl(tmp_path / "a.jsonl", 3)
    b = write_jsonl(tmp_path / "b.jsonl", 4)
    first, new = await jobs.submit_job(
        db, settings, "acme", _chunks(a), format="jsonl", idempotency_key="k1"
    )
    again, new_again = await jobs.submit_job(
        db, settings, "acme", _chunks(a, 7), format="jsonl", idempotency_key="k1"
    )
    assert new and not new_again and again.id == first.id
    with pytest.raises(jobs.IdempotencyKeyReusedError, match="another body"):
        await jobs.submit_job(
            db, settings, "acme", _chunks(b), format="jsonl", idempotency_key="k1"
        )
    other, other_new = await jobs.submit_job(
        db, settings, "globex", _chunks(a), format="jsonl", idempotency_key="k1"
    )
    assert other_new and other.id != first.id  # keys are per tenant
    with pytest.raises(NotFoundError):
        jobs.get_job(db, "globex", first.id)
    await _wait(db, "acme", first.id)
    await _wait(db, "globex", other.id)
    assert not list((settings.data_dir / "uploads").iterdir())  # spool files cleaned up


async def test_csv_upload_groups_rows_and_reports_bad_ones(
    service: tuple[Database, Settings], tmp_path: Path
) -> None:
    db, settings = service
    upload = tmp_path / "in.csv"
    upload.write_text(
        "conversation_id,role,text\n"
        "c1,customer,Where is my parcel?\n"
        "c1,agent,Let me check that for you.\n"
        "c2,customer,Hello\n"
        "c2,robot,beep\n"
        "c3,customer,Refund please\n"
        "c3,agent,Done: refunded today.\n",
        encoding="utf-8",
    )
    job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload, 16), format="csv")
    done = await _wait(db, "acme", job.id)
    items = jobs.list_items(db, "acme", job.id).items
    assert [(i.transcript_id, i.status) for i in items if i.status == "graded"] == [
        ("c1", "graded"),
        ("c3", "graded"),
    ]
    bad = [i for i in items if i.status == "failed"]
    assert len(bad) == 1 and bad[0].record == "row 5" and "role" in (bad[0].reason or "")
    assert done.progress.graded == 2


async def test_bad_csv_header_is_refused_at_once(
    service: tuple[Database, Settings], tmp_path: Path
) -> None:
    db, settings = service
    upload = tmp_path / "bad.csv"
    upload.write_text("id,who,message\n1,a,b\n", encoding="utf-8")
    with pytest.raises(InputError, match="conversation_id"):
        await jobs.submit_job(db, settings, "acme", _chunks(upload), format="csv")


async def test_cancel_then_rerun_failed(tmp_path: Path, database_url: str) -> None:
    # 1 in 3 requests is a hard error (400): those items fail with the reason.
    calls = {"n": 0, "fail": 1}

    def script(request: FakeRequest) -> object:
        calls["n"] += 1
        if calls["fail"] and calls["n"] % 3 == 0:
            return HttpError(400, message="bad request")
        return answer_from_schema(request.schema or {})

    with FakeOpenAIServer(script) as fake:  # type: ignore[arg-type]
        settings = _settings(tmp_path, database_url, fake, max_reasks=0)
        db = migrated(settings.database)
        await asyncio.to_thread(start_jobs, settings, db)
        try:
            upload = write_jsonl(tmp_path / "in.jsonl", 12)
            job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
            done = await _wait(db, "acme", job.id)
            assert done.progress.failed == 4 and done.progress.graded == 8
            reasons = {i.reason for i in jobs.list_items(db, "acme", job.id, status="failed").items}
            assert all("bad request" in (r or "") for r in reasons)
            calls["fail"] = 0  # the provider recovers
            rerun = jobs.rerun_failed(db, "acme", job.id)
            assert rerun.round == 1
            again = await _wait(db, "acme", job.id)
            assert again.progress.graded == 12 and again.round == 1
            with pytest.raises(ConflictError):
                jobs.cancel_job(db, "acme", job.id)
        finally:
            stop_jobs()
            db.close()


async def test_fallback_model_grades_when_the_primary_fails_for_good(
    tmp_path: Path, database_url: str
) -> None:
    def script(request: FakeRequest) -> object:
        if request.model.endswith("primary"):
            return HttpError(400, message="model overloaded for good")
        return answer_from_schema(request.schema or {})

    with FakeOpenAIServer(script) as fake:  # type: ignore[arg-type]
        settings = _settings(
            tmp_path,
            database_url,
            fake,
            model="openai/primary",
            fallback_models={"openai/primary": "openai/backup"},
        )
        db = migrated(settings.database)
        await asyncio.to_thread(start_jobs, settings, db)
        try:
            upload = write_jsonl(tmp_path / "in.jsonl", 6)
            job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
            assert job.fallback_model == "openai/backup"
            done = await _wait(db, "acme", job.id)
            assert done.progress.graded == 6
            with db.session() as session:
                models = set(session.scalars(select(JobResult.model)))
            assert models == {"openai/backup"}
            asked = [r.model for r in fake.requests]
            assert asked.count("primary") == 6 and asked.count("backup") == 6
        finally:
            stop_jobs()
            db.close()


def test_queue_follows_the_provider_rate_limit(
    tmp_path: Path, database_url: str, fake: FakeOpenAIServer
) -> None:
    from dbos import DBOS

    settings = _settings(
        tmp_path, database_url, fake, rate_limits={"openai": 600}, job_chunk_size=20
    )
    assert jobs.rate_limit_for(settings, "openai/gpt-4o-mini") == 600
    assert jobs.rate_limit_for(settings, "anthropic/claude") is None
    db = migrated(settings.database)
    start_jobs(settings, db)
    try:
        queue = DBOS.retrieve_queue(jobs.QUEUE)
        assert queue is not None
        # 600 requests a minute = 30 chunks of 20 a minute; 8 in flight = 2 chunks, doubled, +1
        assert queue._limiter == {"limit": 30, "period": 60.0}
        assert queue._worker_concurrency == 2 * 1 + 1
    finally:
        stop_jobs()
        db.close()
