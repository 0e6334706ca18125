"""The native format: Transcript objects as JSON, so nothing is lost in translation.

`.jsonl` holds one object per line and a broken line costs only that line; `.json` holds one
object or a list of them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader._transcript import Transcript
from grader.importers._result import ImportResult
from grader.importers._source import iter_json_lines, load_json, read_text

__all__ = ["parse_native", "parse_native_lines", "read_json", "read_jsonl"]


def _take(result: ImportResult, value: Any, source: str, record: str) -> None:
    try:
        transcript = Transcript.model_validate(value)
    except ValidationError as exc:
        result.invalid(source, record, exc)
        return
    result.add(transcript, source=source, record=record)


def read_jsonl(path: str | Path) -> ImportResult:
    """Transcripts from a JSON Lines file, one per non-blank line."""
    return parse_native_lines(read_text(path), str(path))


def parse_native_lines(text: str, source: str) -> ImportResult:
    """Transcripts from JSON Lines text; a line that is not JSON is an issue for it alone."""
    result = ImportResult()
    for number, value in iter_json_lines(text):
        record = f"line {number}"
        if isinstance(value, json.JSONDecodeError):
            result.issue(source, record, f"invalid JSON at column {value.colno}: {value.msg}")
        else:
            _take(result, value, source, record)
    return result


def parse_native(data: Any, source: str) -> ImportResult:
    """Transcripts from an already parsed `.json` document: one object or a list."""
    result = ImportResult()
    records = data if isinstance(data, list) else [data]
    for index, value in enumerate(records):
        _take(result, value, source, f"record {index}")
    return result


def read_json(path: str | Path) -> ImportResult:
    """Transcripts from a `.json` file holding one Transcript object or a list of them."""
    return parse_native(load_json(read_text(path), str(path)), str(path))
