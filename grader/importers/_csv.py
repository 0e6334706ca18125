"""CSV with one message per row: what spreadsheets and most BI exports produce.

Rows are grouped into conversations by `conversation_id`, in file order. A bad cell drops
its whole conversation (a transcript with a hole in it would be graded wrongly) and is
reported by row and column; other conversations still import.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader._errors import ImportFormatError, TranscriptError
from grader._transcript import Channel, Transcript, Turn
from grader.importers._result import ImportIssue, ImportResult, describe_validation_error
from grader.importers._source import parse_timestamp, read_text

__all__ = ["OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "read_csv"]

REQUIRED_COLUMNS = ("conversation_id", "role", "text")
OPTIONAL_COLUMNS = (
    *("timestamp", "author_id", "channel"),
    *("agent", "customer", "customer_address", "team", "location", "queue", "tags", "csat"),
)
_TAG_SEPARATORS = re.compile(r"[;|]")
_Row = dict[str, str]


@dataclass
class _Conversation:
    first_row: int
    turns: list[Turn] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    problems: list[ImportIssue] = field(default_factory=list)


def _cell(row: _Row, column: str) -> str:
    return row.get(column, "").strip()


def _turn(row: _Row, number: int, source: str, conv: _Conversation) -> None:
    """Add the row's message to `conv`, or note why it cannot be."""
    stamp = _cell(row, "timestamp")
    values: dict[str, Any] = {
        "role": _cell(row, "role").lower(),
        "text": row.get("text") or "",
        "author_id": _cell(row, "author_id") or None,
        "timestamp": None,
    }
    record = f"row {number}"
    if stamp:
        try:
            values["timestamp"] = parse_timestamp(stamp)
        except TranscriptError as exc:
            conv.problems.append(ImportIssue(source, record, "timestamp", str(exc)))
            return
    try:
        conv.turns.append(Turn.model_validate(values))
    except ValidationError as exc:
        column, message = describe_validation_error(exc)
        conv.problems.append(ImportIssue(source, record, column, message))


def _conversation_fields(row: _Row, number: int, source: str, conv: _Conversation) -> None:
    """Take per-conversation columns from the first row that fills them."""
    for column in ("channel", "agent", "team", "location", "queue", "csat"):
        value = _cell(row, column)
        if not value or column in conv.fields:
            continue
        try:
            conv.fields[column] = _convert(column, value)
        except ValueError as exc:
            conv.problems.append(ImportIssue(source, f"row {number}", column, str(exc)))
    for tag in _TAG_SEPARATORS.split(_cell(row, "tags")):
        if tag.strip() and tag.strip() not in conv.tags:
            conv.tags.append(tag.strip())


def _convert(column: str, value: str) -> Any:
    if column == "csat":
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"not a number: {value!r}") from None
    if column == "channel":
        try:
            return Channel(value.lower())
        except ValueError:
            choices = ", ".join(c.value for c in Channel)
            raise ValueError(f"unknown channel {value!r}; expected one of {choices}") from None
    return value


def _build(conversation_id: str, conv: _Conversation, source: str, result: ImportResult) -> None:
    record = f"row {conv.first_row}"
    if conv.problems:
        for problem in conv.problems:
            result.issue(
                problem.source,
                problem.record,
                f"{problem.message} (conversation {conversation_id!r} skipped)",
                field=problem.field,
            )
        return
    metadata = {k: v for k, v in conv.fields.items() if k != "channel"}
    payload: dict[str, Any] = {
        "id": conversation_id,
        "channel": conv.fields.get("channel", Channel.CHAT),
        "turns": conv.turns,
        "metadata": {**metadata, "tags": conv.tags},
    }
    try:
        transcript = Transcript.model_validate(payload)
    except ValidationError as exc:
        column, message = describe_validation_error(exc)
        result.issue(source, record, f"conversation {conversation_id!r}: {message}", field=column)
        return
    result.add(transcript, source=source, record=record)


def read_csv(path: str | Path) -> ImportResult:
    """Transcripts from a CSV file with one message per row (header row required)."""
    source = str(path)
    reader = csv.reader(io.StringIO(read_text(path), newline=""))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
    except csv.Error as exc:
        raise ImportFormatError(f"{source}: malformed CSV header: {exc}") from exc
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFormatError(
            f"{source}: missing required column(s) {', '.join(missing)};"
            f" found: {', '.join(header) or 'no header'}"
        )
    conversations: dict[str, _Conversation] = {}
    result = ImportResult()
    try:
        # Rows are records, counted like a spreadsheet's: a quoted multi-line cell is one row.
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            row = dict(zip(header, cells, strict=False))
            conversation_id = _cell(row, "conversation_id")
            if not conversation_id:
                result.issue(
                    source, f"row {number}", "conversation_id is empty", field="conversation_id"
                )
                continue
            conv = conversations.setdefault(conversation_id, _Conversation(first_row=number))
            _conversation_fields(row, number, source, conv)
            _turn(row, number, source, conv)
    except csv.Error as exc:
        raise ImportFormatError(
            f"{source}: malformed CSV near line {reader.line_num}: {exc}"
        ) from exc
    for conversation_id, conv in conversations.items():
        _build(conversation_id, conv, source, result)
    return result
