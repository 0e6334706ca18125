"""Streaming a suggestion: the reply as it is produced, for the sidebar and the API.

The text comes from the seam's `LLM.stream` (grader/model/_stream.py), which gives it the
same retries, budget, usage accounting, cache and PII redaction as every other model call;
this module imports no provider library.

`stream_suggestion` holds text back until a sentence is complete — the grader's one splitter
(`grader.split_sentences`, via `sentence_spans`) has seen the next one begin — and checks
each sentence before it is yielded: a sentence with an unbacked promise or curt policy-speak is dropped,
an invented fact or date becomes a placeholder. The guarantee of `suggest` holds while
streaming, at the price of a sentence of latency.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from grader._redaction import Redactor
from grader._transcript import Turn
from grader.model import LLM, can_stream
from retrieval._detector import Detector, default_detector, sentence_spans
from retrieval._records import Tone
from retrieval._request import prepare_request
from retrieval._store import KnowledgeStore
from retrieval._suggest import clean_reply

__all__ = ["can_stream", "stream_suggestion", "stream_text"]


def stream_text(
    llm: LLM, messages: list[dict[str, str]], *, redactor: Redactor | None = None
) -> AsyncIterator[str]:
    """Text chunks of the model's answer to `messages`, as they arrive (through the seam)."""
    return llm.stream(messages, redactor=redactor)


async def stream_suggestion(
    draft: str,
    context: Sequence[Turn],
    store: KnowledgeStore,
    llm: LLM,
    *,
    tone: Tone = "friendly",
    detector: Detector | None = None,
) -> AsyncIterator[str]:
    """The suggested reply, sentence by sentence as the model writes it, each one checked."""
    request = prepare_request(draft, context, store, detector or default_detector(), tone=tone)
    pending = ""
    first = True
    async for chunk in stream_text(llm, request.stream_messages()):
        pending += chunk
        spans = sentence_spans(pending)
        if len(spans) < 2:
            continue  # the last sentence may still be growing
        complete, pending = [pending[a:b] for a, b in spans[:-1]], pending[spans[-1][0] :]
        for sentence in complete:
            if text := clean_reply(sentence, request.backing)[0]:
                yield text if first else f" {text}"
                first = False
    if pending.strip() and (text := clean_reply(pending, request.backing)[0]):
        yield text if first else f" {text}"
