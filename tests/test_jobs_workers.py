"""Bulk jobs with real worker processes: SIGKILL mid-job and restart; two workers on PostgreSQL.

The test process plays the API (DBOS without grading: it ingests and queues); `grader worker`
subprocesses grade against the fake OpenAI-compatible server. Every item must end graded
exactly once in the results: one row per item, nothing lost, nothing duplicated.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from jobs_support import SlowFakeServer, migrated, write_jsonl
from sqlalchemy import func, select

import app.jobs as jobs
from app.jobs import JobResult, start_jobs, stop_jobs
from app.storage import Database
from grader._settings import Settings

N = 1000
ENV = {
    "GRADER_MODEL": "openai/fake-grader",
    "GRADER_API_KEY": "sk-fake",
    "GRADER_USE_CACHE": "false",
    "GRADER_MAX_TRANSIENT_RETRIES": "1",
    "GRADER_JOB_CONCURRENCY": "16",
    "GRADER_JOB_CHUNK_SIZE": "10",
}


@pytest.fixture
def fake() -> Iterator[SlowFakeServer]:
    with SlowFakeServer(latency=0.01) as server:
        yield server


@pytest.fixture
def env(tmp_path: Path, database_url: str, fake: SlowFakeServer) -> dict[str, str]:
    values = {**ENV, "GRADER_API_BASE": fake.base_url, "DATABASE_URL": database_url}
    os.environ.update(values)  # the test process reads the same settings (monkeypatched env)
    return {**os.environ, **values}


@pytest.fixture
def api(env: dict[str, str]) -> Iterator[tuple[Database, Settings]]:
    settings = Settings()
    db = migrated(settings.database)
    start_jobs(settings, db, executor_id="api", grading=False)
    try:
        yield db, settings
    finally:
        stop_jobs()
        db.close()
        for key in (*ENV, "GRADER_API_BASE"):
            os.environ.pop(key, None)


def _worker(env: dict[str, str], name: str, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as stderr:
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "grader"), "worker", "--executor-id", name],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while block := file.read(1 << 16):
            yield block


def _results(db: Database, job_id: str) -> list[tuple[int, int, str]]:
    with db.session() as session:
        rows = session.execute(
            select(JobResult.item_index, JobResult.writes, JobResult.executor).where(
                JobResult.job_id == job_id
            )
        ).all()
    return [(i, w, e) for i, w, e in rows]


def _wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def _until_completed(db: Database, job_id: str, seconds: float, log: Path) -> None:
    def done() -> bool:
        return jobs.get_job(db, "acme", job_id).status == "completed"

    try:
        _wait_for(done, seconds, "the job to complete")
    except AssertionError as exc:
        progress = jobs.get_job(db, "acme", job_id).progress
        raise AssertionError(f"{exc}: {progress}\n{log.read_text()[-3000:]}") from None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _assert_exactly_once(db: Database, job_id: str) -> list[tuple[int, int, str]]:
    job = jobs.get_job(db, "acme", job_id)
    assert job.status == "completed", job
    assert (job.progress.total, job.progress.graded) == (N, N), job.progress
    rows = _results(db, job_id)
    assert sorted(i for i, _, _ in rows) == list(range(N))  # one row per item
    return rows


async def test_sigkill_mid_job_then_restart_grades_every_item_once(
    api: tuple[Database, Settings], env: dict[str, str], tmp_path: Path, fake: SlowFakeServer
) -> None:
    db, settings = api
    upload = write_jsonl(tmp_path / "in.jsonl", N)
    job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
    log = tmp_path / "worker.log"
    first = _worker(env, "w1", log)
    try:
        await asyncio.to_thread(_wait_for, lambda: len(_results(db, job.id)) >= 200, 120, "200")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        graded_at_kill = len(_results(db, job.id))
        assert graded_at_kill < N, "the job finished before the kill: nothing was tested"
        second = _worker(env, "w1", log)  # the same executor id recovers its chunks
        try:
            await asyncio.to_thread(_until_completed, db, job.id, 400, log)
        finally:
            _stop(second)
    finally:
        _stop(first)
    rows = _assert_exactly_once(db, job.id)
    rewritten = sum(w for _, w, _ in rows) - N
    # Only what was in flight at the kill is graded twice: bounded by the chunks held.
    assert 0 <= rewritten <= 2 * 16 + 10, rewritten
    assert len(fake.requests) >= N, log.read_text()


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_share_one_job_on_postgresql(
    api: tuple[Database, Settings], env: dict[str, str], tmp_path: Path, fake: SlowFakeServer
) -> None:
    db, settings = api
    log = tmp_path / "workers.log"
    workers = [_worker(env, "w1", log), _worker(env, "w2", log)]
    try:
        await asyncio.sleep(3)  # both up before the work arrives
        upload = write_jsonl(tmp_path / "in.jsonl", N)
        job, _ = await jobs.submit_job(db, settings, "acme", _chunks(upload), format="jsonl")
        await asyncio.to_thread(_until_completed, db, job.id, 400, log)
    finally:
        for worker in workers:
            _stop(worker)
    rows = _assert_exactly_once(db, job.id)
    assert all(w == 1 for _, w, _ in rows)  # no crash: no item graded twice
    shares = {e: sum(1 for _, _, x in rows if x == e) for e in ("w1", "w2")}
    assert all(n > 0 for n in shares.values()), (shares, log.read_text()[-2000:])
    assert len(fake.requests) == N
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(JobResult)) == N
