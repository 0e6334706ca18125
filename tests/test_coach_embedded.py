"""The coach with the real embedded model configured: it composes, it does not ask SmolLM2."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
from factories import ROOT

from grader import Transcript
from grader.model import LLM
from retrieval import (
    KnowledgeStore,
    default_detector,
    grounding_problems,
    ingest_file,
    prepare_request,
    suggest,
)

pytestmark = pytest.mark.embedded
DATA = Path(str(resources.files("retrieval").joinpath("data")))


async def test_embedded_model_suggests_a_grounded_reply(tmp_path: Path) -> None:
    store = KnowledgeStore(tmp_path)
    ingest_file(store, "policies", DATA / "policies.yaml")
    ingest_file(store, "model_answers", DATA / "model_answers.yaml")
    transcript = Transcript.model_validate_json(
        (ROOT / "examples/04_refund_outside_window.json").read_text()
    )
    context, draft = transcript.turns[:1], transcript.turns[1].text
    result = await suggest(draft, context, store, LLM("local"))
    assert result.status == "ok", result.error
    assert result.source == "grounded" and result.usage.calls == 0
    assert result.parts is not None and result.reply
    assert result.cited_policy_ids or result.cited_answer_ids
    request = prepare_request(draft, context, store, default_detector())
    assert grounding_problems(result.reply, request.backing) == []  # no unbacked commitment
    assert result.checks is not None and result.checks.passed
