"""Reading an input file the same careful way for every format.

Whole-file problems (missing, unreadable, not UTF-8, too large, not JSON at all) leave
nothing to salvage, so they raise `ImportFormatError` naming the file; problems inside one
record are the importers' business and become issues.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader._errors import ImportFormatError, TranscriptError

__all__ = ["MAX_FILE_BYTES", "iter_json_lines", "load_json", "parse_timestamp", "read_text"]

#: Larger inputs are refused: split them, or they would be held in memory whole.
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8; a leading byte-order mark (Excel writes one) is dropped."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFormatError(
                f"{file}: {size} bytes is over the {MAX_FILE_BYTES // (1024 * 1024)} MB limit;"
                " split the file"
            )
        data = file.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"{file}: cannot read file: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(
            f"{file}: not UTF-8 text (byte {exc.start}); re-save it as UTF-8"
        ) from exc


def load_json(text: str, source: str) -> Any:
    """The one JSON document in `text`, or an `ImportFormatError` saying where it broke."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{source}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc


def iter_json_lines(text: str) -> Iterator[tuple[int, Any | json.JSONDecodeError]]:
    """(1-based line number, parsed value or the decode error) for each non-blank line."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, exc


def parse_timestamp(value: object) -> datetime:
    """An aware datetime from unix seconds or ISO 8601; a time without offset is taken as UTC.

    Exports from help desks are in UTC, and aware times keep sorting and gap arithmetic safe.
    A value that is neither raises `TranscriptError` (the importers make it an issue).
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TranscriptError(f"expected unix seconds or an ISO 8601 time, got {value!r}")
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_timestamp(float(text)) if text.isdigit() else _iso(text)
        except ValueError:
            raise TranscriptError(f"not an ISO 8601 time or unix seconds: {value!r}") from None
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise TranscriptError(f"unix time out of range: {value!r}") from None


def _iso(text: str) -> datetime:
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
