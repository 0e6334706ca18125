"""Webhook bodies shaped like the helpdesks' own payloads (Chatwoot's `webhook_data`).

Chatwoot's conversation payload is `Conversations::EventDataPresenter#push_data` plus
`id`/`account_id`; it carries only the last message. A message event is `Message#webhook_data`:
the message fields, its `sender`, and the conversation's payload under `conversation`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

ACCOUNT = 7
CONVERSATION = 4211
CONTACT = {"id": 91, "name": "Dana Reyes", "email": "dana@example.com", "type": "contact"}
AGENT = {"id": 3, "name": "Sam Ortiz", "email": "sam@example.com", "type": "user"}
BOT = {"id": 1, "name": "Helper bot", "type": "agent_bot"}

MESSAGES = [
    (
        1001,
        "incoming",
        CONTACT,
        "My order 5512 never arrived and I am really annoyed.",
        "2026-11-30T10:00:00.000Z",
    ),
    (
        1002,
        "outgoing",
        BOT,
        "Thanks! A human agent will be with you shortly.",
        "2026-11-30T10:00:05.000Z",
    ),
    (
        1003,
        "outgoing",
        AGENT,
        "I'm so sorry about that, Dana. I checked: it is in Denver and arrives Friday.",
        "2026-11-30T10:02:00.000Z",
    ),
    (1004, "incoming", CONTACT, "Ok, thank you for checking.", "2026-11-30T10:03:00.000Z"),
]


def conversation(status: str = "resolved", last: int = -1) -> dict[str, Any]:
    """The conversation's webhook_data (only the last message, as Chatwoot sends it)."""
    mid, kind, sender, text, at = MESSAGES[last]
    unix = int(datetime.fromisoformat(at).timestamp())
    return {
        "additional_attributes": {},
        "can_reply": True,
        "channel": "Channel::WebWidget",
        "contact_inbox": {
            "id": 180,
            "contact_id": CONTACT["id"],
            "inbox_id": 3,
            "source_id": "239a4135",
        },
        "id": CONVERSATION,
        "inbox_id": 3,
        "messages": [
            {
                "id": mid,
                "content": text,
                "account_id": ACCOUNT,
                "inbox_id": 3,
                "conversation_id": CONVERSATION,
                "message_type": 0 if kind == "incoming" else 1,
                "created_at": unix,
                "private": False,
                "status": "sent",
                "content_type": "text",
                "sender": sender,
            }
        ],
        "labels": ["delivery"],
        "meta": {
            "sender": CONTACT,
            "assignee": {"id": AGENT["id"], "name": AGENT["name"], "type": "user"},
            "team": {"id": 2, "name": "North"},
            "hmac_verified": False,
        },
        "status": status,
        "custom_attributes": {"location": "Lisbon"},
        "unread_count": 0,
        "agent_last_seen_at": unix,
        "contact_last_seen_at": unix,
        "timestamp": unix,
        "created_at": 1796032800,
        "account_id": ACCOUNT,
    }


def message_created(index: int) -> dict[str, Any]:
    """`message_created` for MESSAGES[index]."""
    mid, kind, sender, text, at = MESSAGES[index]
    return {
        "event": "message_created",
        "id": mid,
        "content": text,
        "created_at": at,
        "message_type": kind,
        "content_type": "text",
        "content_attributes": {},
        "source_id": None,
        "private": False,
        "sender": sender,
        "inbox": {"id": 3, "name": "Website"},
        "conversation": conversation("open", index),
        "account": {"id": ACCOUNT, "name": "Acme"},
    }


def resolved() -> dict[str, Any]:
    """`conversation_status_changed` to resolved."""
    return {
        **conversation("resolved"),
        "event": "conversation_status_changed",
        "changed_attributes": [{"status": {"previous_value": "open", "current_value": "resolved"}}],
    }


def csat(rating: int = 2) -> dict[str, Any]:
    """The CSAT survey message updated with the customer's answer."""
    return {
        "event": "message_updated",
        "id": 1010,
        "content": "Please rate the conversation",
        "created_at": "2026-11-30T10:05:00.000Z",
        "message_type": "template",
        "content_type": "input_csat",
        "content_attributes": {
            "submitted_values": {
                "csat_survey_response": {"rating": rating, "feedback_message": "slow"}
            }
        },
        "private": False,
        "sender": None,
        "inbox": {"id": 3, "name": "Website"},
        "conversation": conversation("resolved"),
        "account": {"id": ACCOUNT, "name": "Acme"},
    }


def zendesk_solved(status: str = "solved") -> dict[str, Any]:
    """A trigger body on "ticket is solved": the ticket with its comments and users."""
    return {
        "ticket": {
            "id": 35436,
            "status": status,
            "requester_id": 20978392,
            "assignee_id": 235323,
            "group_name": "Tier 1",
            "tags": ["refund"],
            "via": {"channel": "web"},
        },
        "comments": [
            {
                "id": 1,
                "author_id": 20978392,
                "body": "I was charged twice for my plan.",
                "public": True,
                "created_at": "2026-11-30T09:00:00Z",
            },
            {
                "id": 2,
                "author_id": 235323,
                "body": "Internal: check billing",
                "public": False,
                "created_at": "2026-11-30T09:01:00Z",
            },
            {
                "id": 3,
                "author_id": 235323,
                "body": "Sorry about that! I refunded the second charge today.",
                "public": True,
                "created_at": "2026-11-30T09:05:00Z",
            },
        ],
        "users": [
            {"id": 20978392, "name": "Lee", "role": "end-user"},
            {"id": 235323, "name": "Ana", "role": "agent"},
        ],
    }


def zendesk_rating(score: str = "bad") -> dict[str, Any]:
    """A trigger body on "satisfaction rating changed"."""
    return {
        "ticket": {
            "id": 35436,
            "status": "solved",
            "satisfaction_rating": {"score": score, "comment": "meh"},
        }
    }


def zendesk_ticket_event(
    kind: str, event: dict[str, Any], at: str = "2026-11-30T09:00:00Z"
) -> dict[str, Any]:
    """A Zendesk ticket event webhook (`zen:event-type:ticket.<kind>`), per the event schema."""
    return {
        "type": f"zen:event-type:ticket.{kind}",
        "account_id": 12514403,
        "id": f"evt-{kind}-{at}",
        "time": at,
        "zendesk_event_version": "2022-11-06",
        "subject": "zen:ticket:35437",
        "detail": {
            "id": "35437",
            "status": "OPEN",
            "requester_id": "20978392",
            "assignee_id": "235323",
            "group_id": "98738",
            "tags": ["billing"],
            "via": {"channel": "web_form"},
        },
        "event": event,
    }


def zendesk_comment(
    cid: str, body: str, *, staff: bool, at: str, public: bool = True
) -> dict[str, Any]:
    """`ticket.comment_added`."""
    author = (
        {"id": "235323", "is_staff": True, "name": "Ana"}
        if staff
        else {"id": "20978392", "is_staff": False, "name": "Lee"}
    )
    return zendesk_ticket_event(
        "comment_added",
        {"comment": {"id": cid, "body": body, "is_public": public, "author": author}},
        at,
    )


def body(payload: dict[str, Any]) -> bytes:
    """The raw body as a helpdesk would send it."""
    return json.dumps(payload).encode()
