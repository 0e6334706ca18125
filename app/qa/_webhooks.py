"""Helpdesk webhooks: verify who sent them, and read what they say. No I/O here.

Chatwoot (4.11.2 and later) signs each request: `X-Chatwoot-Signature: sha256=<hex>` is
HMAC-SHA256 with the webhook's secret over `"<X-Chatwoot-Timestamp>.<raw body>"`, and
`X-Chatwoot-Delivery` stays the same across retries. Older Chatwoot signs nothing, so a
tenant may instead put a secret token in the URL (off by default). A conversation is done
when `conversation_status_changed` says `resolved`; its payload carries only the last
message, so the conversation is assembled from the `message_created` events seen before
(the service fetches nothing from the helpdesk). A CSAT survey answer arrives as a
`message_updated` of an `input_csat` message.

Zendesk signs with `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(secret, timestamp +
body)), the timestamp in `X-Zendesk-Webhook-Signature-Timestamp`. A trigger on "ticket is
solved" posts the ticket with its comments (the shape `grader.importers` reads); a trigger on
"satisfaction rating changed" posts the ticket with its `satisfaction_rating`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app._errors import AuthenticationError
from grader._errors import InputError

__all__ = [
    "STALE_AFTER_SECONDS",
    "CsatReceived",
    "Ignored",
    "MessageSeen",
    "Resolved",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "chatwoot_event",
    "delivery_key",
    "sign_chatwoot",
    "sign_zendesk",
    "verify_chatwoot",
    "verify_url_token",
    "verify_zendesk",
    "zendesk_event",
]

#: A signed request older (or newer) than this is refused: a replay, or a clock far off.
STALE_AFTER_SECONDS = 300
_ZENDESK_CSAT = {"good": 5.0, "bad": 1.0}


class WebhookSignatureError(AuthenticationError):
    """The request is not signed by the tenant's helpdesk, or the signature is stale (401)."""


class WebhookPayloadError(InputError):
    """The body is not the helpdesk's JSON (422)."""


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get(name.lower())
    return value.strip() if value else None


def _fresh(stamp: datetime, now: datetime, tolerance: float) -> None:
    skew = abs((now - stamp).total_seconds())
    if skew > tolerance:
        raise WebhookSignatureError(f"stale webhook: its timestamp is {skew:.0f} s from now")


def sign_chatwoot(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Chatwoot-Signature` value Chatwoot sends for this body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify_chatwoot(
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    *,
    now: datetime | None = None,
    tolerance: float = STALE_AFTER_SECONDS,
) -> None:
    """Raise `WebhookSignatureError` unless Chatwoot signed this body recently with `secret`."""
    signature = _header(headers, "X-Chatwoot-Signature")
    timestamp = _header(headers, "X-Chatwoot-Timestamp")
    if not signature or not timestamp:
        raise WebhookSignatureError("unsigned webhook: X-Chatwoot-Signature and -Timestamp needed")
    try:
        stamp = datetime.fromtimestamp(int(timestamp), UTC)
    except (ValueError, OverflowError, OSError):
        raise WebhookSignatureError("X-Chatwoot-Timestamp is not Unix seconds") from None
    if not hmac.compare_digest(sign_chatwoot(secret, timestamp, body), signature):
        raise WebhookSignatureError("bad X-Chatwoot-Signature")
    _fresh(stamp, now or datetime.now(UTC), tolerance)


def sign_zendesk(secret: str, timestamp: str, body: bytes) -> str:
    """The `X-Zendesk-Webhook-Signature` value Zendesk sends for this body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def _zendesk_time(value: str) -> datetime:
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def verify_zendesk(
    headers: Mapping[str, str],
    body: bytes,
    secret: str,
    *,
    now: datetime | None = None,
    tolerance: float = STALE_AFTER_SECONDS,
) -> None:
    """Raise `WebhookSignatureError` unless Zendesk signed this body recently with `secret`."""
    signature = _header(headers, "X-Zendesk-Webhook-Signature")
    timestamp = _header(headers, "X-Zendesk-Webhook-Signature-Timestamp")
    if not signature or not timestamp:
        raise WebhookSignatureError(
            "unsigned webhook: X-Zendesk-Webhook-Signature and -Signature-Timestamp needed"
        )
    try:
        stamp = _zendesk_time(timestamp)
    except (ValueError, OverflowError, OSError):
        raise WebhookSignatureError("X-Zendesk-Webhook-Signature-Timestamp is not a time") from None
    if not hmac.compare_digest(sign_zendesk(secret, timestamp, body), signature):
        raise WebhookSignatureError("bad X-Zendesk-Webhook-Signature")
    _fresh(stamp, now or datetime.now(UTC), tolerance)


def verify_url_token(given: str | None, expected: str | None) -> None:
    """For helpdesks that cannot sign: the tenant's secret token in the URL, when enabled."""
    if not expected or not given or not hmac.compare_digest(given, expected):
        raise WebhookSignatureError("missing or wrong webhook token")


def delivery_key(headers: Mapping[str, str], body: bytes, provider: str) -> str:
    """What identifies a delivery across retries: the helpdesk's id, else the body's hash."""
    name = "X-Chatwoot-Delivery" if provider == "chatwoot" else "X-Zendesk-Webhook-Invocation-Id"
    given = _header(headers, name)
    return given[:200] if given else "sha256:" + hashlib.sha256(body).hexdigest()


@dataclass(frozen=True)
class Resolved:
    """A conversation is done: grade it. `conversation` is in the importer's shape."""

    conversation_key: str
    conversation: dict[str, Any]
    provider: str


@dataclass(frozen=True)
class MessageSeen:
    """One message of a conversation still open: kept until the conversation resolves."""

    conversation_key: str
    message_id: str
    message: dict[str, Any]


@dataclass(frozen=True)
class CsatReceived:
    """The customer rated the conversation (CSAT on 1..5)."""

    conversation_key: str
    csat: float
    comment: str = ""


@dataclass(frozen=True)
class Ignored:
    """An event the grader has nothing to do with."""

    reason: str
    conversation_key: str | None = field(default=None)


WebhookEvent = Resolved | MessageSeen | CsatReceived | Ignored


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _account(payload: dict[str, Any]) -> str:
    account = payload.get("account_id", _dict(payload.get("account")).get("id"))
    return str(account) if account is not None else "0"


def _csat_rating(message: dict[str, Any]) -> tuple[float, str] | None:
    values = _dict(_dict(message.get("content_attributes")).get("submitted_values"))
    response = _dict(values.get("csat_survey_response"))
    rating = response.get("rating")
    if isinstance(rating, int | float) and not isinstance(rating, bool) and 1 <= rating <= 5:
        return float(rating), str(response.get("feedback_message") or "")
    return None


def chatwoot_event(payload: Any) -> WebhookEvent:
    """What a Chatwoot webhook body means for grading."""
    if not isinstance(payload, dict) or not isinstance(payload.get("event"), str):
        raise WebhookPayloadError("not a Chatwoot webhook: expected an object with 'event'")
    event = payload["event"]
    if event == "conversation_status_changed":
        if payload.get("id") in (None, ""):
            raise WebhookPayloadError("conversation_status_changed without a conversation id")
        key = f"{_account(payload)}:{payload['id']}"
        if payload.get("status") != "resolved":
            return Ignored(f"status is {payload.get('status')!r}, not resolved", key)
        return Resolved(key, payload, "chatwoot")
    if event in ("message_created", "message_updated"):
        conversation = _dict(payload.get("conversation"))
        if conversation.get("id") in (None, "") or payload.get("id") in (None, ""):
            raise WebhookPayloadError(f"{event} without a message or conversation id")
        key = f"{_account(payload)}:{conversation['id']}"
        if payload.get("content_type") == "input_csat":
            rating = _csat_rating(payload)
            if rating is None:
                return Ignored("CSAT survey sent, not answered yet", key)
            return CsatReceived(key, *rating)
        if payload.get("private"):
            return Ignored("private note: not part of the conversation", key)
        message = {
            k: payload.get(k)
            for k in ("id", "content", "message_type", "created_at", "private", "sender")
        }
        message["sender_type"] = _dict(payload.get("sender")).get("type")
        return MessageSeen(key, str(payload["id"]), message)
    return Ignored(f"event {event!r} is not graded")


def _zendesk_ticket_event(payload: dict[str, Any]) -> WebhookEvent:
    """Zendesk's ticket event webhooks: comments are kept until the ticket is solved."""
    kind = str(payload["type"]).removeprefix("zen:event-type:ticket.")
    detail, event = _dict(payload.get("detail")), _dict(payload.get("event"))
    if detail.get("id") in (None, ""):
        raise WebhookPayloadError(f"Zendesk {payload['type']} without detail.id")
    key = str(detail["id"])
    if kind == "comment_added":
        comment = _dict(event.get("comment"))
        if comment.get("id") in (None, "") or not comment.get("is_public", True):
            return Ignored("internal note or comment without id: not graded", key)
        author = _dict(comment.get("author"))
        message = {
            "id": comment["id"],
            "body": comment.get("body"),
            "public": True,
            "created_at": payload.get("time"),
            "author_id": author.get("id"),
            "author": {"name": author.get("name"), "is_staff": bool(author.get("is_staff"))},
        }
        return MessageSeen(key, str(comment["id"]), message)
    if kind == "status_changed":
        current = event.get("current")
        status = str(_dict(current).get("status") if isinstance(current, dict) else current).lower()
        if status not in ("solved", "closed"):
            return Ignored(f"ticket status is {status}, not solved", key)
        return Resolved(
            key, {"ticket": {**detail, "status": status}, "comments": [], "users": []}, "zendesk"
        )
    return Ignored(f"event {payload['type']!r} is not graded", key)


def zendesk_event(payload: Any) -> WebhookEvent:
    """What a Zendesk body means: a solved ticket to grade, a comment to keep, or a rating.

    Trigger bodies carry the ticket (with its comments when solved); ticket event webhooks
    (`zen:event-type:ticket.comment_added` / `.status_changed`) carry one change each.
    """
    if isinstance(payload, dict) and str(payload.get("type", "")).startswith(
        "zen:event-type:ticket."
    ):
        return _zendesk_ticket_event(payload)
    ticket = _dict(payload.get("ticket")) if isinstance(payload, dict) else {}
    if ticket.get("id") in (None, ""):
        raise WebhookPayloadError("not a Zendesk ticket webhook: expected {'ticket': {'id': ...}}")
    key = str(ticket["id"])
    comments = payload.get("comments")
    status = str(ticket.get("status") or "").lower()
    if isinstance(comments, list) and comments:
        if status not in ("solved", "closed"):
            return Ignored(f"ticket status is {status or 'not given'}, not solved", key)
        return Resolved(key, payload, "zendesk")
    score = _dict(ticket.get("satisfaction_rating")).get("score")
    if isinstance(score, str) and score.lower() in _ZENDESK_CSAT:
        comment = str(_dict(ticket.get("satisfaction_rating")).get("comment") or "")
        return CsatReceived(key, _ZENDESK_CSAT[score.lower()], comment)
    return Ignored("no comments to grade and no satisfaction rating", key)
