"""Importers: good records survive next to bad ones, and every issue says where and what."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from grader._errors import ImportFormatError, TranscriptError
from grader._transcript import Channel, Role, Transcript
from grader.importers import (
    ImportIssue,
    ImportResult,
    read_chatwoot,
    read_csv,
    read_json,
    read_jsonl,
    read_transcripts,
    read_zendesk,
)
from grader.importers._chatwoot import channel_of

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
EXAMPLES = Path(__file__).parent.parent / "examples"


def where(result: ImportResult) -> list[tuple[str, str | None]]:
    return [(issue.record, issue.field) for issue in result.issues]


def roles(transcript: Transcript) -> list[Role]:
    return [turn.role for turn in transcript.turns]


def write_json(path: Path, value: object) -> Path:
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def native(id_: str, text: str = "Hello") -> dict[str, object]:
    return {
        "id": id_,
        "turns": [{"role": "customer", "text": text}, {"role": "agent", "text": "Hi there"}],
    }


# --- native JSON / JSONL ---------------------------------------------------------------------


def test_jsonl_good_file_loads_every_transcript() -> None:
    result = read_jsonl(FIXTURES / "good.jsonl")
    assert result.issues == []
    assert [t.id for t in result.transcripts] == ["good-1", "good-2", "good-3"]
    first = result.transcripts[0]
    assert first.metadata.agent == "Priya Natarajan"
    assert first.metadata.csat == 1.0
    assert first.turns[0].timestamp == datetime(2024, 5, 2, 9, 14, 5, tzinfo=UTC)
    assert result.transcripts[1].channel is Channel.EMAIL
    assert result.transcripts[2].turns[0].timestamp is None
    assert result.origins["good-3"] == (str(FIXTURES / "good.jsonl"), "line 4")


def test_jsonl_bad_lines_are_issues_and_good_lines_survive() -> None:
    path = FIXTURES / "bad.jsonl"
    result = read_jsonl(path)
    assert [t.id for t in result.transcripts] == ["ok-1", "ok-2"]
    assert where(result) == [
        ("line 2", None),
        ("line 3", "turns.1.role"),
        ("line 5", "turns.2.text"),
        ("line 6", "turns"),
    ]
    assert all(issue.source == str(path) for issue in result.issues)
    assert "invalid JSON" in result.issues[0].message
    assert str(result.issues[1]).startswith(f"{path}:line 3: turns.1.role: Input should be")
    assert "'customer'" in result.issues[1].message
    assert "Field required" in result.issues[2].message
    assert "at least 1 item" in result.issues[3].message


def test_json_accepts_one_object_or_a_list(tmp_path: Path) -> None:
    single = read_json(write_json(tmp_path / "one.json", native("solo")))
    assert [t.id for t in single.transcripts] == ["solo"]
    bad = native("bad")
    bad["turns"] = [{"role": "customer", "text": "only me"}]
    listed = read_json(write_json(tmp_path / "many.json", [native("a"), bad, native("c")]))
    assert [t.id for t in listed.transcripts] == ["a", "c"]
    assert where(listed) == [("record 1", "turns")]
    assert "no agent, bot or supervisor turn" in listed.issues[0].message
    assert not listed.issues[0].message.startswith("Value error")


def test_several_errors_in_one_record_are_one_issue(tmp_path: Path) -> None:
    record = {"id": "", "turns": [{"role": "clerk", "text": " "}]}
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = read_jsonl(tmp_path / "x.jsonl")
    assert len(result.issues) == 1
    assert result.issues[0].field == "id"
    assert "turns.0.role" in result.issues[0].message
    assert "turns.0.text" in result.issues[0].message


def test_invalid_json_document_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": "x",\n  "turns": [', encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"broken\.json: not valid JSON at line 2"):
        read_json(path)


# --- CSV -------------------------------------------------------------------------------------


def test_csv_groups_rows_by_conversation_in_file_order() -> None:
    result = read_csv(FIXTURES / "good.csv")
    assert result.issues == []
    first, second = result.transcripts
    assert first.id == "csv-1"
    assert roles(first) == [Role.CUSTOMER, Role.AGENT, Role.CUSTOMER, Role.AGENT]
    assert first.turns[-1].text.startswith("Got it. Try easing")
    assert first.turns[0].timestamp == datetime(2024, 5, 6, 8, 0, tzinfo=UTC)
    assert first.turns[0].timestamp.utcoffset() == timedelta(hours=2)
    assert first.turns[1].author_id == "agent-3"
    assert first.channel is Channel.CHAT
    assert first.metadata.agent == "Marta Okafor"
    assert first.metadata.location == "Lisbon"
    assert first.metadata.tags == ["zipper", "warranty", "how-to"]
    assert first.metadata.csat == 0.8
    assert second.channel is Channel.EMAIL
    assert roles(second) == [Role.CUSTOMER, Role.AGENT]  # "Agent" is accepted
    assert second.turns[0].author_id is None
    assert second.metadata.agent == "Leo Brandt"
    assert second.metadata.queue == "email-billing"


def test_csv_bad_rows_drop_only_their_conversation() -> None:
    path = FIXTURES / "bad.csv"
    result = read_csv(path)
    assert [t.id for t in result.transcripts] == ["c-ok", "c-ok2"]
    assert where(result) == [("row 5", "role"), ("row 6", "timestamp"), ("row 10", "channel")]
    assert all(issue.source == str(path) for issue in result.issues)
    assert "'c-role' skipped" in result.issues[0].message
    assert "yesterday at noon" in result.issues[1].message
    assert "fax" in result.issues[2].message


def test_csv_missing_required_column_fails_the_file() -> None:
    with pytest.raises(ImportFormatError, match=r"missing_column\.csv: missing required .*text"):
        read_csv(FIXTURES / "missing_column.csv")


def test_csv_counts_rows_like_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        "\ufeffConversation_ID,Role,Text,CSAT\n"
        'a,customer,"line one\nline two",\n'
        "a,agent,Thanks,great\n"
        "\n"
        "b,customer,Hi,\n"
        "b,agent,Hello,0.5\n"
        "c,agent\n",
        encoding="utf-8",
    )
    result = read_csv(path)
    assert [t.id for t in result.transcripts] == ["b"]
    assert result.transcripts[0].metadata.csat == 0.5
    assert where(result) == [("row 3", "csat"), ("row 7", "text")]


def test_csv_empty_text_names_the_column(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("conversation_id,role,text\na,customer,Hi\na,agent,   \n", encoding="utf-8")
    result = read_csv(path)
    assert result.transcripts == []
    assert where(result) == [("row 3", "text")]


# --- Chatwoot --------------------------------------------------------------------------------


def test_chatwoot_maps_bot_agent_system_and_skips_private_notes() -> None:
    result = read_chatwoot(FIXTURES / "chatwoot_export.json")
    assert result.issues == []
    web, email = result.transcripts
    assert web.id == "chatwoot-4821"
    assert web.channel is Channel.CHAT
    assert roles(web) == [
        Role.BOT,
        Role.CUSTOMER,
        Role.BOT,
        Role.SYSTEM,
        Role.AGENT,
        Role.CUSTOMER,
        Role.SYSTEM,
    ]
    texts = [turn.text for turn in web.turns]
    assert "Assigned to Jane Rivera by Trailbot" in texts
    assert not any("Carrier scan shows" in text for text in texts)  # private note
    assert texts[4].startswith("Hi Sam, I'm Jane")  # re-sorted by created_at
    assert web.turns[0].timestamp == datetime(2024, 5, 6, 12, 53, 20, tzinfo=UTC)
    assert web.turns[4].author_id == "12"
    assert web.metadata.agent == "Jane Rivera"
    assert web.metadata.team == "Orders"
    assert web.metadata.queue == "Website chat"
    assert web.metadata.tags == ["wismo", "bot-handoff"]
    assert email.channel is Channel.EMAIL
    assert roles(email) == [Role.CUSTOMER, Role.AGENT]  # blank outgoing message skipped
    assert email.turns[1].timestamp == datetime(2024, 5, 7, 9, 5, tzinfo=UTC)
    assert email.metadata.tags == ["returns"]


def test_chatwoot_bad_conversations_name_record_and_message_field() -> None:
    path = FIXTURES / "chatwoot_bad.json"
    result = read_chatwoot(path)
    assert [t.id for t in result.transcripts] == ["chatwoot-900"]
    assert result.transcripts[0].channel is Channel.SOCIAL
    assert where(result) == [
        ("record 1", "messages.2.message_type"),
        ("record 2", "messages.0.created_at"),
        ("record 3", "turns"),
    ]
    assert str(result.issues[0]).startswith(f"{path}:record 1: messages.2.message_type:")


@pytest.mark.parametrize(
    ("conversation", "expected"),
    [
        ({"inbox": {"channel_type": "Channel::WebWidget"}}, Channel.CHAT),
        ({"channel": "Channel::Email"}, Channel.EMAIL),
        ({"meta": {"channel": "Channel::Api"}}, Channel.CHAT),
        ({"channel": "Channel::TwitterProfile"}, Channel.SOCIAL),
        ({"channel": "Channel::FacebookPage"}, Channel.SOCIAL),
        ({"channel": "Channel::Whatsapp"}, Channel.SOCIAL),
        ({"channel": "Channel::TwilioSms"}, Channel.CHAT),
        ({"inbox": "Channel::Voice"}, Channel.VOICE),
        ({"channel": "Channel::Unheard"}, Channel.CHAT),
        ({}, Channel.CHAT),
    ],
)
def test_chatwoot_channel_mapping(conversation: dict[str, object], expected: Channel) -> None:
    assert channel_of(conversation) is expected


def test_chatwoot_single_object_with_string_types(tmp_path: Path) -> None:
    conversation = {
        "id": 7,
        "messages": [
            {"content": "hi", "message_type": "incoming", "created_at": "2024-05-01T10:00:00"},
            {"content": "Auto-reply", "message_type": "template", "created_at": 1714557601},
            {
                "content": "Hello!",
                "message_type": "outgoing",
                "created_at": 1714557660,
                "sender": {"id": 3, "type": "user"},
            },
        ],
    }
    result = read_chatwoot(write_json(tmp_path / "one.json", conversation))
    (transcript,) = result.transcripts
    assert roles(transcript) == [Role.CUSTOMER, Role.BOT, Role.AGENT]
    assert transcript.turns[0].timestamp == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


# --- Zendesk ---------------------------------------------------------------------------------


def test_zendesk_ticket_roles_private_comments_and_csat() -> None:
    result = read_zendesk(FIXTURES / "zendesk_ticket.json")
    assert result.issues == []
    (ticket,) = result.transcripts
    assert ticket.id == "zendesk-35436"
    assert ticket.channel is Channel.EMAIL  # via web form
    assert roles(ticket) == [Role.CUSTOMER, Role.AGENT, Role.CUSTOMER]
    assert not any("Approve replacement" in turn.text for turn in ticket.turns)
    assert ticket.turns[1].author_id == "235323"
    assert ticket.turns[1].timestamp == datetime(2024, 6, 3, 8, 10, 5, tzinfo=UTC)
    assert ticket.metadata.agent == "Hannah Lee"
    assert ticket.metadata.tags == ["warranty", "tents", "ridgeline-2"]
    assert ticket.metadata.csat == 1.0


def zendesk_item(ticket_id: int, channel: str, score: str | None = None) -> dict[str, object]:
    return {
        "ticket": {
            "id": ticket_id,
            "via": {"channel": channel},
            "requester_id": 1,
            "satisfaction_rating": {"score": score} if score else None,
        },
        "comments": [
            {
                "author_id": 1,
                "body": "My order?",
                "public": True,
                "created_at": "2024-06-01T10:00:00Z",
            },
            {
                "author_id": 2,
                "body": "Shipped today.",
                "public": True,
                "created_at": "2024-06-01T10:05:00Z",
            },
            {
                "author_id": 3,
                "body": "Me too, I was cc'd",
                "public": True,
                "created_at": "2024-06-01T10:06:00Z",
            },
        ],
        "users": [{"id": 3, "role": "end-user", "name": "Cc Person"}],
    }


def test_zendesk_list_maps_channels_and_scores(tmp_path: Path) -> None:
    items = [
        zendesk_item(1, "chat", "bad"),
        zendesk_item(2, "twitter", "offered"),
        zendesk_item(3, "voice"),
        zendesk_item(4, "native_messaging"),
    ]
    result = read_zendesk(write_json(tmp_path / "tickets.json", items))
    channels = [t.channel for t in result.transcripts]
    assert channels == [Channel.CHAT, Channel.SOCIAL, Channel.VOICE, Channel.CHAT]
    assert [t.metadata.csat for t in result.transcripts] == [0.0, None, None, None]
    assert roles(result.transcripts[0]) == [Role.CUSTOMER, Role.AGENT, Role.CUSTOMER]


def test_zendesk_jsonl_with_bad_lines(tmp_path: Path) -> None:
    no_comments = {"ticket": {"id": 9}}
    lines = [json.dumps(zendesk_item(1, "email")), "{nope", json.dumps(no_comments)]
    path = tmp_path / "tickets.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_zendesk(path)
    assert [t.id for t in result.transcripts] == ["zendesk-1"]
    assert where(result) == [("line 2", None), ("line 3", "comments")]
    detected = read_transcripts(path)
    assert [t.id for t in detected.transcripts] == ["zendesk-1"]


# --- read_transcripts: detection, folders, duplicates, bad files --------------------------------


@pytest.mark.parametrize(
    ("name", "first_id"),
    [
        ("good.jsonl", "good-1"),
        ("good.csv", "csv-1"),
        ("chatwoot_export.json", "chatwoot-4821"),
        ("chatwoot_bad.json", "chatwoot-900"),
        ("zendesk_ticket.json", "zendesk-35436"),
    ],
)
def test_format_is_detected_from_extension_and_content(name: str, first_id: str) -> None:
    assert read_transcripts(FIXTURES / name).transcripts[0].id == first_id


def test_native_json_detected_when_not_chatwoot_or_zendesk(tmp_path: Path) -> None:
    path = write_json(tmp_path / "mine.json", [native("n1"), native("n2")])
    assert [t.id for t in read_transcripts(path).transcripts] == ["n1", "n2"]


def test_explicit_format_overrides_extension(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "zendesk_ticket.json", path)
    assert read_transcripts(path, format="zendesk").transcripts[0].id == "zendesk-35436"
    with pytest.raises(ImportFormatError, match="cannot tell the format"):
        read_transcripts(path)
    with pytest.raises(ImportFormatError, match="unknown format 'xml'"):
        read_transcripts(path, format="xml")


def test_directory_reads_supported_files_sorted_and_not_recursive(tmp_path: Path) -> None:
    for name in ("good.jsonl", "good.csv", "chatwoot_export.json", "zendesk_ticket.json"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "notes.md").write_text("not a transcript", encoding="utf-8")
    (tmp_path / "nested").mkdir()
    shutil.copy(FIXTURES / "bad.jsonl", tmp_path / "nested" / "bad.jsonl")
    result = read_transcripts(tmp_path)
    assert result.issues == []
    assert [t.id for t in result.transcripts] == [
        "chatwoot-4821",
        "chatwoot-4822",
        "csv-1",
        "csv-2",
        "good-1",
        "good-2",
        "good-3",
        "zendesk-35436",
    ]
    only_csv = read_transcripts(tmp_path, format="csv")
    assert [t.id for t in only_csv.transcripts] == ["csv-1", "csv-2"]


def test_directory_keeps_issues_from_every_file(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "bad.jsonl", tmp_path / "a.jsonl")
    shutil.copy(FIXTURES / "bad.csv", tmp_path / "b.csv")
    result = read_transcripts(tmp_path)
    assert len(result.transcripts) == 4
    assert [Path(issue.source).name for issue in result.issues] == ["a.jsonl"] * 4 + ["b.csv"] * 3


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"no \.json"):
        read_transcripts(tmp_path)


def test_duplicate_ids_keep_the_first_and_report_the_later(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", [native("dup", "first"), native("only-a")])
    lines = [json.dumps(native("x")), json.dumps(native("dup", "second"))]
    (tmp_path / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_transcripts(tmp_path)
    assert [t.id for t in result.transcripts] == ["dup", "only-a", "x"]
    assert result.transcripts[0].turns[0].text == "first"
    (issue,) = result.issues
    assert (Path(issue.source).name, issue.record, issue.field) == ("b.jsonl", "line 2", "id")
    assert "duplicate transcript id 'dup'" in issue.message
    assert "a.json:record 0" in issue.message


def test_duplicate_ids_within_one_file(tmp_path: Path) -> None:
    path = write_json(tmp_path / "twice.json", [native("same"), native("same")])
    result = read_transcripts(path)
    assert len(result.transcripts) == 1
    assert where(result) == [("record 1", "id")]


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"absent\.jsonl: cannot read file"):
        read_transcripts(tmp_path / "absent.jsonl")


def test_undecodable_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("conversation_id,role,text\na,customer,Olá café\n".encode("latin-1"))
    with pytest.raises(ImportFormatError, match=r"latin1\.csv: not UTF-8"):
        read_transcripts(path)


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_json(tmp_path / "big.json", [native(f"t{i}") for i in range(20)])
    monkeypatch.setattr("grader.importers._source.MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFormatError, match=r"big\.json: \d+ bytes is over the"):
        read_transcripts(path)


def test_issue_text_and_error_conversion() -> None:
    issue = ImportIssue(source="in.jsonl", record="line 7", message="bad", field="turns.0.role")
    assert str(issue) == "in.jsonl:line 7: turns.0.role: bad"
    assert (
        str(ImportIssue(source="in.csv", record="row 2", field=None, message="bad"))
        == "in.csv:row 2: bad"
    )
    error = issue.to_error()
    assert isinstance(error, TranscriptError)
    assert (error.source, error.record, error.field) == ("in.jsonl", "line 7", "turns.0.role")


# --- examples/ -------------------------------------------------------------------------------

POLICY_SPEAK = ("that's our policy", "nothing i can do", "rules are rules")


def load_examples() -> list[Transcript]:
    files = sorted(EXAMPLES.glob("*.json"))
    return [Transcript.model_validate_json(f.read_text(encoding="utf-8")) for f in files]


def test_every_example_is_a_valid_transcript() -> None:
    files = sorted(EXAMPLES.glob("*.json"))
    assert len(files) >= 14
    result = read_transcripts(EXAMPLES)
    assert result.issues == []
    assert len(result.transcripts) == len(files)
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data, dict), f"{path.name}: one transcript object per file"


def test_examples_cover_the_scenarios() -> None:
    examples = load_examples()
    channels = [t.channel for t in examples]
    assert channels.count(Channel.EMAIL) >= 3
    assert channels.count(Channel.VOICE) >= 2
    assert channels.count(Channel.SOCIAL) >= 1
    assert channels.count(Channel.CHAT) > len(examples) / 2

    def agent_text(t: Transcript) -> str:
        return " ".join(turn.text.lower() for turn in t.turns if turn.role is Role.AGENT)

    curt = [t.id for t in examples if any(p in agent_text(t) for p in POLICY_SPEAK)]
    assert len(curt) >= 3
    assert any(Role.SUPERVISOR in roles(t) for t in examples)

    def bot_then_agent(t: Transcript) -> bool:
        seq = roles(t)
        return Role.BOT in seq and Role.AGENT in seq[seq.index(Role.BOT) :]

    assert any(bot_then_agent(t) for t in examples)
    assert any(
        "ignore previous instructions" in turn.text.lower()
        for t in examples
        for turn in t.turns
        if turn.role is Role.CUSTOMER
    )
    assert any(t.metadata.csat is not None for t in examples)


def test_examples_are_timestamped_realistically() -> None:
    long_waits = 0
    for transcript in load_examples():
        assert 6 <= len(transcript.turns) <= 16, transcript.id
        stamps = [turn.timestamp for turn in transcript.turns]
        assert all(s is not None and s.tzinfo is not None for s in stamps), transcript.id
        aware = [s for s in stamps if s is not None]
        assert aware == sorted(aware), transcript.id
        gaps = [b - a for a, b in itertools.pairwise(aware)]
        if transcript.channel is Channel.CHAT and max(gaps) >= timedelta(minutes=20):
            long_waits += 1
        assert transcript.metadata.agent and transcript.metadata.team and transcript.metadata.tags
    assert long_waits >= 1
