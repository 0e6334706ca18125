"""Streaming plain text through the seam: the same retries, budget, usage, cache, redaction.

Only opening the stream is retried (the one policy of `_retry.py`): a stream is never
restarted half-way, since the reader has already seen its start. A provider that cannot
stream (the embedded model and the mock implement no `astreaming`) answers in one piece,
handed out word by word. Placeholders of masked PII are mapped back as the text arrives;
a chunk ending inside a possible placeholder is held until the placeholder is complete.
A finished stream's text is cached like a structured answer (as sent: with placeholders).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from grader._redaction import Redactor
from grader.model._cache import request_key
from grader.model._retry import classify_error, retrying

if TYPE_CHECKING:
    from grader.model._llm import LLM

__all__ = ["PlaceholderRestorer", "can_stream", "stream_text"]

_WORD = re.compile(r"\S+\s*")
_PARTIAL = re.compile(r"<[A-Z_\d]{0,12}$")


def can_stream(model: str) -> bool:
    """False for a custom provider (local, mockllm) that does not implement `astreaming`."""
    import litellm
    from litellm.llms.custom_llm import CustomLLM

    prefix = model.split("/", 1)[0]
    registered = {e.get("provider") for e in litellm.custom_provider_map}
    if prefix == "local" and "local" not in registered:
        from grader.model._local import LocalLlama  # registered on its first request

        return LocalLlama.astreaming is not CustomLLM.astreaming
    for entry in litellm.custom_provider_map:
        if entry.get("provider") == prefix:
            handler = entry.get("custom_handler")
            return type(handler).astreaming is not CustomLLM.astreaming
    return True


class PlaceholderRestorer:
    """Restores placeholders in streamed text, holding back a chunk's unfinished tail."""

    def __init__(self, redactor: Redactor | None) -> None:
        self.redactor = redactor
        self._held = ""

    def feed(self, chunk: str) -> str:
        """The text that can be shown now."""
        if self.redactor is None:
            return chunk
        text = self._held + chunk
        partial = _PARTIAL.search(text)
        cut = partial.start() if partial else len(text)
        self._held = text[cut:]
        return self.redactor.restore(text[:cut])

    def flush(self) -> str:
        """Whatever is still held at the end of the stream."""
        held, self._held = self._held, ""
        return self.redactor.restore(held) if self.redactor else held


def _params(llm: LLM) -> dict[str, Any]:
    params = llm._params()
    params.update(num_retries=0, max_retries=0)
    return params


async def _open(llm: LLM, messages: list[dict[str, Any]], stream: bool) -> Any:
    import litellm  # here, not at import: it takes ~10 s (see `_llm._litellm`)

    async for attempt in retrying(llm.max_transient_retries, llm.max_retry_wait):
        with attempt:
            llm.meter.check_budget()
            try:
                return await litellm.acompletion(messages=messages, stream=stream, **_params(llm))
            except Exception as exc:
                llm.meter.record_failure()
                raise classify_error(exc) from exc
    raise AssertionError("unreachable: retrying re-raises the last error")


async def _chunks(llm: LLM, messages: list[dict[str, Any]]) -> AsyncIterator[str]:
    """Raw text chunks from the provider (placeholders still in), usage recorded."""
    import litellm

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


async def stream_text(
    llm: LLM,
    messages: list[dict[str, str]],
    *,
    redactor: Redactor | None = None,
    use_cache: bool = True,
) -> AsyncIterator[str]:
    """Text chunks of the model's answer to `messages`, as they arrive (PII restored)."""
    outbound = redactor.redact_messages(messages) if redactor else list(messages)
    params = {k: v for k, v in llm._params().items() if k != "api_key"}
    key = request_key(params=params, messages=outbound, kind="stream")
    restorer = PlaceholderRestorer(redactor)
    if llm.cache is not None and use_cache and (hit := llm.cache.get(key)) is not None:
        llm.meter.record_cache_hit()
        for word in _WORD.findall(hit):
            if text := restorer.feed(word):
                yield text
        if tail := restorer.flush():
            yield tail
        return
    sent: list[str] = []
    async for chunk in _chunks(llm, outbound):
        sent.append(chunk)
        if text := restorer.feed(chunk):
            yield text
    if tail := restorer.flush():
        yield tail
    if llm.cache is not None and sent:
        llm.cache.put(key, "".join(sent))
