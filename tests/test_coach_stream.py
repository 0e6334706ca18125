"""Streaming: chunks as they come, sentence-checked; providers that cannot stream still work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from factories import ROOT, starter_store

from grader import Transcript, split_sentences
from grader.model import LLM, MockLLM
from retrieval import KnowledgeStore, can_stream, stream_suggestion, stream_text

DATA = Path(str(resources.files("retrieval").joinpath("data")))
EXAMPLE = Transcript.model_validate_json(
    (ROOT / "examples/08_password_reset_loop.json").read_text()
)
DRAFT_AT = next(i for i, t in enumerate(EXAMPLE.turns) if "Rules are rules" in t.text)
REPLY = (
    "I'm sorry you're stuck in a loop, that's maddening. "
    "Reset links only go to the email on file, because that protects your saved card. "
    "I'll refund your last order for the trouble. "
    "Confirm your order number and I'll update the email by Friday."
)


class StreamingMock(MockLLM):
    """The mock, plus litellm's streaming hook: the scripted text in word chunks."""

    async def astreaming(  # type: ignore[override]
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[dict[str, Any]]:
        text = self.respond(model, messages, optional_params or {}).choices[0].message.content
        words = text.split(" ")
        for i, word in enumerate(words):
            last = i == len(words) - 1
            yield {
                "text": word + ("" if last else " "),
                "is_finished": last,
                "finish_reason": "stop" if last else "",
                "usage": None,
                "index": 0,
                "tool_use": None,
            }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    return starter_store(tmp_path_factory.mktemp("store"))


def test_which_providers_stream() -> None:
    LLM("mockllm/plain", provider=MockLLM())
    LLM("mockstream/x", provider=StreamingMock())
    assert not can_stream("mockllm/plain")
    assert can_stream("mockstream/x")
    assert can_stream("openai/gpt-4o-mini")


async def test_stream_text_yields_chunks_as_they_arrive() -> None:
    llm = LLM("mockstream/x", provider=StreamingMock(["one two three four"]))
    chunks = [c async for c in stream_text(llm, [{"role": "user", "content": "hi"}])]
    assert chunks == ["one ", "two ", "three ", "four"]
    assert llm.meter.usage.calls == 1


async def test_a_provider_that_cannot_stream_answers_in_one_piece() -> None:
    llm = LLM("mockllm/plain", provider=MockLLM(["one two three"]))
    chunks = [c async for c in stream_text(llm, [{"role": "user", "content": "hi"}])]
    assert "".join(chunks) == "one two three" and len(chunks) == 3


@pytest.mark.parametrize("model", ["mockstream/coach", "mockllm/coach"])
async def test_streamed_suggestions_are_checked_sentence_by_sentence(
    store: KnowledgeStore, model: str
) -> None:
    provider = StreamingMock([REPLY]) if "stream" in model else MockLLM([REPLY])
    llm = LLM(model, provider=provider)
    context, draft = EXAMPLE.turns[:DRAFT_AT], EXAMPLE.turns[DRAFT_AT].text
    chunks = [c async for c in stream_suggestion(draft, context, store, llm)]
    text = "".join(chunks)
    assert len(chunks) == 3  # one per kept sentence
    assert text.startswith("I'm sorry you're stuck in a loop")
    assert "refund" not in text  # an unbacked promise never reaches the customer
    assert "Friday" not in text and "[date]" in text
    prompt = provider.requests[0].messages[-1]["content"]
    assert "plain text" in prompt and "Rules are rules" in prompt


async def test_the_stream_cuts_sentences_where_the_grader_does(store: KnowledgeStore) -> None:
    """An ellipsis or a closing quote ends a sentence for the grader, so for the stream too."""
    reply = (
        "I'm sorry you're stuck in a loop… "
        'Reset links only go to "the email on file." '
        "Confirm your order number and I'll update the email."
    )
    llm = LLM("mockstream/cut", provider=StreamingMock([reply]))
    context, draft = EXAMPLE.turns[:DRAFT_AT], EXAMPLE.turns[DRAFT_AT].text
    chunks = [c async for c in stream_suggestion(draft, context, store, llm)]
    assert [c.strip() for c in chunks] == split_sentences(reply)
