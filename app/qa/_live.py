"""Transcripts from what a helpdesk's webhooks carried, through the project's importers.

A Chatwoot resolution carries the conversation's last message, a Zendesk status change
none; the messages seen in earlier message or comment events fill in the rest (merged by
id, so a retried event counts once). Team and location come from the helpdesk's fields where it has them.
"""

from __future__ import annotations

from typing import Any

from app.qa._webhooks import Resolved, WebhookPayloadError
from grader._transcript import Transcript
from grader.importers._chatwoot import parse_chatwoot
from grader.importers._zendesk import parse_zendesk

__all__ = ["live_transcript"]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _one(result: Any, source: str) -> Transcript:
    if not result.transcripts:
        problems = "; ".join(str(issue) for issue in result.issues) or "no transcript"
        raise WebhookPayloadError(f"{source}: cannot build a transcript: {problems}")
    transcript: Transcript = result.transcripts[0]
    return transcript


def _chatwoot(resolved: Resolved, earlier: list[dict[str, Any]]) -> Transcript:
    payload = resolved.conversation
    messages: dict[str, dict[str, Any]] = {}
    for message in [*earlier, *(payload.get("messages") or [])]:
        if isinstance(message, dict) and message.get("id") is not None:
            messages[str(message["id"])] = message
    conversation = {
        "id": payload["id"],
        "channel": payload.get("channel"),
        "meta": payload.get("meta"),
        "labels": payload.get("labels"),
        "messages": list(messages.values()),
    }
    transcript = _one(parse_chatwoot(conversation, "chatwoot webhook"), "chatwoot webhook")
    attributes = {
        **_dict(payload.get("additional_attributes")),
        **_dict(payload.get("custom_attributes")),
    }
    location = attributes.get("location")
    if isinstance(location, str) and location.strip():
        transcript.metadata.location = location.strip()
    return transcript


def _zendesk(resolved: Resolved, earlier: list[dict[str, Any]]) -> Transcript:
    payload = resolved.conversation
    comments: dict[str, dict[str, Any]] = {}
    for comment in [*earlier, *(payload.get("comments") or [])]:
        if isinstance(comment, dict):
            comments[str(comment.get("id", len(comments)))] = comment
    users = {
        str(u["id"]): u for u in payload.get("users") or [] if isinstance(u, dict) and "id" in u
    }
    for comment in earlier:  # ticket events name each comment's author and whether staff
        author = _dict(comment.get("author"))
        if comment.get("author_id") is not None and str(comment["author_id"]) not in users:
            role = "agent" if author.get("is_staff") else "end-user"
            users[str(comment["author_id"])] = {
                "id": comment["author_id"],
                "name": author.get("name"),
                "role": role,
            }
    merged = {**payload, "comments": list(comments.values()), "users": list(users.values())}
    transcript = _one(parse_zendesk(merged, "zendesk webhook"), "zendesk webhook")
    ticket = _dict(payload.get("ticket"))
    team = ticket.get("group_name") or _dict(ticket.get("group")).get("name")
    if isinstance(team, str) and team.strip():
        transcript.metadata.team = team.strip()
    return transcript


def live_transcript(resolved: Resolved, earlier: list[dict[str, Any]] | None = None) -> Transcript:
    """The transcript to grade for a resolved conversation or solved ticket."""
    if resolved.provider == "chatwoot":
        return _chatwoot(resolved, earlier or [])
    return _zendesk(resolved, earlier or [])
