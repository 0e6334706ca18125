"""Ingest: JSONL, CSV and YAML; bad records named with their line; idempotent; near-duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import ROOT

from grader import ImportFormatError, InputError
from retrieval import KnowledgeStore, ModelAnswer, ingest_file, read_records

FIXTURES = ROOT / "tests" / "fixtures" / "coach"


def _issues(path: Path, kind: str) -> dict[int, str]:
    _, issues = read_records(path, kind)  # type: ignore[arg-type]
    return {i.line: f"{i.record} {i.message}" for i in issues}


def test_jsonl_bad_records_are_named_with_their_line() -> None:
    records, issues = read_records(FIXTURES / "answers_bad.jsonl", "model_answers")
    assert [r.id for r in records] == ["ok-1"]
    by_line = {i.line: i for i in issues}
    assert set(by_line) == {2, 3, 5, 6, 7}
    assert (
        "unknown inquiry type 'refunds'" in by_line[2].message and by_line[2].record == "bad-type"
    )
    assert "not valid JSON" in by_line[3].message
    assert "curt policy-speak" in by_line[5].message
    assert "duplicate id (first at line 1)" in by_line[6].message
    assert "JSON object" in by_line[7].message
    assert str(by_line[2]).startswith(f"{FIXTURES / 'answers_bad.jsonl'}:2 (bad-type): ")


def test_yaml_bad_records_point_at_the_field_line() -> None:
    records, issues = read_records(FIXTURES / "policies_bad.yaml", "policies")
    assert [r.id for r in records] == ["pol-ok"]
    by_line = {i.line: i.message for i in issues}
    assert "reason" in by_line[9] and "Field required" in by_line[9]  # the record's first line
    assert "exception_approver" in by_line[14]  # a rule across fields: the record's line
    assert "mapping" in by_line[21]


def test_csv_rows_split_lists_and_name_bad_rows() -> None:
    records, issues = read_records(FIXTURES / "answers.csv", "model_answers")
    assert [r.id for r in records] == ["csv-1"]
    assert isinstance(records[0], ModelAnswer) and records[0].tags == ["returns", "footwear"]
    by_line = {i.line: i.message for i in issues}
    assert "tone" in by_line[3]
    assert "more cell(s) than the header" in by_line[4]


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("answers.txt", InputError, "unsupported file type"),
        ("missing.jsonl", InputError, "cannot read"),
        ("not_a_list.yaml", ImportFormatError, "list of records"),
        ("broken.yaml", ImportFormatError, "not valid YAML"),
        ("no_id.csv", ImportFormatError, "'id' column"),
    ],
)
def test_unreadable_files_raise_input_errors(
    name: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        read_records(FIXTURES / name, "model_answers")


def _answer_line(record_id: str, text: str) -> str:
    return json.dumps(
        {
            "id": record_id,
            "text": text,
            "scenario": "refund_outside_window",
            "inquiry_type": "refund_return",
            "structure_note": "Acknowledge, explain the reason, offer, next step.",
        }
    )


def test_ingest_is_idempotent_and_reports_near_duplicates(tmp_path: Path) -> None:
    text = "I'm sorry the jacket didn't work out. Refunds close after 30 days, but store credit stays open."
    path = tmp_path / "answers.jsonl"
    path.write_text(
        "\n".join(
            [
                _answer_line("a1", text),
                _answer_line("a2", text.replace("jacket", "rain jacket")),
                _answer_line(
                    "a3",
                    "Thanks for the photos; a replacement tent pole ships with express shipping.",
                ),
            ]
        )
    )
    store = KnowledgeStore(tmp_path / "store")
    first = ingest_file(store, "model_answers", path)
    assert (first.counts.added, first.counts.updated, first.counts.unchanged) == (3, 0, 0)
    assert [(d.id, d.other_id) for d in first.near_duplicates] == [("a1", "a2")]
    assert first.near_duplicates[0].similarity >= 0.95
    again = ingest_file(store, "model_answers", path)
    assert (again.counts.added, again.counts.unchanged, again.near_duplicates) == (0, 3, [])
    # a new record close to a stored one is reported against the store
    other = tmp_path / "more.jsonl"
    other.write_text(_answer_line("b1", text.replace("didn't", "did not")))
    later = ingest_file(store, "model_answers", other)
    assert {d.other_id for d in later.near_duplicates} & {"a1", "a2"}
    assert store.count("model_answers") == 4


def test_ingest_skips_bad_records_but_loads_the_rest(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path)
    report = ingest_file(store, "model_answers", FIXTURES / "answers_bad.jsonl")
    assert report.counts.added == 1 and len(report.issues) == 5
    assert store.count("model_answers") == 1
