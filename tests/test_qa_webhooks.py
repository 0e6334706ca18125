"""Webhook signatures and payloads: Chatwoot and Zendesk, as their docs and sources shape them."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
import qa_hooks as hooks

from app.qa import (
    CsatReceived,
    Ignored,
    MessageSeen,
    Resolved,
    WebhookPayloadError,
    WebhookSignatureError,
    chatwoot_event,
    delivery_key,
    live_transcript,
    verify_chatwoot,
    verify_url_token,
    verify_zendesk,
    zendesk_event,
)
from grader import Role

SECRET = "whsec-test-1"
NOW = datetime(2026, 11, 30, 10, 5, tzinfo=UTC)


def _chatwoot_headers(body: bytes, *, secret: str = SECRET, at: datetime = NOW) -> dict[str, str]:
    stamp = str(int(at.timestamp()))
    digest = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-Chatwoot-Signature": f"sha256={digest}",
        "X-Chatwoot-Timestamp": stamp,
        "X-Chatwoot-Delivery": "d-1",
    }


def _zendesk_headers(
    body: bytes, *, secret: str = SECRET, at: str = "2026-11-30T10:04:30Z"
) -> dict[str, str]:
    mac = hmac.new(secret.encode(), at.encode() + body, hashlib.sha256).digest()
    return {
        "X-Zendesk-Webhook-Signature": base64.b64encode(mac).decode(),
        "X-Zendesk-Webhook-Signature-Timestamp": at,
    }


def test_chatwoot_signature_checked_independently_of_our_signer() -> None:
    body = hooks.body(hooks.resolved())
    verify_chatwoot(_chatwoot_headers(body), body, SECRET, now=NOW)
    lowered = {k.lower(): v for k, v in _chatwoot_headers(body).items()}
    verify_chatwoot(lowered, body, SECRET, now=NOW)  # header names are case-insensitive
    with pytest.raises(WebhookSignatureError, match="bad X-Chatwoot-Signature"):
        verify_chatwoot(_chatwoot_headers(body, secret="other"), body, SECRET, now=NOW)
    with pytest.raises(WebhookSignatureError, match="bad"):
        verify_chatwoot(_chatwoot_headers(body), body + b" ", SECRET, now=NOW)  # body changed
    with pytest.raises(WebhookSignatureError, match="stale"):
        verify_chatwoot(
            _chatwoot_headers(body, at=NOW - timedelta(minutes=6)), body, SECRET, now=NOW
        )
    with pytest.raises(WebhookSignatureError, match="unsigned"):
        verify_chatwoot({}, body, SECRET, now=NOW)
    bad_stamp = {**_chatwoot_headers(body), "X-Chatwoot-Timestamp": "yesterday"}
    with pytest.raises(WebhookSignatureError, match="Unix seconds"):
        verify_chatwoot(bad_stamp, body, SECRET, now=NOW)


def test_zendesk_signature() -> None:
    body = hooks.body(hooks.zendesk_solved())
    verify_zendesk(_zendesk_headers(body), body, SECRET, now=NOW)
    with pytest.raises(WebhookSignatureError, match="bad X-Zendesk"):
        verify_zendesk(_zendesk_headers(body, secret="x"), body, SECRET, now=NOW)
    with pytest.raises(WebhookSignatureError, match="stale"):
        verify_zendesk(_zendesk_headers(body, at="2026-11-30T09:00:00Z"), body, SECRET, now=NOW)
    with pytest.raises(WebhookSignatureError, match="unsigned"):
        verify_zendesk({"X-Zendesk-Webhook-Signature": "abc"}, body, SECRET, now=NOW)


def test_url_token() -> None:
    verify_url_token("tok-123", "tok-123")
    for given, expected in (("tok-124", "tok-123"), (None, "tok-123"), ("tok", None)):
        with pytest.raises(WebhookSignatureError):
            verify_url_token(given, expected)


def test_delivery_key_is_the_helpdesk_id_or_the_body_hash() -> None:
    assert delivery_key({"x-chatwoot-delivery": "abc"}, b"{}", "chatwoot") == "abc"
    assert delivery_key({}, b"{}", "chatwoot") == "sha256:" + hashlib.sha256(b"{}").hexdigest()


def test_chatwoot_events() -> None:
    seen = chatwoot_event(hooks.message_created(0))
    assert (
        isinstance(seen, MessageSeen)
        and seen.conversation_key == f"{hooks.ACCOUNT}:{hooks.CONVERSATION}"
    )
    assert seen.message["sender_type"] == "contact" and seen.message_id == "1001"
    done = chatwoot_event(hooks.resolved())
    assert isinstance(done, Resolved) and done.conversation_key == seen.conversation_key
    still_open = chatwoot_event({**hooks.resolved(), "status": "open"})
    assert isinstance(still_open, Ignored) and "not resolved" in still_open.reason
    rated = chatwoot_event(hooks.csat(2))
    assert isinstance(rated, CsatReceived) and rated.csat == 2.0 and rated.comment == "slow"
    unanswered = hooks.csat()
    unanswered["content_attributes"] = {}
    assert isinstance(chatwoot_event(unanswered), Ignored)
    note = {**hooks.message_created(1), "private": True}
    assert isinstance(chatwoot_event(note), Ignored)
    assert isinstance(chatwoot_event({"event": "contact_created", "id": 1}), Ignored)
    with pytest.raises(WebhookPayloadError):
        chatwoot_event(["not", "an", "object"])
    with pytest.raises(WebhookPayloadError, match="conversation id"):
        chatwoot_event({"event": "conversation_status_changed", "status": "resolved"})


def test_resolved_conversation_is_assembled_from_earlier_messages() -> None:
    earlier = [chatwoot_event(hooks.message_created(i)) for i in range(3)]
    messages = [e.message for e in earlier if isinstance(e, MessageSeen)]
    done = chatwoot_event(hooks.resolved())
    assert isinstance(done, Resolved)
    transcript = live_transcript(done, messages + messages[:1])  # a retried event counts once
    assert transcript.id == f"chatwoot-{hooks.CONVERSATION}"
    assert [t.role for t in transcript.turns] == [
        Role.CUSTOMER,
        Role.BOT,
        Role.AGENT,
        Role.CUSTOMER,
    ]
    assert (
        transcript.turns[-1].text == "Ok, thank you for checking."
    )  # the resolution's own last message
    meta = transcript.metadata
    assert (meta.agent, meta.team, meta.location, meta.tags) == (
        "Sam Ortiz",
        "North",
        "Lisbon",
        ["delivery"],
    )
    with pytest.raises(WebhookPayloadError, match="nothing to grade"):
        live_transcript(done, [])  # nothing seen before: only the customer's last message


def test_zendesk_events() -> None:
    solved = zendesk_event(hooks.zendesk_solved())
    assert isinstance(solved, Resolved) and solved.conversation_key == "35436"
    transcript = live_transcript(solved)
    assert [t.role for t in transcript.turns] == [
        Role.CUSTOMER,
        Role.AGENT,
    ]  # internal note dropped
    assert transcript.metadata.agent == "Ana" and transcript.metadata.team == "Tier 1"
    assert isinstance(zendesk_event(hooks.zendesk_solved("open")), Ignored)
    rating = zendesk_event(hooks.zendesk_rating("bad"))
    assert isinstance(rating, CsatReceived) and rating.csat == 1.0 and rating.comment == "meh"
    assert isinstance(zendesk_event({"ticket": {"id": 1}}), Ignored)
    with pytest.raises(WebhookPayloadError):
        zendesk_event({"nothing": 1})


def test_zendesk_ticket_event_webhooks_are_assembled_when_solved() -> None:
    seen = [
        zendesk_event(
            hooks.zendesk_comment(
                "c1", "I was charged twice.", staff=False, at="2026-11-30T09:00:00Z"
            )
        ),
        zendesk_event(
            hooks.zendesk_comment(
                "c2", "note to self", staff=True, at="2026-11-30T09:01:00Z", public=False
            )
        ),
        zendesk_event(
            hooks.zendesk_comment(
                "c3", "Refunded the second charge.", staff=True, at="2026-11-30T09:05:00Z"
            )
        ),
    ]
    assert isinstance(seen[1], Ignored)
    messages = [e.message for e in seen if isinstance(e, MessageSeen)]
    assert len(messages) == 2 and all(
        isinstance(e, MessageSeen) and e.conversation_key == "35437" for e in (seen[0], seen[2])
    )
    pending = zendesk_event(
        hooks.zendesk_ticket_event("status_changed", {"current": "PENDING", "previous": "OPEN"})
    )
    assert isinstance(pending, Ignored)
    solved = zendesk_event(
        hooks.zendesk_ticket_event("status_changed", {"current": "SOLVED", "previous": "OPEN"})
    )
    assert isinstance(solved, Resolved) and solved.conversation_key == "35437"
    transcript = live_transcript(solved, messages)
    assert transcript.id == "zendesk-35437"
    assert [(t.role, t.text) for t in transcript.turns] == [
        (Role.CUSTOMER, "I was charged twice."),
        (Role.AGENT, "Refunded the second charge."),
    ]
    assert transcript.metadata.agent == "Ana" and transcript.metadata.tags == ["billing"]
    with pytest.raises(WebhookPayloadError, match=r"detail\.id"):
        zendesk_event({"type": "zen:event-type:ticket.status_changed", "detail": {}})
