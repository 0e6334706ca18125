"""`mockllm`: a scripted LLM provider behind litellm, used across the tests.

It is registered as a litellm custom provider, so a grading with ``model="mockllm/x"``
goes through exactly the path a real provider does: litellm, instructor, validators,
re-asks, retries, usage accounting and the cache.

    mock = MockLLM(['{"bad": 1}', {"score": 2}])   # first answer gets re-asked
    mock.requests                                   # what the grader sent
"""

from __future__ import annotations

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

from grader.model._provider import InProcessProvider, chat_response
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


class MockLLM(InProcessProvider):
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

    def respond(
        self, model: str, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> litellm.ModelResponse:
        """The next scripted output (or an answer built from the schema)."""
        request = FakeRequest(model, messages, schema_of(params.get("response_format")), params)
        output = self.script.next_output(request)
        if isinstance(output, HttpError):
            raise _litellm_error(output, model)
        if isinstance(output, BaseException):
            raise output
        usage = {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }
        return chat_response(f"mockllm/{model}", render_content(output), usage)
