"""Chatwoot conversation exports: the open-source help desk's JSON, mapped to transcripts.

Accepts one conversation object, a list of them, or the API's `{"payload": [...]}`.
Private notes are internal and never reach the grader; activity messages ("Assigned to Jane
by Bot") are kept as system turns because they show hand-offs the grade may depend on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader._errors import ImportFormatError, TranscriptError
from grader._transcript import Channel, Role, Transcript, Turn
from grader.importers._result import ImportResult, describe_validation_error
from grader.importers._source import load_json, parse_timestamp, read_text

__all__ = ["parse_chatwoot", "read_chatwoot"]

_MESSAGE_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
_SOCIAL = ("Twitter", "Facebook", "Whatsapp", "Instagram")


class _BadField(Exception):
    """A field of the source conversation that cannot be mapped; becomes one issue."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def channel_of(conversation: dict[str, Any]) -> Channel:
    """The Channel for Chatwoot's inbox type, e.g. "Channel::Email"; chat when unknown."""
    inbox = conversation.get("inbox")
    name = (
        conversation.get("channel")
        or _dict(conversation.get("meta")).get("channel")
        or (inbox.get("channel_type") if isinstance(inbox, dict) else inbox)
    )
    name = name if isinstance(name, str) else ""
    if "Voice" in name:
        return Channel.VOICE
    if name == "Channel::Email":
        return Channel.EMAIL
    if any(kind in name for kind in _SOCIAL):
        return Channel.SOCIAL
    return Channel.CHAT


def _message_type(value: Any, field: str) -> str:
    if isinstance(value, str) and value.strip().lower() in _MESSAGE_TYPES.values():
        return value.strip().lower()
    if isinstance(value, int) and not isinstance(value, bool) and value in _MESSAGE_TYPES:
        return _MESSAGE_TYPES[value]
    raise _BadField(field, f"unknown message_type {value!r}; expected 0-3 or {_names()}")


def _names() -> str:
    return ", ".join(_MESSAGE_TYPES.values())


def _sender_kind(message: dict[str, Any]) -> str:
    """'contact', 'user', 'agentbot' or '' from sender_type, else from sender.type."""
    kind = message.get("sender_type") or _dict(message.get("sender")).get("type") or ""
    return str(kind).replace("_", "").lower()


def _role(message_type: str, sender_kind: str) -> Role:
    if message_type == "incoming":
        return Role.CUSTOMER
    if message_type == "activity":
        return Role.SYSTEM
    # Outgoing and template messages: a human agent only when a User sent them; bots,
    # automation rules and API sends (no sender) speak for the company as a bot.
    return Role.AGENT if sender_kind == "user" else Role.BOT


def _turn(message: Any, index: int) -> Turn | None:
    """The message as a Turn, or None when it is not part of the visible conversation."""
    prefix = f"messages.{index}"
    if not isinstance(message, dict):
        raise _BadField(prefix, "expected a message object")
    content = message.get("content")
    if (
        message.get("private")
        or content is None
        or (isinstance(content, str) and not content.strip())
    ):
        return None
    if not isinstance(content, str):
        raise _BadField(f"{prefix}.content", f"expected text, got {type(content).__name__}")
    kind = _message_type(message.get("message_type"), f"{prefix}.message_type")
    if "created_at" not in message:
        raise _BadField(f"{prefix}.created_at", "missing: messages cannot be put in order")
    try:
        created = parse_timestamp(message["created_at"])
    except TranscriptError as exc:
        raise _BadField(f"{prefix}.created_at", str(exc)) from None
    sender_id = _dict(message.get("sender")).get("id", message.get("sender_id"))
    try:
        return Turn(
            role=_role(kind, _sender_kind(message)),
            text=content,
            timestamp=created,
            author_id=None if sender_id is None else str(sender_id),
        )
    except ValidationError as exc:
        _, problem = describe_validation_error(exc)
        raise _BadField(f"{prefix}.content", problem) from None


def _when(turn: Turn) -> datetime:
    return turn.timestamp or datetime.min.replace(tzinfo=UTC)


def _transcript(conversation: Any) -> Transcript:
    if not isinstance(conversation, dict):
        raise _BadField("", "expected a conversation object")
    if conversation.get("id") in (None, ""):
        raise _BadField("id", "missing conversation id")
    messages = conversation.get("messages")
    if not isinstance(messages, list):
        raise _BadField("messages", "expected a list of messages")
    turns = [turn for i, m in enumerate(messages) if (turn := _turn(m, i)) is not None]
    turns.sort(key=_when)  # exports are usually in order, but not always
    meta = _dict(conversation.get("meta"))
    labels = conversation.get("labels", meta.get("labels")) or []
    inbox = _dict(conversation.get("inbox"))
    return Transcript.model_validate(
        {
            "id": f"chatwoot-{conversation['id']}",
            "channel": channel_of(conversation),
            "turns": turns,
            "metadata": {
                "agent": _dict(meta.get("assignee")).get("name"),
                "customer": _name(_dict(meta.get("sender")).get("name")),  # masked, never graded
                "team": _dict(meta.get("team")).get("name"),
                "queue": inbox.get("name"),
                "tags": [str(label) for label in labels] if isinstance(labels, list) else [],
            },
        }
    )


def _name(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def parse_chatwoot(data: Any, source: str) -> ImportResult:
    """Transcripts from an already parsed Chatwoot export."""
    if isinstance(data, dict) and isinstance(data.get("payload"), list):
        data = data["payload"]
    if not isinstance(data, list | dict):
        raise ImportFormatError(f"{source}: expected Chatwoot conversation object(s)")
    conversations = data if isinstance(data, list) else [data]
    result = ImportResult()
    for index, conversation in enumerate(conversations):
        record = f"record {index}"
        try:
            transcript = _transcript(conversation)
        except _BadField as exc:
            result.issue(source, record, exc.message, field=exc.field or None)
            continue
        except ValidationError as exc:
            result.invalid(source, record, exc)
            continue
        result.add(transcript, source=source, record=record)
    return result


def read_chatwoot(path: str | Path) -> ImportResult:
    """Transcripts from a Chatwoot conversation export (`.json`)."""
    return parse_chatwoot(load_json(read_text(path), str(path)), str(path))
