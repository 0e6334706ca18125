"""Streaming: the reply as it is produced, for the sidebar and the API.

`stream_text` streams plain text through litellm with the seam's model settings and its
one retry policy (only for opening the stream: a stream is never restarted half-way). A
provider that cannot stream (the embedded model and the mock, which implement no
`astreaming`) answers in one piece, which is then handed out word by word.

`stream_suggestion` holds text back until a sentence is complete and checks each sentence
before it is yielded: a sentence with an unbacked promise or curt policy-speak is dropped,
an invented fact or date becomes a placeholder. The guarantee of `suggest` holds while
streaming, at the price of a sentence of latency.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

import litellm
from litellm.llms.custom_llm import CustomLLM

from grader._transcript import Turn
from grader.model import LLM
from grader.model._retry import classify_error, retrying
from retrieval._detector import Detector, default_detector
from retrieval._records import Tone
from retrieval._request import prepare_request
from retrieval._store import KnowledgeStore
from retrieval._suggest import clean_reply

__all__ = ["can_stream", "stream_suggestion", "stream_text"]

_SENTENCE_END = re.compile(r"^.*[.!?](?=\s)", re.DOTALL)
_WORD = re.compile(r"\S+\s*")


def can_stream(model: str) -> bool:
    """False for a custom provider (local, mockllm) that does not implement `astreaming`."""
    prefix = model.split("/", 1)[0]
    for entry in litellm.custom_provider_map:
        if entry.get("provider") == prefix:
            handler = entry.get("custom_handler")
            return type(handler).astreaming is not CustomLLM.astreaming
    return True


def _params(llm: LLM) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": llm.model,
        "temperature": llm.temperature,
        "max_tokens": llm.max_output_tokens,
        "timeout": llm.timeout,
        "num_retries": 0,
        "max_retries": 0,
    }
    if llm.api_base:
        params["api_base"] = llm.api_base
    if llm.api_key:
        params["api_key"] = llm.api_key
    return params


async def _open(llm: LLM, messages: list[dict[str, str]], stream: bool) -> Any:
    async for attempt in retrying(llm.max_transient_retries, llm.max_retry_wait):
        with attempt:
            llm.meter.check_budget()
            try:
                return await litellm.acompletion(messages=messages, stream=stream, **_params(llm))
            except Exception as exc:
                llm.meter.record_failure()
                raise classify_error(exc) from exc
    raise AssertionError("unreachable: retrying re-raises the last error")


async def stream_text(llm: LLM, messages: list[dict[str, str]]) -> AsyncIterator[str]:
    """Text chunks of the model's answer to `messages`, as they arrive."""
    if not can_stream(llm.model):
        response = await _open(llm, messages, stream=False)
        llm.meter.record_response(response)
        for word in _WORD.findall(response.choices[0].message.content or ""):
            yield word
        return
    stream = await _open(llm, messages, stream=True)
    chunks = []
    try:
        async for chunk in stream:
            chunks.append(chunk)
            delta = chunk.choices[0].delta.content if chunk.choices else None
            if delta:
                yield delta
    except Exception as exc:
        raise classify_error(exc) from exc
    finally:
        if chunks:
            llm.meter.record_response(litellm.stream_chunk_builder(chunks, messages=messages))


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
        complete = _SENTENCE_END.match(pending)
        if complete is None:
            continue
        pending = pending[complete.end() :]
        if text := clean_reply(complete.group(0), request.backing)[0]:
            yield text if first else f" {text}"
            first = False
    if pending.strip() and (text := clean_reply(pending, request.backing)[0]):
        yield text if first else f" {text}"
