"""Base of the in-process litellm providers (the embedded model and the mock)."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any, ClassVar

import litellm
from litellm.llms.custom_llm import CustomLLM

__all__ = ["InProcessProvider", "chat_response"]


def chat_response(
    model: str, content: str, usage: dict[str, int] | None, finish_reason: str = "stop"
) -> litellm.ModelResponse:
    """An OpenAI-shaped chat completion, as litellm hands it to instructor."""
    return litellm.ModelResponse(
        id=f"chatcmpl-{uuid.uuid4().hex[:12]}",
        model=model,
        created=int(time.time()),
        choices=[
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content},
            }
        ],
        usage=usage,
    )


class InProcessProvider(CustomLLM):
    """A litellm custom provider that answers in this process; subclasses write `respond`.

    `blocking` providers (real inference) run in a worker thread so the event loop stays free.
    """

    blocking: ClassVar[bool] = False

    def respond(
        self, model: str, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> litellm.ModelResponse:
        """Answer one chat request; `params` are litellm's optional params (response_format, …)."""
        raise NotImplementedError

    def completion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Synchronous path (litellm.completion)."""
        return self.respond(model, messages, optional_params or {})

    async def acompletion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Asynchronous path (litellm.acompletion)."""
        if self.blocking:
            return await asyncio.to_thread(self.respond, model, messages, optional_params or {})
        return self.respond(model, messages, optional_params or {})
