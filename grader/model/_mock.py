"""`mockllm`: a scripted LLM provider behind litellm, used across the tests.

It is registered as a litellm custom provider, so a grading with ``model="mockllm/x"``
goes through exactly the path a real provider does: litellm, instructor, validators,
re-asks, retries, usage accounting and the cache.

    mock = MockLLM(['{"bad": 1}', {"score": 2}])   # first answer gets re-asked
    mock.requests                                   # what the grader sent
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import litellm
from litellm.exceptions import (
    AuthenticationError,
    BadRequestError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from litellm.llms.custom_llm import CustomLLM

from grader.model._script import (
    FakeRequest,
    HttpError,
    OutputSource,
    Script,
    render_content,
    schema_of,
)

__all__ = ["MockLLM"]

_ERRORS: dict[int, type[Exception]] = {
    400: BadRequestError,
    401: AuthenticationError,
    404: NotFoundError,
    429: RateLimitError,
    500: InternalServerError,
    503: ServiceUnavailableError,
}


def _litellm_error(err: HttpError, model: str) -> Exception:
    request = httpx.Request("POST", "http://mockllm.invalid/v1/chat/completions")
    response = httpx.Response(err.status, headers=err.headers, request=request)
    cls = _ERRORS.get(err.status, InternalServerError)
    return cls(err.message, llm_provider="mockllm", model=model, response=response)  # type: ignore[call-arg]


class MockLLM(CustomLLM):
    """A fake model: scripted outputs in order, a callable, or answers built from the schema."""

    def __init__(
        self, outputs: OutputSource = None, *, prompt_tokens: int = 100, completion_tokens: int = 20
    ) -> None:
        super().__init__()
        self.script = Script(outputs)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens

    @property
    def requests(self) -> list[FakeRequest]:
        """Every request received, in order."""
        return self.script.requests

    def _answer(self, model: str, messages: list[dict[str, Any]], params: dict[str, Any]) -> Any:
        request = FakeRequest(model, messages, schema_of(params.get("response_format")), params)
        output = self.script.next_output(request)
        if isinstance(output, HttpError):
            raise _litellm_error(output, model)
        if isinstance(output, BaseException):
            raise output
        return litellm.ModelResponse(
            model=f"mockllm/{model}",
            created=int(time.time()),
            choices=[
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": render_content(output)},
                }
            ],
            usage={
                "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens,
            },
        )

    def completion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Synchronous path (litellm.completion)."""
        return self._answer(model, messages, optional_params or {})

    async def acompletion(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *args: Any,
        optional_params: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Asynchronous path (litellm.acompletion)."""
        return self._answer(model, messages, optional_params or {})
