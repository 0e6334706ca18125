"""Uploads reach the disk in chunks and are read back a record at a time.

A 200 MB export must not sit in memory: the request body is written to a spool file while
its SHA-256 is computed (the idempotency check compares hashes, not bodies), then the file
is parsed lazily with the project's importers, one JSON line or one group of CSV rows at a
time. A record that cannot be read becomes a failed item naming where and why.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import tempfile
from collections.abc import AsyncIterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from grader._errors import ImportFormatError
from grader._transcript import Transcript
from grader.importers import read_csv
from grader.importers._csv import REQUIRED_COLUMNS
from grader.importers._jsonl import parse_native_lines
from grader.importers._result import ImportResult
from grader.importers._zendesk import parse_zendesk_lines

__all__ = [
    "UPLOAD_FORMATS",
    "Record",
    "Spooled",
    "UploadTooLargeError",
    "check_header",
    "iter_records",
    "spool",
]

#: What a bulk upload may be: the native transcript JSON Lines (or Zendesk tickets, one per
#: line) and CSV with one message per row.
UPLOAD_FORMATS = ("jsonl", "csv")
#: Conversations parsed per CSV batch; bounds the memory of a CSV upload.
_CSV_BATCH = 200


class UploadTooLargeError(ImportFormatError):
    """The upload is over the configured size limit."""


@dataclass(frozen=True)
class Spooled:
    """An upload written to disk: where, how big, and its SHA-256."""

    path: Path
    size: int
    sha256: str


async def spool(chunks: AsyncIterable[bytes], directory: Path, *, max_bytes: int) -> Spooled:
    """Write `chunks` to a new file in `directory`, hashing as it goes; never holds the body."""
    handle = await asyncio.to_thread(_new_spool_file, directory)
    path = Path(handle.name)
    digest = hashlib.sha256()
    size = 0
    try:
        with handle:
            async for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadTooLargeError(
                        f"upload is over the {max_bytes} byte limit; split the file"
                    )
                digest.update(chunk)
                await asyncio.to_thread(handle.write, chunk)
    except BaseException:
        await asyncio.to_thread(path.unlink, missing_ok=True)
        raise
    return Spooled(path, size, digest.hexdigest())


def _new_spool_file(directory: Path) -> IO[bytes]:
    directory.mkdir(parents=True, exist_ok=True)
    return tempfile.NamedTemporaryFile(dir=directory, prefix="upload-", delete=False)


@dataclass(frozen=True, slots=True)
class Record:
    """One record of an upload: a transcript, or the reason it could not be read."""

    record: str
    transcript: Transcript | None
    problem: str | None = None


def check_header(path: Path, format: str) -> None:
    """Refuse at once a file that cannot be read at all (wrong encoding, CSV header)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as file:
            first = file.readline()
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"upload is not UTF-8 text (byte {exc.start})") from exc
    if format == "csv":
        header = [cell.strip().lower() for cell in next(csv.reader([first]), [])]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ImportFormatError(
                f"CSV upload is missing required column(s) {', '.join(missing)};"
                f" found: {', '.join(header) or 'no header'}"
            )
    elif format not in UPLOAD_FORMATS:
        raise ImportFormatError(
            f"unknown upload format {format!r}; expected one of {', '.join(UPLOAD_FORMATS)}"
        )


def iter_records(path: Path, format: str, *, source: str = "upload") -> Iterator[Record]:
    """Every record of the file, in order, read lazily; a repeated transcript id fails."""
    records = _iter_jsonl(path, source) if format == "jsonl" else _iter_csv(path, source)
    seen: dict[str, str] = {}
    for record in records:
        transcript = record.transcript
        if transcript is not None:
            first = seen.setdefault(transcript.id, record.record)
            if first != record.record:
                yield Record(
                    record.record,
                    None,
                    f"duplicate transcript id {transcript.id!r} (first at {first}); skipped",
                )
                continue
        yield record


def _one(result: ImportResult, record: str) -> Record:
    if result.transcripts:
        return Record(record, result.transcripts[0])
    issue = result.issues[0]
    field = f"{issue.field}: " if issue.field else ""
    return Record(record, None, f"{field}{issue.message}")


def _iter_jsonl(path: Path, source: str) -> Iterator[Record]:
    """Native transcripts, or Zendesk tickets when the first record is one (as the CLI)."""
    parse = None
    with path.open(encoding="utf-8-sig") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            if parse is None:
                parse = parse_zendesk_lines if _is_ticket(line) else parse_native_lines
            yield _one(parse(line, source), f"line {number}")


def _is_ticket(line: str) -> bool:
    try:
        value = json.loads(line)
    except json.JSONDecodeError:
        return False
    return isinstance(value, dict) and "ticket" in value


def _iter_csv(path: Path, source: str) -> Iterator[Record]:
    """CSV rows grouped into conversations a batch at a time, each batch read by `read_csv`.

    A conversation's rows must be together (as exports write them); rows of a conversation
    that resume after others are reported, since its first part was already taken.
    """
    with path.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.reader(file)
        header = next(reader, [])
        names = [cell.strip().lower() for cell in header]
        column = names.index("conversation_id") if "conversation_id" in names else 0
        batch: list[tuple[int, list[str]]] = []
        batch_ids: set[str] = set()
        closed: set[str] = set()
        try:
            for number, cells in enumerate(reader, start=2):
                cid = cells[column].strip() if column < len(cells) else ""
                if cid and cid in closed:
                    yield Record(
                        f"row {number}",
                        None,
                        f"conversation {cid!r} resumes after other conversations; a bulk CSV"
                        " needs each conversation's rows together (sort by conversation_id)",
                    )
                    continue
                if cid not in batch_ids and len(batch_ids) >= _CSV_BATCH:
                    yield from _csv_batch(header, batch, path.parent, source)
                    closed |= batch_ids
                    batch, batch_ids = [], set()
                batch.append((number, cells))
                if cid:
                    batch_ids.add(cid)
        except csv.Error as exc:
            raise ImportFormatError(f"malformed CSV near line {reader.line_num}: {exc}") from exc
        yield from _csv_batch(header, batch, path.parent, source)


def _csv_batch(
    header: list[str], batch: list[tuple[int, list[str]]], directory: Path, source: str
) -> Iterator[Record]:
    if not batch:
        return
    numbers = [number for number, _ in batch]

    def original(record: str) -> str:
        kind, _, value = record.partition(" ")
        if kind == "row" and value.isdigit() and 2 <= int(value) < len(numbers) + 2:
            return f"row {numbers[int(value) - 2]}"
        return record

    with tempfile.NamedTemporaryFile(
        "w", dir=directory, suffix=".csv", encoding="utf-8", newline="", delete=False
    ) as part:
        writer = csv.writer(part)
        writer.writerow(header)
        writer.writerows(cells for _, cells in batch)
    try:
        result = read_csv(part.name)
    finally:
        Path(part.name).unlink(missing_ok=True)
    for issue in result.issues:
        field = f"{issue.field}: " if issue.field else ""
        yield Record(original(issue.record), None, f"{field}{issue.message}")
    for transcript in result.transcripts:
        yield Record(original(result.origins[transcript.id][1]), transcript)
