"""Streaming writers for grades: JSONL (everything) or CSV (one flat row per transcript)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any, Protocol

from grader._errors import InputError
from grader._results import Grade
from grader._rubric import Rubric

__all__ = ["GradeWriter", "open_writer"]


class GradeWriter(Protocol):
    """Writes grades as they arrive; flushed after each, so a crash loses nothing written."""

    def write(self, grade: Grade) -> None: ...

    def close(self) -> None: ...


class _JsonlWriter:
    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle

    def write(self, grade: Grade) -> None:
        self._handle.write(grade.model_dump_json() + "\n")
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def csv_row(grade: Grade, rubric: Rubric) -> dict[str, Any]:
    """A flat row: ids, status, scores per dimension and element, flags, usage."""
    row: dict[str, Any] = {
        "transcript_id": grade.transcript_id,
        "status": grade.status,
        "error": grade.error or "",
        "overall": grade.overall,
        "auto_failed": grade.auto_failed,
        "inquiry_type": grade.scenario.inquiry_type if grade.scenario else "",
        "customer_state": grade.scenario.customer_state if grade.scenario else "",
        "weight_profile": grade.weight_profile or "",
    }
    dims = {d.dimension_id: d.score for d in grade.dimensions}
    row.update({f"dim:{d.id}": dims.get(d.id) for d in rubric.dimensions})
    verdicts = {v.element_id: v for v in grade.verdicts}
    for el in rubric.elements:
        v = verdicts.get(el.id)
        row[f"el:{el.id}"] = "" if v is None else ("na" if v.score is None else v.score)
    row.update(
        {
            "flags": " ".join(grade.flags),
            "model": grade.model,
            "rubric_version": grade.rubric_version,
            "calls": grade.usage.calls,
            "prompt_tokens": grade.usage.prompt_tokens,
            "completion_tokens": grade.usage.completion_tokens,
            "cost_usd": grade.usage.cost_usd,
            "seconds": grade.seconds,
        }
    )
    return row


class _CsvWriter:
    def __init__(self, handle: IO[str], rubric: Rubric) -> None:
        self._handle = handle
        self._rubric = rubric
        self._writer: csv.DictWriter[str] | None = None

    def write(self, grade: Grade) -> None:
        row = csv_row(grade, self._rubric)
        if self._writer is None:
            self._writer = csv.DictWriter(self._handle, fieldnames=list(row))
            self._writer.writeheader()
        self._writer.writerow(row)
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()


def open_writer(path: Path, rubric: Rubric) -> GradeWriter:
    """A writer chosen by the file's suffix (.jsonl or .csv)."""
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise InputError(f"--out {path}: use a .jsonl or .csv file")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w", encoding="utf-8", newline="")
    return _CsvWriter(handle, rubric) if suffix == ".csv" else _JsonlWriter(handle)
