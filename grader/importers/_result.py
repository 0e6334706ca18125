"""What an import gives back: the transcripts that loaded and, for every record that did not, why.

One bad record must not sink a whole file, so importers collect problems as `ImportIssue`s
instead of raising. Locations are human ones: "line 7" and "row 12" count from 1 as an editor
does; "record 3" is the 0-based index in a JSON list, matching field paths such as
`turns.2.role` (pydantic's) or `messages.4.content` (the source file's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from grader._errors import TranscriptError
from grader._transcript import Transcript

__all__ = ["ImportIssue", "ImportResult", "describe_validation_error"]


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One record that could not be imported: where it is, which field, and why."""

    source: str
    record: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ":".join(part for part in (self.source, self.record) if part)
        field_part = f"{self.field}: " if self.field else ""
        return f"{where}: {field_part}{self.message}"

    def to_error(self) -> TranscriptError:
        """The same problem as an exception, for callers that want to stop at the first one."""
        return TranscriptError(
            self.message, source=self.source, record=self.record, field=self.field or ""
        )


@dataclass(slots=True)
class ImportResult:
    """Transcripts read from one or more files, plus the issues met on the way.

    `origins` maps each transcript id to its (file, record), so a later report can point
    back at the input. Adding a transcript whose id is already present records an issue and keeps
    the first one: two records under one id would make grades ambiguous.
    """

    transcripts: list[Transcript] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    origins: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, transcript: Transcript, *, source: str, record: str) -> None:
        """Keep a transcript unless its id was already imported."""
        first = self.origins.get(transcript.id)
        if first is not None:
            self.issue(
                source,
                record,
                f"duplicate transcript id {transcript.id!r} (first seen at {':'.join(first)});"
                " skipped",
                field="id",
            )
            return
        self.transcripts.append(transcript)
        self.origins[transcript.id] = (source, record)

    def issue(self, source: str, record: str, message: str, *, field: str | None = None) -> None:
        """Record a problem with one record."""
        self.issues.append(ImportIssue(source=source, record=record, message=message, field=field))

    def invalid(self, source: str, record: str, error: ValidationError) -> None:
        """Record a pydantic validation failure as one issue naming its first bad field."""
        path, message = describe_validation_error(error)
        self.issue(source, record, message, field=path)

    def merge(self, other: ImportResult) -> None:
        """Append another result, checking its ids against the ones already here."""
        self.issues.extend(other.issues)
        for transcript in other.transcripts:
            source, record = other.origins[transcript.id]
            self.add(transcript, source=source, record=record)


def _path(loc: tuple[int | str, ...]) -> str | None:
    return ".".join(str(part) for part in loc) or None


def _message(error_message: str) -> str:
    # pydantic prefixes custom validator messages with "Value error, "; it adds nothing here.
    return error_message.removeprefix("Value error, ")


def describe_validation_error(error: ValidationError) -> tuple[str | None, str]:
    """The first failing field's dotted path and a message that also lists any others."""
    details = error.errors(include_url=False)
    first = details[0]
    message = _message(first["msg"])
    others = [f"{_path(d['loc']) or '(record)'}: {_message(d['msg'])}" for d in details[1:]]
    if others:
        message += "; also " + "; ".join(others)
    return _path(first["loc"]), message
