"""Fuzzing the untrusted inputs: importers and the rubric loader never crash on bad data.

Whatever the bytes, a reader returns an `ImportResult` (bad records become issues) or raises
`ImportFormatError` naming the file; the rubric loader raises `RubricError` with its
problems. Any other exception is a bug.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader import GraderError, ImportFormatError, RubricError, load_rubric
from grader.importers import FORMATS, ImportResult, read_transcripts

SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["agent", "customer", "incoming", "outgoing", 0, 1, 2, 3, "2024-05-01T10:00:00Z"]
    ),
)
_keys = st.sampled_from(
    [
        "id",
        "turns",
        "role",
        "text",
        "timestamp",
        "messages",
        "message_type",
        "content",
        "created_at",
        "sender",
        "sender_type",
        "payload",
        "ticket",
        "comments",
        "body",
        "author_id",
        "users",
        "requester_id",
        "via",
        "channel",
        "metadata",
        "meta",
        "private",
        "public",
        "type",
        "name",
        "agent",
        "csat",
        "tags",
    ]
)
json_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=6),
    max_leaves=30,
)


def _check_read(path: Path, fmt: str | None) -> None:
    try:
        result = read_transcripts(path, fmt)
    except ImportFormatError as exc:
        assert str(exc), "an import error says what is wrong"
        return
    assert isinstance(result, ImportResult)
    for issue in result.issues:
        assert str(issue), "every rejected record says why"


@SETTINGS
@given(data=json_values, fmt=st.sampled_from([None, *FORMATS]))
def test_json_shaped_input_never_crashes_an_importer(
    tmp_path: Path, data: Any, fmt: str | None
) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data, allow_nan=True))
    _check_read(path, None if fmt in ("csv", "jsonl") else fmt)
    lines = tmp_path / "input.jsonl"
    items = data if isinstance(data, list) else [data]
    lines.write_text("\n".join(json.dumps(v) for v in items))
    _check_read(lines, fmt if fmt in (None, "jsonl", "zendesk") else None)


@SETTINGS
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".json", ".jsonl", ".csv", ".txt"]))
def test_arbitrary_bytes_never_crash_an_importer(tmp_path: Path, raw: bytes, suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(raw)
    _check_read(path, None)


_cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)


@SETTINGS
@given(
    header=st.lists(
        st.sampled_from(
            ["conversation_id", "role", "text", "timestamp", "channel", "csat", "tags", "x"]
        ),
        min_size=1,
        max_size=6,
    ),
    rows=st.lists(st.lists(_cells, max_size=7), max_size=6),
)
def test_csv_rows_never_crash_the_importer(
    tmp_path: Path, header: list[str], rows: list[list[str]]
) -> None:
    import csv

    path = tmp_path / "input.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    _check_read(path, "csv")


def _default_rubric_data() -> dict[str, Any]:
    from importlib import resources

    text = resources.files("grader").joinpath("rubrics/default.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _mutate(data: Any, path: list[Any], value: Any) -> Any:
    if not path or not isinstance(data, dict | list):
        return value
    key, rest = path[0], path[1:]
    if isinstance(data, dict):
        keys = list(data)
        if not keys:
            return data
        name = keys[key % len(keys)]
        return {**data, name: _mutate(data[name], rest, value)}
    if not data:
        return data
    index = key % len(data)
    return [*data[:index], _mutate(data[index], rest, value), *data[index + 1 :]]


@SETTINGS
@given(path=st.lists(st.integers(min_value=0, max_value=50), max_size=6), value=json_values)
def test_a_mutated_rubric_is_loaded_or_rejected_with_its_problems(
    tmp_path: Path, path: list[int], value: Any
) -> None:
    file = tmp_path / "rubric.yaml"
    file.write_text(yaml.safe_dump(_mutate(_default_rubric_data(), path, value)))
    try:
        load_rubric(file)
    except RubricError as exc:
        assert str(exc)
    except GraderError as exc:  # pragma: no cover - a different member of the tree
        raise AssertionError(f"rubric loader raised {type(exc).__name__}, not RubricError") from exc


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_rubric_text_is_rejected_with_a_message(tmp_path: Path, text: str) -> None:
    file = tmp_path / "rubric.yaml"
    file.write_text(text, encoding="utf-8")
    try:
        load_rubric(file)
    except RubricError as exc:
        assert str(exc)
