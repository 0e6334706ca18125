"""Inputs of a grading: transcripts from files or a request body, and the rubric to use.

The API and the CLI read through the same importers (native JSON/JSONL, CSV rows,
Chatwoot, Zendesk), so a file that grades on the command line grades over HTTP too.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from grader._errors import ImportFormatError
from grader._rubric import Rubric, default_rubric, load_rubric
from grader._settings import Settings
from grader.importers import FORMATS, ImportIssue, ImportResult, read_transcripts

__all__ = ["CONTENT_TYPES", "format_for", "load_inputs", "read_body", "resolve_rubric"]

#: Media types and the importer each means; JSON is told apart (native, Chatwoot, Zendesk).
CONTENT_TYPES = {
    "application/json": None,
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/csv": "csv",
}
_SUFFIX = {"jsonl": ".jsonl", "json": ".json", "csv": ".csv", "chatwoot": ".json",
           "zendesk": ".json"}  # fmt: skip
_BODY = "request body"


def load_inputs(inputs: list[Path], fmt: str | None = None) -> ImportResult:
    """Every input read; bad records become issues, a transcript id seen twice keeps the first."""
    result = ImportResult()
    for path in inputs:
        result.merge(read_transcripts(path, fmt))
    return result


def resolve_rubric(
    path: Path | None, settings: Settings, elements: list[str] | None = None
) -> Rubric:
    """The rubric from the argument, the settings, or the shipped default; cut to `elements`."""
    chosen = path or settings.rubric_path
    rubric = load_rubric(chosen) if chosen else default_rubric()
    return rubric.focused(elements) if elements else rubric


def format_for(content_type: str | None, fmt: str | None) -> tuple[str | None, str]:
    """(importer format, file suffix) for a body: an explicit `fmt` wins over the media type."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ImportFormatError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt, _SUFFIX[fmt]
    media = (content_type or "").split(";")[0].strip().lower()
    if media not in CONTENT_TYPES:
        known = ", ".join(CONTENT_TYPES)
        raise ImportFormatError(
            f"content type {media or '(none)'!r}: send one of {known}, or say format="
            f"{'|'.join(FORMATS)}"
        )
    chosen = CONTENT_TYPES[media]
    return chosen, _SUFFIX[chosen] if chosen else ".json"


def read_body(body: bytes, content_type: str | None, fmt: str | None = None) -> ImportResult:
    """Transcripts from a request body, through the file importers; messages name the body."""
    chosen, suffix = format_for(content_type, fmt)
    if not body.strip():
        raise ImportFormatError("the request body is empty")
    with tempfile.TemporaryDirectory(prefix="grader-body-") as folder:
        path = Path(folder) / f"body{suffix}"
        path.write_bytes(body)
        try:
            result = read_transcripts(path, chosen)
        except ImportFormatError as exc:
            raise ImportFormatError(str(exc).replace(str(path), _BODY)) from None
    result.issues = [
        ImportIssue(_BODY, i.record, i.field, i.message.replace(str(path), _BODY))
        for i in result.issues
    ]
    return result
