"""One entry point for every input: pick the importer from the format name or the file itself.

Users point the grader at a file or a folder of exports; making them name the format each
time would be friction, so the extension and a peek at the content decide unless told.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from grader._errors import ImportFormatError
from grader.importers._chatwoot import parse_chatwoot, read_chatwoot
from grader.importers._csv import read_csv
from grader.importers._jsonl import parse_native, parse_native_lines, read_json, read_jsonl
from grader.importers._result import ImportResult
from grader.importers._source import iter_json_lines, load_json, read_text
from grader.importers._zendesk import parse_zendesk, parse_zendesk_lines, read_zendesk

__all__ = ["EXTENSIONS", "FORMATS", "detect_json", "read_transcripts"]

#: Format names `read_transcripts` accepts; "json" and "jsonl" are the native Transcript JSON.
FORMATS = ("jsonl", "json", "csv", "chatwoot", "zendesk")
#: Files a folder is searched for, without and with a format.
EXTENSIONS = (".json", ".jsonl", ".csv")
_FORMAT_EXTENSIONS = {
    "jsonl": (".jsonl",),
    "json": (".json",),
    "csv": (".csv",),
    "chatwoot": (".json",),
    "zendesk": (".json", ".jsonl"),
}

_READERS = {
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "chatwoot": read_chatwoot,
    "zendesk": read_zendesk,
}


def read_transcripts(path: str | Path, format: str | None = None) -> ImportResult:
    """Transcripts from a file, or from every .json/.jsonl/.csv file directly in a folder.

    `format` is one of FORMATS; without it the extension and content decide. With it, a
    folder is searched only for that format's extensions. A transcript id seen twice becomes
    an issue on the later record; the first is kept.
    """
    if format is not None and format not in FORMATS:
        raise ImportFormatError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    target = Path(path)
    if not target.is_dir():
        return _read_file(target, format)
    wanted = _FORMAT_EXTENSIONS[format] if format else EXTENSIONS
    files = sorted(p for p in target.iterdir() if p.is_file() and p.suffix.lower() in wanted)
    if not files:
        raise ImportFormatError(f"{target}: no {', '.join(wanted)} files in this folder")
    result = ImportResult()
    for file in files:
        result.merge(_read_file(file, format))
    return result


def _read_file(file: Path, format: str | None) -> ImportResult:
    if format is not None:
        return _READERS[format](file)
    suffix = file.suffix.lower()
    source = str(file)
    if suffix == ".csv":
        return read_csv(file)
    if suffix == ".jsonl":
        text = read_text(file)
        first = next((value for _, value in iter_json_lines(text)), None)
        if isinstance(first, dict) and "ticket" in first:
            return parse_zendesk_lines(text, source)
        return parse_native_lines(text, source)
    if suffix == ".json":
        data = load_json(read_text(file), source)
        kind = detect_json(data)
        parse = {"chatwoot": parse_chatwoot, "zendesk": parse_zendesk}.get(kind, parse_native)
        return parse(data, source)
    raise ImportFormatError(
        f"{file}: cannot tell the format from the extension {suffix or '(none)'!r};"
        f" use {', '.join(EXTENSIONS)} or pass a format ({', '.join(FORMATS)})"
    )


def detect_json(data: Any) -> str:
    """'chatwoot', 'zendesk' or 'json' (native) for a parsed JSON document."""
    first = data[0] if isinstance(data, list) and data else data
    if not isinstance(first, dict):
        return "json"
    if "ticket" in first:
        return "zendesk"
    if isinstance(first.get("payload"), list):
        return "chatwoot"
    messages = first.get("messages")
    if isinstance(messages, list) and any(
        isinstance(m, dict) and "message_type" in m for m in messages
    ):
        return "chatwoot"
    return "json"
