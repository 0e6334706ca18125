"""What arrives from outside: helpdesk webhooks and feedback uploads, into the store.

A webhook is checked (signature, or the URL token where enabled), recorded by delivery id
(a retried delivery is dropped), then acted on: a message is kept until its conversation
resolves; a resolution is queued as a one-item durable job, once per conversation; a CSAT
is stored as feedback on the conversation's transcript id. Nothing is fetched from the
helpdesk and no grading happens in the request, so the answer is quick.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app._errors import NotFoundError
from app.jobs import submit_job
from app.jobs._service import IdempotencyKeyReusedError
from app.qa._feedback import FeedbackRow
from app.qa._live import live_transcript
from app.qa._tables import (
    FeedbackRecord,
    LiveConversation,
    WebhookDelivery,
    WebhookMessage,
    WebhookSettings,
)
from app.qa._webhooks import (
    CsatReceived,
    Ignored,
    MessageSeen,
    Resolved,
    WebhookPayloadError,
    WebhookSignatureError,
    chatwoot_event,
    delivery_key,
    verify_chatwoot,
    verify_url_token,
    verify_zendesk,
    zendesk_event,
)
from app.storage import Database, new_id, utcnow
from grader._settings import Settings

__all__ = [
    "PROVIDERS",
    "Provider",
    "WebhookOutcome",
    "configure_webhook",
    "receive_webhook",
    "store_feedback",
]

Provider = Literal["chatwoot", "zendesk"]
PROVIDERS: tuple[Provider, ...] = ("chatwoot", "zendesk")


class WebhookOutcome(BaseModel):
    """What the service did with a delivery."""

    outcome: Literal[
        "queued", "stored_message", "stored_csat", "duplicate", "already_graded", "ignored"
    ]
    detail: str = ""
    conversation: str | None = None
    job_id: str | None = None


def configure_webhook(
    session: Session,
    tenant_id: str,
    provider: Provider,
    *,
    secret: str | None,
    url_token: bool = False,
) -> WebhookSettings:
    """Set the helpdesk's signing secret; `url_token=True` also issues a token for the URL."""
    record = session.get(WebhookSettings, (tenant_id, provider))
    if record is None:
        record = WebhookSettings(tenant_id=tenant_id, provider=provider)
        session.add(record)
    record.secret = secret or None
    record.url_token = secrets.token_urlsafe(24) if url_token else None
    record.updated_at = utcnow()
    session.flush()
    return record


def _authenticate(
    config: WebhookSettings | None, provider: Provider, headers: Mapping[str, str], body: bytes,
    token: str | None, now: datetime | None,
) -> None:  # fmt: skip
    if config is None:
        raise WebhookSignatureError(f"no {provider} webhook is configured for this tenant")
    lowered = {k.lower() for k in headers}
    signed = (
        "x-chatwoot-signature" in lowered
        if provider == "chatwoot"
        else "x-zendesk-webhook-signature" in lowered
    )
    if config.url_token and token is not None and not signed:
        verify_url_token(token, config.url_token)  # older Chatwoot: no signature
        return
    if not config.secret:
        raise WebhookSignatureError(f"the {provider} webhook has no secret; send the URL token")
    verify = verify_chatwoot if provider == "chatwoot" else verify_zendesk
    verify(headers, body, config.secret, now=now)


def _transcript_id(provider: Provider, conversation_key: str) -> str:
    return (
        f"chatwoot-{conversation_key.split(':', 1)[-1]}"
        if provider == "chatwoot"
        else f"zendesk-{conversation_key}"
    )


async def _one_line(line: bytes) -> AsyncIterator[bytes]:
    yield line


async def _queue(
    db: Database, settings: Settings, tenant_id: str, provider: Provider, event: Resolved
) -> WebhookOutcome:
    with db.session() as session:
        if session.get(LiveConversation, (tenant_id, provider, event.conversation_key)) is not None:
            return WebhookOutcome(outcome="already_graded", conversation=event.conversation_key)
        earlier = session.scalars(
            select(WebhookMessage.message).where(
                WebhookMessage.tenant_id == tenant_id,
                WebhookMessage.provider == provider,
                WebhookMessage.conversation_key == event.conversation_key,
            )
        ).all()
    transcript = live_transcript(event, list(earlier))
    try:
        with db.session() as session:
            session.add(
                LiveConversation(
                    tenant_id=tenant_id,
                    provider=provider,
                    conversation_key=event.conversation_key,
                    transcript_id=transcript.id,
                )
            )
    except IntegrityError:  # the same resolution raced in through another delivery
        return WebhookOutcome(outcome="already_graded", conversation=event.conversation_key)
    line = transcript.model_dump_json(exclude_defaults=True).encode() + b"\n"
    key = f"{provider}:{event.conversation_key}"
    try:
        job, _ = await submit_job(
            db,
            settings,
            tenant_id,
            _one_line(line),
            format="jsonl",
            filename=f"{key}.jsonl",
            idempotency_key=key,
        )
    except IdempotencyKeyReusedError:
        return WebhookOutcome(outcome="already_graded", conversation=event.conversation_key)
    except BaseException:  # not queued: let the helpdesk's retry queue it
        with db.session() as session:
            session.execute(
                delete(LiveConversation).where(
                    LiveConversation.tenant_id == tenant_id,
                    LiveConversation.provider == provider,
                    LiveConversation.conversation_key == event.conversation_key,
                )
            )
        raise
    with db.session() as session:
        live = session.get(LiveConversation, (tenant_id, provider, event.conversation_key))
        if live is not None:
            live.job_id = job.id
        session.execute(
            delete(WebhookMessage).where(
                WebhookMessage.tenant_id == tenant_id,
                WebhookMessage.provider == provider,
                WebhookMessage.conversation_key == event.conversation_key,
            )
        )
    return WebhookOutcome(
        outcome="queued",
        conversation=event.conversation_key,
        job_id=job.id,
        detail=f"{len(transcript.turns)} turns",
    )


def store_feedback(
    session: Session, tenant_id: str, rows: list[FeedbackRow], *, source: str
) -> int:
    """Keep customers' ratings (one per conversation and source; a new one replaces the old)."""
    for row in rows:
        record = session.scalar(
            select(FeedbackRecord).where(
                FeedbackRecord.tenant_id == tenant_id,
                FeedbackRecord.transcript_id == row.transcript_id,
                FeedbackRecord.source == source,
            )
        )
        if record is None:
            record = FeedbackRecord(
                id=new_id("fbk"),
                tenant_id=tenant_id,
                transcript_id=row.transcript_id,
                source=source,
            )
            session.add(record)
        record.csat, record.nps, record.comment, record.received_at = (
            row.csat,
            row.nps,
            row.comment,
            utcnow(),
        )
    session.flush()
    return len(rows)


async def receive_webhook(
    db: Database,
    settings: Settings,
    tenant_id: str,
    provider: Provider,
    headers: Mapping[str, str],
    body: bytes,
    *,
    token: str | None = None,
    now: datetime | None = None,
) -> WebhookOutcome:
    """Check, record and act on one helpdesk delivery."""
    with db.session() as session:
        _authenticate(
            session.get(WebhookSettings, (tenant_id, provider)), provider, headers, body, token, now
        )
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError(f"the {provider} webhook body is not JSON: {exc}") from None
    event = chatwoot_event(payload) if provider == "chatwoot" else zendesk_event(payload)
    name = (
        str(payload.get("event") or payload.get("type") or "ticket")
        if isinstance(payload, dict)
        else "?"
    )
    delivery = WebhookDelivery(
        tenant_id=tenant_id,
        provider=provider,
        delivery_id=delivery_key(headers, body, provider),
        event=name[:60],
        conversation_key=getattr(event, "conversation_key", None),
        outcome="received",
    )
    try:
        with db.session() as session:
            session.add(delivery)
    except IntegrityError:
        return WebhookOutcome(
            outcome="duplicate", detail=f"delivery {delivery.delivery_id} already received"
        )
    try:
        outcome = await _act(db, settings, tenant_id, provider, event)
    except BaseException:  # forget the delivery, so the helpdesk's retry is not dropped
        with db.session() as session:
            session.execute(
                delete(WebhookDelivery).where(
                    WebhookDelivery.tenant_id == tenant_id,
                    WebhookDelivery.provider == provider,
                    WebhookDelivery.delivery_id == delivery.delivery_id,
                )
            )
        raise
    with db.session() as session:
        row = session.get(WebhookDelivery, (tenant_id, provider, delivery.delivery_id))
        if row is not None:
            row.outcome = outcome.outcome
    return outcome


async def _act(
    db: Database, settings: Settings, tenant_id: str, provider: Provider, event: object
) -> WebhookOutcome:
    if isinstance(event, Resolved):
        return await _queue(db, settings, tenant_id, provider, event)
    if isinstance(event, MessageSeen):
        try:
            with db.session() as session:
                session.add(
                    WebhookMessage(
                        tenant_id=tenant_id,
                        provider=provider,
                        conversation_key=event.conversation_key,
                        message_id=event.message_id[:60],
                        message=event.message,
                    )
                )
        except IntegrityError:
            pass  # the same message again (an update, or a retry without a delivery id)
        return WebhookOutcome(outcome="stored_message", conversation=event.conversation_key)
    if isinstance(event, CsatReceived):
        row = FeedbackRow(
            transcript_id=_transcript_id(provider, event.conversation_key),
            csat=event.csat,
            comment=event.comment[:5000],
        )
        with db.session() as session:
            store_feedback(session, tenant_id, [row], source=provider)
        return WebhookOutcome(
            outcome="stored_csat",
            conversation=event.conversation_key,
            detail=f"CSAT {event.csat:g}",
        )
    assert isinstance(event, Ignored)
    return WebhookOutcome(
        outcome="ignored", detail=event.reason, conversation=event.conversation_key
    )


def webhook_settings(session: Session, tenant_id: str, provider: Provider) -> WebhookSettings:
    """The tenant's settings for one helpdesk, or `NotFoundError`."""
    record = session.get(WebhookSettings, (tenant_id, provider))
    if record is None:
        raise NotFoundError("webhook", provider)
    return record
