"""The conversation so far, as a helpdesk has it when an agent asks for help.

Grading needs an agent turn; coaching does not: the customer has written, the agent has a
draft, nobody from the company has spoken yet. So a conversation file may hold customer
turns only. Any format `grader grade` reads works; a native JSON or JSONL file (an object
with `turns`, or a bare list of turns) whose turns are all the customer's is read here.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader._errors import InputError
from grader._transcript import Turn
from grader.importers import read_transcripts

__all__ = ["Conversation", "load_conversation"]


class Conversation(BaseModel):
    """Turns of one conversation, in order; customer-only is fine (not one to grade)."""

    model_config = ConfigDict(extra="ignore")

    id: str = ""
    turns: list[Turn] = Field(min_length=1)


def _native(path: Path, transcript_id: str | None) -> list[Turn] | None:
    """Turns from a native JSON/JSONL file, or None if it is not one."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    try:
        data = json.loads(text)
        records = data if isinstance(data, list) and data and "turns" in data[0] else [data]
    except json.JSONDecodeError:
        try:
            records = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            return None
    if records and isinstance(records[0], list):
        records = [{"turns": records[0]}]  # a bare list of turns
    for record in records:
        if not isinstance(record, dict):
            return None
        try:
            conversation = Conversation.model_validate(record)
        except ValidationError as exc:
            raise InputError(
                f"{path}: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}"
            ) from exc
        if transcript_id in (None, conversation.id):
            return conversation.turns
    raise InputError(f"{path}: no conversation with id '{transcript_id}'")


def load_conversation(path: str | Path, transcript_id: str | None = None) -> list[Turn]:
    """The turns of one conversation in `path` (the first, or the one with `transcript_id`)."""
    target = Path(path)
    result = read_transcripts(target)
    chosen = [t for t in result.transcripts if transcript_id in (None, t.id)]
    if chosen:
        return list(chosen[0].turns)
    if target.suffix.lower() in {".json", ".jsonl"} and (turns := _native(target, transcript_id)):
        return turns
    if transcript_id is not None and result.transcripts:
        raise InputError(f"{target}: no transcript with id '{transcript_id}'")
    problems = "; ".join(str(i) for i in result.issues) or "no conversation found"
    raise InputError(f"{target}: {problems}")
