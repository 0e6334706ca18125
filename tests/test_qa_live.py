"""Live grading from helpdesk webhooks, through the durable jobs (DBOS in-process worker):
a Chatwoot conversation resolved twice is graded once; CSAT joins the grade; bad signatures
are refused and leave nothing behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import qa_hooks as hooks
from jobs_support import migrated
from sqlalchemy import func, select

import app.jobs as jobs
import app.qa as qa
from app.jobs import Job, JobResult, start_jobs, stop_jobs
from app.qa._tables import WebhookDelivery
from app.storage import Database
from grader._settings import Settings
from grader.model import FakeOpenAIServer

SECRET = "cw-secret"


@pytest.fixture
def service(tmp_path: Path, database_url: str) -> Iterator[tuple[Database, Settings]]:
    with FakeOpenAIServer() as fake:
        settings = Settings.model_validate(
            {
                "model": "openai/fake-grader",
                "api_base": fake.base_url,
                "api_key": "sk-fake",
                "use_cache": False,
                "max_transient_retries": 1,
                "max_retry_wait": 0,
                "data_dir": str(tmp_path / "data"),
                "database_url": database_url,
                "job_concurrency": 2,
                "job_chunk_size": 1,
            }
        )
        db = migrated(settings.database)
        with db.session() as s:
            qa.configure_webhook(s, "acme", "chatwoot", secret=SECRET)
            qa.configure_webhook(s, "acme", "zendesk", secret=SECRET)
        start_jobs(settings, db)
        try:
            yield db, settings
        finally:
            stop_jobs()
            db.close()


def _signed(payload: dict, delivery: str, secret: str = SECRET) -> tuple[dict[str, str], bytes]:  # type: ignore[type-arg]
    body = hooks.body(payload)
    stamp = str(int(time.time()))
    return {"X-Chatwoot-Signature": qa.sign_chatwoot(secret, stamp, body), "X-Chatwoot-Timestamp": stamp,
            "X-Chatwoot-Delivery": delivery, "Content-Type": "application/json"}, body  # fmt: skip


async def _send(
    db: Database, settings: Settings, payload: dict, delivery: str, **kw: object
) -> qa.WebhookOutcome:  # type: ignore[type-arg]
    headers, body = _signed(payload, delivery)
    return await qa.receive_webhook(db, settings, "acme", "chatwoot", headers, body, **kw)  # type: ignore[arg-type]


async def _done(db: Database, job_id: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if jobs.get_job(db, "acme", job_id).status in ("completed", "failed", "cancelled"):
            return
        await asyncio.sleep(0.1)
    raise AssertionError("job did not finish")


async def test_resolved_conversation_sent_twice_is_graded_once(
    service: tuple[Database, Settings],
) -> None:
    db, settings = service
    for i in range(3):
        assert (
            await _send(db, settings, hooks.message_created(i), f"m{i}")
        ).outcome == "stored_message"
    assert (
        await _send(db, settings, hooks.message_created(1), "m1")
    ).outcome == "duplicate"  # a retry
    first = await _send(db, settings, hooks.resolved(), "r1")
    assert first.outcome == "queued" and first.job_id and first.detail == "4 turns"
    assert (
        await _send(db, settings, hooks.resolved(), "r1")
    ).outcome == "duplicate"  # retried delivery
    again = await _send(db, settings, hooks.resolved(), "r2")  # resolved again: a new delivery
    assert again.outcome == "already_graded"
    await _done(db, first.job_id)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Job).where(Job.tenant_id == "acme")) == 1
        results = s.scalars(select(JobResult).where(JobResult.tenant_id == "acme")).all()
        assert [r.transcript_id for r in results] == [f"chatwoot-{hooks.CONVERSATION}"]
        assert results[0].status == "graded"
        items = qa.qa_items(s, "acme")
    assert len(items) == 1 and (items[0].agent, items[0].team, items[0].location) == (
        "Sam Ortiz",
        "North",
        "Lisbon",
    )
    rated = await _send(db, settings, hooks.csat(2), "c1")
    assert rated.outcome == "stored_csat"
    with db.session() as s:
        (item,) = qa.qa_items(s, "acme")
        assert (
            item.feedback is not None
            and item.feedback.csat == 2.0
            and item.feedback.source == "chatwoot"
        )
        outcomes = dict(
            s.execute(select(WebhookDelivery.delivery_id, WebhookDelivery.outcome)).all()
        )
    assert outcomes == {"m0": "stored_message", "m1": "stored_message", "m2": "stored_message", "r1": "queued",
                        "r2": "already_graded", "c1": "stored_csat"}  # fmt: skip


async def test_bad_or_stale_signatures_leave_nothing(service: tuple[Database, Settings]) -> None:
    db, settings = service
    headers, body = _signed(hooks.resolved(), "x1", secret="wrong")
    with pytest.raises(qa.WebhookSignatureError, match="bad"):
        await qa.receive_webhook(db, settings, "acme", "chatwoot", headers, body)
    headers, body = _signed(hooks.resolved(), "x2")
    with pytest.raises(qa.WebhookSignatureError, match="stale"):
        await qa.receive_webhook(
            db, settings, "acme", "chatwoot", headers, body, now=datetime(2020, 1, 1, tzinfo=UTC)
        )
    with pytest.raises(qa.WebhookSignatureError, match="unsigned"):
        await qa.receive_webhook(
            db, settings, "acme", "chatwoot", {}, body, token="guess"
        )  # token is off by default
    with pytest.raises(qa.WebhookSignatureError, match="no chatwoot webhook"):
        await qa.receive_webhook(
            db, settings, "globex", "chatwoot", *_signed(hooks.resolved(), "x3")
        )
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
        assert s.scalar(select(func.count()).select_from(Job)) == 0


async def test_url_token_for_unsigned_chatwoot_and_zendesk_triggers(
    service: tuple[Database, Settings],
) -> None:
    db, settings = service
    with db.session() as s:
        token = qa.configure_webhook(s, "acme", "chatwoot", secret=SECRET, url_token=True).url_token
    assert token
    body = hooks.body(hooks.message_created(0))
    with pytest.raises(qa.WebhookSignatureError, match="wrong webhook token"):
        await qa.receive_webhook(db, settings, "acme", "chatwoot", {}, body, token="nope")
    seen = await qa.receive_webhook(db, settings, "acme", "chatwoot", {}, body, token=token)
    assert seen.outcome == "stored_message"
    zbody = hooks.body(hooks.zendesk_solved())
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    zheaders = {"X-Zendesk-Webhook-Signature": qa.sign_zendesk(SECRET, stamp, zbody),
                "X-Zendesk-Webhook-Signature-Timestamp": stamp, "X-Zendesk-Webhook-Invocation-Id": "z1"}  # fmt: skip
    solved = await qa.receive_webhook(db, settings, "acme", "zendesk", zheaders, zbody)
    assert solved.outcome == "queued" and solved.job_id
    await _done(db, solved.job_id)
    rbody = hooks.body(hooks.zendesk_rating("good"))
    rheaders = {**zheaders, "X-Zendesk-Webhook-Signature": qa.sign_zendesk(SECRET, stamp, rbody),
                "X-Zendesk-Webhook-Invocation-Id": "z2"}  # fmt: skip
    assert (
        await qa.receive_webhook(db, settings, "acme", "zendesk", rheaders, rbody)
    ).outcome == "stored_csat"
    with db.session() as s:
        (item,) = [i for i in qa.qa_items(s, "acme") if i.transcript_id == "zendesk-35436"]
    assert item.team == "Tier 1" and item.feedback is not None and item.feedback.csat == 5.0
