"""Load model answers and policies from JSONL, CSV or YAML into the store.

Every record is validated on its own: a bad one is reported with its file, line and reason
and skipped, so it never hides the rest of the file. Upserts are by id and idempotent: an
unchanged record is neither embedded nor written again. New or changed records that say
nearly the same thing as another one (cosine similarity >= 0.95) are reported, since a
library full of paraphrases retrieves the same advice three times.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from pydantic import ValidationError

from grader._errors import ImportFormatError, InputError
from retrieval._records import ModelAnswer, Policy
from retrieval._store import KnowledgeStore, RecordKind, UpsertCounts

__all__ = [
    "DUPLICATE_SIMILARITY",
    "IngestReport",
    "NearDuplicate",
    "RecordIssue",
    "ingest_file",
    "read_records",
]

DUPLICATE_SIMILARITY = 0.95
_MODELS: dict[str, type[ModelAnswer] | type[Policy]] = {
    "model_answers": ModelAnswer,
    "policies": Policy,
}
Located = tuple[int, dict[str, Any], dict[str, int]]  # line, raw record, field -> line


@dataclass(frozen=True)
class RecordIssue:
    """A record that was skipped: where it is and why."""

    source: str
    line: int
    record: str
    message: str

    def __str__(self) -> str:
        label = f" ({self.record})" if self.record else ""
        return f"{self.source}:{self.line}{label}: {self.message}"


@dataclass(frozen=True)
class NearDuplicate:
    """Two records that say nearly the same thing."""

    id: str
    other_id: str
    similarity: float


@dataclass(frozen=True)
class IngestReport:
    """What one file did to the store."""

    kind: RecordKind
    source: str
    counts: UpsertCounts = field(default_factory=UpsertCounts)
    issues: list[RecordIssue] = field(default_factory=list)
    near_duplicates: list[NearDuplicate] = field(default_factory=list)


def _jsonl(path: Path, text: str) -> Iterator[Located | RecordIssue]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RecordIssue(str(path), number, "", f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(data, dict):
            yield RecordIssue(str(path), number, "", "a record is a JSON object")
            continue
        yield number, data, {}


def _csv(path: Path, text: str) -> Iterator[Located | RecordIssue]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        raise ImportFormatError(f"{path}: a CSV file needs a header row with an 'id' column")
    start = 2
    for row in reader:
        extra = row.pop(None, None)
        if extra:
            yield RecordIssue(
                str(path),
                start,
                str(row.get("id") or ""),
                f"{len(extra)} more cell(s) than the header has columns",
            )
        else:
            yield start, {k: v for k, v in row.items() if v not in (None, "")}, {}
        start = reader.line_num + 1


def _yaml(path: Path, text: str) -> Iterator[Located | RecordIssue]:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ImportFormatError(f"{path}:{where} not valid YAML ({exc})") from exc
    if isinstance(root, yaml.MappingNode) and isinstance(data, dict) and len(data) == 1:
        root = root.value[0][1]  # {model_answers: [...]} is accepted too
        data = next(iter(data.values()))
    if not isinstance(root, yaml.SequenceNode) or not isinstance(data, list):
        raise ImportFormatError(f"{path}: a YAML file holds a list of records")
    for node, item in zip(root.value, data, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(node, yaml.MappingNode):
            yield RecordIssue(str(path), line, "", "a record is a mapping of fields")
            continue
        lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value}
        yield line, item, lines


_READERS = {".jsonl": _jsonl, ".csv": _csv, ".yaml": _yaml, ".yml": _yaml}


def _problem(exc: ValidationError) -> tuple[str, str]:
    """The first field at fault and every reason, as one line."""
    errors = exc.errors()
    first = str(errors[0]["loc"][0]) if errors and errors[0]["loc"] else ""
    reasons = "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in errors
    )
    return first, reasons


def read_records(
    path: str | Path, kind: RecordKind
) -> tuple[list[ModelAnswer] | list[Policy], list[RecordIssue]]:
    """Valid records of `kind` from a .jsonl, .csv or .yaml file, and an issue for each bad one.

    Raises `InputError` when the file as a whole cannot be read.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"{path}: unsupported file type; use .jsonl, .csv or .yaml")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from exc
    model = _MODELS[kind]
    records: list[Any] = []
    issues: list[RecordIssue] = []
    seen: dict[str, int] = {}
    for item in reader(path, text):
        if isinstance(item, RecordIssue):
            issues.append(item)
            continue
        line, data, field_lines = item
        record_id = str(data.get("id") or "")
        try:
            record = model.model_validate(data)
        except ValidationError as exc:
            first, reasons = _problem(exc)
            issues.append(RecordIssue(str(path), field_lines.get(first, line), record_id, reasons))
            continue
        if record.id in seen:
            issues.append(
                RecordIssue(
                    str(path),
                    line,
                    record.id,
                    f"duplicate id (first at line {seen[record.id]}); skipped",
                )
            )
            continue
        seen[record.id] = line
        records.append(record)
    return records, issues


def _near_duplicates(
    store: KnowledgeStore,
    kind: RecordKind,
    ids: list[str],
    vectors: NDArray[np.float32],
    threshold: float,
) -> list[NearDuplicate]:
    """Pairs among the new vectors, and between them and other stored records."""
    found: dict[tuple[str, str], float] = {}
    for i, neighbours in enumerate(store.neighbours(kind, vectors, k=2)):
        for other, sim in neighbours:
            if other != ids[i] and sim >= threshold:
                found[(ids[i], other)] = sim
    for start in range(0, len(ids), 256):
        sims = vectors[start : start + 256] @ vectors.T
        for a, b in zip(*np.nonzero(sims >= threshold), strict=True):
            i = start + int(a)
            if i < int(b):
                found[(ids[i], ids[int(b)])] = float(sims[a, b])
    return [NearDuplicate(a, b, round(s, 4)) for (a, b), s in sorted(found.items())]


def ingest_file(
    store: KnowledgeStore,
    kind: RecordKind,
    path: str | Path,
    *,
    duplicate_threshold: float = DUPLICATE_SIMILARITY,
) -> IngestReport:
    """Validate `path` and upsert its good records; report bad ones and near-duplicates."""
    records, issues = read_records(path, kind)
    stored = store.stored_json(kind, [r.id for r in records])
    changed = [r for r in records if stored.get(r.id) != r.record_json()]
    vectors = store.embed([r.document() for r in changed])
    duplicates = _near_duplicates(
        store, kind, [r.id for r in changed], vectors, duplicate_threshold
    )
    counts = store.upsert(kind, changed, vectors)  # type: ignore[arg-type]
    counts = UpsertCounts(counts.added, counts.updated, len(records) - len(changed))
    return IngestReport(kind, str(path), counts, issues, duplicates)
