"""Zendesk tickets with their comments, as the Tickets and Ticket Comments APIs return them.

Each object is `{"ticket": {...}, "comments": [...], "users": [...]}`; a file holds one, a
list, or one per line (`.jsonl`). Non-public comments are internal notes and are skipped,
so the grade covers only what the customer saw.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader._errors import ImportFormatError, TranscriptError
from grader._transcript import Channel, Role, Transcript, Turn
from grader.importers._result import ImportResult, describe_validation_error
from grader.importers._source import iter_json_lines, load_json, parse_timestamp, read_text

__all__ = ["parse_zendesk", "parse_zendesk_lines", "read_zendesk"]

_CHANNELS = {
    "chat": Channel.CHAT,
    "native_messaging": Channel.CHAT,
    "sms": Channel.CHAT,
    "voice": Channel.VOICE,
    **{
        name: Channel.SOCIAL
        for name in ("twitter", "twitter_dm", "facebook", "facebook_post", "facebook_message")
    },
    **{
        name: Channel.SOCIAL for name in ("instagram_dm", "whatsapp", "line", "wechat", "messenger")
    },
}
_CSAT = {"good": 1.0, "bad": 0.0}


class _BadField(Exception):
    """A field of the source ticket that cannot be mapped; becomes one issue."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _key(value: Any) -> str | None:
    return None if value is None else str(value)


def _turn(comment: Any, index: int, requester: str | None, roles: dict[str, str]) -> Turn | None:
    """The public comment as a Turn; None for internal notes and empty bodies."""
    prefix = f"comments.{index}"
    if not isinstance(comment, dict):
        raise _BadField(prefix, "expected a comment object")
    body = comment.get("plain_body") or comment.get("body")
    if (
        comment.get("public") is False
        or body is None
        or (isinstance(body, str) and not body.strip())
    ):
        return None
    if not isinstance(body, str):
        raise _BadField(f"{prefix}.body", f"expected text, got {type(body).__name__}")
    if "created_at" not in comment:
        raise _BadField(f"{prefix}.created_at", "missing: comments cannot be put in order")
    try:
        created = parse_timestamp(comment["created_at"])
    except TranscriptError as exc:
        raise _BadField(f"{prefix}.created_at", str(exc)) from None
    author = _key(comment.get("author_id"))
    is_customer = author is not None and (author == requester or roles.get(author) == "end-user")
    try:
        return Turn(
            role=Role.CUSTOMER if is_customer else Role.AGENT,
            text=body,
            timestamp=created,
            author_id=author,
        )
    except ValidationError as exc:
        _, problem = describe_validation_error(exc)
        raise _BadField(f"{prefix}.body", problem) from None


def _when(turn: Turn) -> datetime:
    return turn.timestamp or datetime.min.replace(tzinfo=UTC)


def _transcript(item: Any) -> Transcript:
    ticket = _dict(item.get("ticket")) if isinstance(item, dict) else {}
    if not ticket:
        raise _BadField("ticket", "expected an object with a 'ticket' object")
    if ticket.get("id") in (None, ""):
        raise _BadField("ticket.id", "missing ticket id")
    comments = item.get("comments")
    if not isinstance(comments, list):
        raise _BadField("comments", "expected a list of comments")
    users = [u for u in item.get("users") or [] if isinstance(u, dict) and "id" in u]
    roles = {str(u["id"]): str(u.get("role", "")) for u in users}
    names = {str(u["id"]): u.get("name") for u in users}
    requester = _key(ticket.get("requester_id"))
    turns = [t for i, c in enumerate(comments) if (t := _turn(c, i, requester, roles)) is not None]
    turns.sort(key=_when)
    via = str(_dict(ticket.get("via")).get("channel") or "").lower()
    score = str(_dict(ticket.get("satisfaction_rating")).get("score") or "").lower()
    tags = ticket.get("tags")
    return Transcript.model_validate(
        {
            "id": f"zendesk-{ticket['id']}",
            "channel": _CHANNELS.get(via, Channel.EMAIL),  # web forms, email, api: tickets
            "turns": turns,
            "metadata": {
                "agent": names.get(_key(ticket.get("assignee_id")) or ""),
                "customer": names.get(requester or ""),  # masked before a hosted model
                "tags": [str(tag) for tag in tags] if isinstance(tags, list) else [],
                "csat": _CSAT.get(score),
            },
        }
    )


def _take(result: ImportResult, item: Any, source: str, record: str) -> None:
    try:
        transcript = _transcript(item)
    except _BadField as exc:
        result.issue(source, record, exc.message, field=exc.field)
        return
    except ValidationError as exc:
        result.invalid(source, record, exc)
        return
    result.add(transcript, source=source, record=record)


def parse_zendesk(data: Any, source: str) -> ImportResult:
    """Transcripts from an already parsed Zendesk `.json` document: one ticket or a list."""
    if not isinstance(data, list | dict):
        raise ImportFormatError(f"{source}: expected Zendesk ticket object(s)")
    result = ImportResult()
    for index, item in enumerate(data if isinstance(data, list) else [data]):
        _take(result, item, source, f"record {index}")
    return result


def read_zendesk(path: str | Path) -> ImportResult:
    """Transcripts from Zendesk tickets with comments: `.json` (one or a list) or `.jsonl`."""
    source = str(path)
    text = read_text(path)
    if Path(path).suffix.lower() == ".jsonl":
        return parse_zendesk_lines(text, source)
    return parse_zendesk(load_json(text, source), source)


def parse_zendesk_lines(text: str, source: str) -> ImportResult:
    """Transcripts from JSON Lines text with one Zendesk ticket object per line."""
    result = ImportResult()
    for number, item in iter_json_lines(text):
        if isinstance(item, json.JSONDecodeError):
            result.issue(
                source, f"line {number}", f"invalid JSON at column {item.colno}: {item.msg}"
            )
        else:
            _take(result, item, source, f"line {number}")
    return result
