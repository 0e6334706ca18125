"""PII never reaches a hosted model: a labelled set, then grading and the coach end to end.

The labelled set (tests/fixtures/pii/labelled.jsonl) holds e-mails, phones in several
formats, Luhn-valid cards, IBANs, names and addresses, with order numbers, dates, prices,
tracking and serial numbers as near-misses. A leak is any 3+ character piece of a PII value
left in the masked text; a false mask is a near-miss that did not survive. End to end, the
fake OpenAI-compatible server captures every outbound prompt.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT, make_transcript

from grader import Role, Transcript, default_rubric, rubric_grader
from grader._redaction import Redactor, redact_pii
from grader.model import LLM, FakeOpenAIServer

LABELLED = ROOT / "tests/fixtures/pii/labelled.jsonl"
RECORDS: list[dict[str, Any]] = [json.loads(line) for line in LABELLED.read_text().splitlines()]


def _pieces(value: str) -> list[str]:
    """The parts of a PII value that must not survive: 3+ characters, digits or letters."""
    return [p for p in re.split(r"[\s().,+/-]+", value) if len(p) >= 3]


def _present(piece: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", text) is not None


def _leaks(record: dict[str, Any], masked: str) -> list[str]:
    own = set()
    for keep in record["keep"]:
        own.update(_pieces(keep))
    return [p for v in record["pii"] for p in _pieces(v) if _present(p, masked) and p not in own]


def _non_pii_words(records: list[dict[str, Any]]) -> str:
    """The records' text with their PII removed: words that may be sent."""
    texts = []
    for record in records:
        text = record["text"]
        for value in record["pii"]:
            text = text.replace(value, " ")
        texts.append(text)
    return "\n".join(texts)


def _leaked(values: list[str], sent: str, baseline: str) -> list[str]:
    """Pieces of PII values in `sent` that a PII-free run (`baseline`) does not send anyway."""
    return [
        p for v in values for p in _pieces(v) if _present(p, sent) and not _present(p, baseline)
    ]


def _mask(record: dict[str, Any]) -> str:
    return Redactor(names=record["names"], addresses=record["addresses"]).redact(record["text"])


def test_labelled_set_has_every_kind() -> None:
    kinds = {r["kind"] for r in RECORDS}
    assert {"email", "phone", "card", "iban", "name", "address", "near-miss"} <= kinds
    assert sum(len(r["pii"]) for r in RECORDS) >= 40 and sum(len(r["keep"]) for r in RECORDS) >= 25


def test_no_pii_survives_masking_and_false_masks_are_reported() -> None:
    leaks, false_masks = [], []
    rows: dict[str, list[int]] = {}
    for record in RECORDS:
        masked = _mask(record)
        leaks += [(record["kind"], p, masked) for p in _leaks(record, masked)]
        missed = [k for k in record["keep"] if k not in masked]
        false_masks += [(record["kind"], k, masked) for k in missed]
        row = rows.setdefault(record["kind"], [0, 0, 0, 0])
        row[0] += len(record["pii"])
        row[1] += len(record["keep"])
        row[3] += len(missed)
    print("\nkind            pii  near-miss  false-masks")
    for kind, (pii, keep, _, fm) in sorted(rows.items()):
        print(f"{kind:<15} {pii:>3}  {keep:>9}  {fm:>11}")
    print(f"leaks: {len(leaks)}; false masks: {len(false_masks)}: {false_masks}")
    assert leaks == []
    assert len(false_masks) == 0, false_masks


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call 5551234567 now", "call <PHONE_1> now"),
        ("ring +44 20 7946 0958 today", "ring <PHONE_1> today"),
        ("order 123-4567 arrived", "order 123-4567 arrived"),
        ("on 2024-05-01 and 12/05/2024", "on 2024-05-01 and 12/05/2024"),
    ],
)
def test_the_phone_pattern_cases_from_the_issue(text: str, masked: str) -> None:
    assert redact_pii(text) == masked


def test_the_same_value_gets_the_same_placeholder_and_comes_back() -> None:
    redactor = Redactor(names=["Anna Kowalski"])
    first = redactor.redact("Anna Kowalski wrote from anna@example.com.")
    second = redactor.redact("Reply to anna@example.com, Anna Kowalski.")
    assert first == "<PERSON_1> wrote from <EMAIL_1>."
    assert second == "Reply to <EMAIL_1>, <PERSON_1>."
    assert redactor.restore("Thanks <PERSON_1>, we wrote to <EMAIL_1>.") == (
        "Thanks Anna Kowalski, we wrote to anna@example.com."
    )
    assert redactor.restore("<PERSON_9> is unknown") == "<PERSON_9> is unknown"


def _pii_transcripts() -> list[Transcript]:
    out = []
    for n, record in enumerate(r for r in RECORDS if r["pii"]):
        t = make_transcript(
            tid=f"pii{n}",
            texts=[
                (Role.CUSTOMER, record["text"]),
                (Role.AGENT, "Thanks, I have your details and will sort this out today."),
            ],
        )
        names = record["names"]
        meta = {"customer": names[0] if names else None}
        if record["addresses"]:
            meta["customer_address"] = record["addresses"][0]
        out.append(t.model_copy(update={"metadata": t.metadata.model_copy(update=meta)}))
    return out


def _outbound(server: FakeOpenAIServer) -> str:
    return "\n".join(str(m.get("content")) for r in server.requests for m in r.messages)


async def test_grading_a_hosted_model_sends_no_pii() -> None:
    rubric = default_rubric()
    values = [v for r in RECORDS for v in r["pii"]]
    with FakeOpenAIServer() as server:
        llm = LLM("openai/fake", api_base=server.base_url, api_key="sk-fake")
        assert llm.redact_pii, "on by default for a hosted model"
        grade = rubric_grader(rubric, llm, use_cache=False)
        await grade(make_transcript(tid="clean"))
        baseline = _outbound(server) + _non_pii_words(RECORDS)
        grades = [await grade(t) for t in _pii_transcripts()]
    assert all(g.status == "graded" for g in grades), [g.error for g in grades]
    sent = _outbound(server)
    assert len(server.requests) == len(grades) + 1, "the hosted model was asked each time"
    assert _leaked(values, sent, baseline) == [], "PII in outbound prompts"


async def test_the_local_model_path_is_not_masked_by_default() -> None:
    assert not LLM("local").redact_pii
    assert LLM("local", redact_pii=True).redact_pii


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from retrieval import KnowledgeStore, ingest_file

    data = Path(str(resources.files("retrieval").joinpath("data")))
    knowledge = KnowledgeStore(tmp_path_factory.mktemp("pii-store"))
    ingest_file(knowledge, "policies", data / "policies.yaml")
    ingest_file(knowledge, "model_answers", data / "model_answers.yaml")
    return knowledge


COACH_CONTEXT = [
    (Role.CUSTOMER, "My name is Tom Baker, card 4111 1111 1111 1111 was charged twice."),
    (Role.CUSTOMER, "Call me on +44 20 7946 0958 or mail tom.baker@example.com."),
]
COACH_PII = ["Tom Baker", "4111 1111 1111 1111", "+44 20 7946 0958", "tom.baker@example.com"]


async def test_the_coach_sends_no_pii_and_streams_it_back(store: Any) -> None:
    from retrieval import stream_suggestion, suggest

    turns = make_transcript(texts=[*COACH_CONTEXT, (Role.AGENT, "ok")]).turns[:2]
    draft = "Refunds take 5 days, Tom Baker. We will call +44 20 7946 0958."
    clean = make_transcript().turns[:2]
    with FakeOpenAIServer() as server:
        llm = LLM("openai/fake", api_base=server.base_url, api_key="sk-fake")
        await suggest("Refunds take 5 days.", clean, store, llm)
        baseline = _outbound(server)
        await suggest(draft, turns, store, llm)
    sent = _outbound(server)
    assert server.requests
    assert _leaked(COACH_PII, sent, baseline) == []
    reply = "Sorry for the double charge, <PERSON_1>. I will call <PHONE_1> today."
    with FakeOpenAIServer([reply] * 3) as server:
        llm = LLM("openai/fake", api_base=server.base_url, api_key="sk-fake")
        streamed = "".join([c async for c in stream_suggestion(draft, turns, store, llm)])
    assert _leaked(COACH_PII, _outbound(server), baseline) == []
    assert "<PERSON_1>" not in streamed and "<PHONE_1>" not in streamed, streamed


def test_importers_keep_the_customer_name_for_masking() -> None:
    from grader._redaction import sensitive_terms
    from grader.importers import read_transcripts

    fixtures = ROOT / "tests/fixtures/importers"
    chatwoot = read_transcripts(fixtures / "chatwoot_export.json").transcripts[0]
    zendesk = read_transcripts(fixtures / "zendesk_ticket.json").transcripts[0]
    assert chatwoot.metadata.customer == "Sam Whitaker"
    assert zendesk.metadata.customer == "Alex Moreno"
    terms = sensitive_terms(zendesk)
    assert "Alex Moreno" in terms["names"]
    assert "Alex" not in Redactor(**terms).redact("Hi Alex, thanks for waiting.")
