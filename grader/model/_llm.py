"""The one LLM seam: litellm → instructor → pydantic, with retries, re-asks, usage and cache.

Every structured request of the project goes through `LLM.generate`. Three loops, never
stacked on one another's job:

* instructor re-asks when an answer fails validation (bounded by `max_reasks`);
* our tenacity loop retries transient provider failures (bounded by `max_transient_retries`);
* litellm's and the OpenAI SDK's own retries are switched off on every request.

Before a request leaves for a hosted model, PII is masked (`grader._redaction.Redactor`,
on by default for every model that does not run in this process) and the placeholders in
the answer are mapped back here. Streaming (`LLM.stream`, in `_stream.py`) goes through the
same retry policy, budget, accounting, cache and redaction.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # never fetch prices at run time

from pydantic import BaseModel, ValidationError

from grader._errors import BudgetExceededError, InvalidAnswerError, ModelError
from grader._redaction import Redactor
from grader.model._cache import ResponseCache, request_key
from grader.model._retry import classify_error, retrying
from grader.model._usage import Usage, UsageMeter

if TYPE_CHECKING:
    from instructor.core.exceptions import InstructorRetryException
    from litellm.llms.custom_llm import CustomLLM

    from grader.model._local import LocalLlama

__all__ = ["LLM", "LOCAL_MODEL", "Generation", "register_provider"]

T = TypeVar("T", bound=BaseModel)


@cache
def _litellm() -> Any:  # the module (Any: mypy cannot type a module object)
    """litellm, imported on first use: it takes ~10 s, and the embedded default never calls it."""
    import litellm

    litellm.suppress_debug_info = True  # errors are reported by us, not as "Give Feedback" banners
    return litellm


#: What the model name `local` stands for.
LOCAL_MODEL = "local/smollm2-135m-instruct"

_local_lock = threading.Lock()
_local_providers: dict[tuple[str, int], LocalLlama] = {}


def register_provider(prefix: str, handler: CustomLLM) -> None:
    """Route litellm model strings ``prefix/...`` to `handler` (replacing an earlier one)."""
    litellm = _litellm()
    others = [p for p in litellm.custom_provider_map if p.get("provider") != prefix]
    litellm.custom_provider_map = [*others, {"provider": prefix, "custom_handler": handler}]
    litellm.utils.custom_llm_setup()


def _shared_local(path: Path | None, n_ctx: int) -> LocalLlama:
    """One in-process model per file, so it loads once and keeps its prompt cache."""
    from grader.model._local import LocalLlama

    with _local_lock:
        key = (str(path), n_ctx)
        if key not in _local_providers:
            _local_providers[key] = LocalLlama(path, n_ctx=n_ctx)
        return _local_providers[key]


@dataclass(frozen=True)
class Generation(Generic[T]):
    """A validated answer and what producing it cost."""

    value: T
    usage: Usage
    cached: bool
    attempts: int


class LLM:
    """Structured generation from any litellm model string, or ``local`` (the default)."""

    def __init__(
        self,
        model: str = "local",
        *,
        api_base: str | None = None,
        api_key: str | None = None,
        temperature: float = 0.0,
        max_output_tokens: int = 2048,
        timeout: float = 600.0,
        max_reasks: int = 2,
        max_transient_retries: int = 4,
        max_retry_wait: float = 60.0,
        cache: ResponseCache | None = None,
        meter: UsageMeter | None = None,
        provider: CustomLLM | None = None,
        local_model_path: Path | None = None,
        local_context: int = 8192,
        redact_pii: bool | None = None,
    ) -> None:
        self.model = LOCAL_MODEL if model == "local" else model
        if "/" not in self.model and provider is None and not _is_known_model(self.model):
            raise ModelError(
                f"unknown model '{model}': use a litellm model string like "
                "'openai/gpt-4o-mini', or 'local' for the embedded model"
            )
        prefix = self.model.split("/", 1)[0]
        #: The embedded model is registered on the first request (`_ensure_provider`), so
        #: making an LLM that is never asked (the embedded default) imports no litellm.
        self._local: tuple[Path | None, int] | None = None
        if provider is not None:
            register_provider(prefix, provider)
        elif prefix == "mockllm" and not _is_registered(prefix):
            from grader.model._mock import MockLLM

            register_provider(prefix, MockLLM())  # like Inspect's mockllm/model: works anywhere
        elif self.model.startswith("local/"):
            self._local = (local_model_path, local_context)
        self.api_base = api_base
        self.api_key = api_key
        self.temperature = temperature
        self.max_output_tokens = max_output_tokens
        self.timeout = timeout
        self.max_reasks = max_reasks
        self.max_transient_retries = max_transient_retries
        self.max_retry_wait = max_retry_wait
        self.cache = cache
        self.meter = meter or UsageMeter()
        #: Mask PII before sending: by default for every model not running in this process
        #: (the embedded model and the in-process mock see the text as it is).
        in_process = self.is_local or prefix == "mockllm"
        self.redact_pii = (not in_process) if redact_pii is None else redact_pii

    def _ensure_provider(self) -> None:
        """Register the embedded model's provider before its first request."""
        if self._local is not None:
            register_provider("local", _shared_local(*self._local))
            self._local = None

    @property
    def is_local(self) -> bool:
        """Whether the model runs in this process (nothing leaves the machine)."""
        return self.model.startswith("local/")

    def redactor(self, redactor: Redactor | None = None) -> Redactor | None:
        """The redactor a request uses: the caller's (it knows names), a fresh one, or none."""
        if not self.redact_pii:
            return None
        return redactor or Redactor()

    def stream(
        self,
        messages: list[dict[str, str]],
        *,
        redactor: Redactor | None = None,
        use_cache: bool = True,
    ) -> AsyncIterator[str]:
        """Text chunks of a plain-text answer as they arrive (see `_stream.stream_text`)."""
        from grader.model._stream import stream_text

        self._ensure_provider()
        return stream_text(self, messages, redactor=self.redactor(redactor), use_cache=use_cache)

    def _params(self) -> dict[str, Any]:
        params: dict[str, Any] = {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": self.max_output_tokens,
            "timeout": self.timeout,
        }
        if self.api_base:
            params["api_base"] = self.api_base
        if self.api_key:
            params["api_key"] = self.api_key
        return params

    def _completion_fn(
        self, call_usage: list[Usage], schema: dict[str, Any]
    ) -> Callable[..., Awaitable[Any]]:
        """litellm.acompletion with its own retries off, counting every attempt.

        The response format carries `schema` (the response model's cached, per-request
        schema) instead of the one instructor generated again from the model class.
        """

        async def complete(**kwargs: Any) -> Any:
            self.meter.check_budget()
            kwargs["timeout"] = self.timeout  # per request, here: instructor reads its own
            # `timeout` as a deadline for all re-asks together, which cut re-asks short.
            response_format = kwargs.get("response_format")
            if isinstance(response_format, dict) and "json_schema" in response_format:
                inner = {**response_format["json_schema"], "schema": schema}
                kwargs["response_format"] = {**response_format, "json_schema": inner}
            try:
                response = await _litellm().acompletion(**kwargs, num_retries=0, max_retries=0)
            except Exception:
                call_usage.append(self.meter.record_failure())
                raise
            call_usage.append(self.meter.record_response(response))
            return response

        return complete

    async def generate(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        *,
        context: dict[str, Any] | None = None,
        cache_scope: str = "",
        use_cache: bool = True,
        redactor: Redactor | None = None,
    ) -> Generation[T]:
        """Ask for an instance of `response_model`; raise a `ModelError` subclass on failure.

        `context` reaches the model's validators (instructor re-asks when they raise);
        `cache_scope` adds what the messages do not show (e.g. the rubric version);
        `redactor` (built with the conversation's known names) masks PII when it is on.
        A response model may narrow its schema per request with a `request_schema(context)`
        classmethod (the grading answer does, to avoid building a model per transcript).
        """
        params = self._params()
        masker = self.redactor(redactor)
        outbound = masker.redact_messages(messages) if masker else messages
        schema = _request_schema(response_model, context)
        key = request_key(
            params={k: v for k, v in params.items() if k != "api_key"},
            messages=outbound,
            schema=schema,
            scope=cache_scope,
        )
        if self.cache is not None and use_cache and (hit := self.cache.get(key)) is not None:
            try:
                value = response_model.model_validate_json(hit, context=context)
            except ValidationError:
                pass  # stored under an older validator: ask again
            else:
                value = _restored(value, masker, context)
                return Generation(value, self.meter.record_cache_hit(), cached=True, attempts=0)
        import instructor

        self._ensure_provider()
        call_usage: list[Usage] = []
        client = instructor.from_litellm(
            self._completion_fn(call_usage, schema), mode=instructor.Mode.JSON_SCHEMA
        )
        async for attempt in retrying(self.max_transient_retries, self.max_retry_wait):
            with attempt:
                value = await self._ask(client, outbound, response_model, context, params)
        if self.cache is not None:
            self.cache.put(key, value.model_dump_json())  # as answered: placeholders, no PII
        total = sum(call_usage, Usage())
        value = _restored(value, masker, context)
        return Generation(value, total, cached=False, attempts=total.calls)

    async def _ask(
        self,
        client: Any,
        messages: list[dict[str, str]],
        response_model: type[T],
        context: dict[str, Any] | None,
        params: dict[str, Any],
    ) -> T:
        from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException

        try:
            value: T = await client.create(
                response_model=response_model,
                messages=messages,
                max_retries=self.max_reasks,
                context=context,
                **{k: v for k, v in params.items() if k != "timeout"},
            )
        except InstructorRetryException as exc:
            raise _unwrap(exc) from exc
        except IncompleteOutputException as exc:
            raise InvalidAnswerError(
                f"answer cut off at max_tokens={self.max_output_tokens}", attempts=1
            ) from exc
        except ModelError:
            raise
        except ValidationError as exc:  # an answer no re-ask fixed: still one of ours
            detail = " ".join(str(exc).splitlines()[:4])[:400]
            raise InvalidAnswerError(f"answer invalid: {detail}", attempts=1) from exc
        except Exception as exc:
            raise classify_error(exc) from exc
        return value


def _request_schema(response_model: type[BaseModel], context: dict[str, Any] | None) -> Any:
    narrow = getattr(response_model, "request_schema", None)
    return narrow(context) if callable(narrow) else response_model.model_json_schema()


def _restored(value: T, masker: Redactor | None, context: dict[str, Any] | None) -> T:
    """The answer with masked values put back (validated again only if any were written)."""
    if masker is None or not masker.mapping:
        return value
    dumped = value.model_dump()
    restored = masker.restore_value(dumped)
    if restored == dumped:
        return value
    return type(value).model_validate(restored, context=context)


def _unwrap(exc: InstructorRetryException) -> ModelError:
    cause = exc.__cause__
    if isinstance(cause, BudgetExceededError):
        return cause
    if cause is None or isinstance(cause, ValidationError | json.JSONDecodeError | ValueError):
        detail = str(cause or exc).splitlines()
        return InvalidAnswerError(
            f"answer still invalid after {exc.n_attempts} attempt(s): {' '.join(detail[:4])[:400]}",
            attempts=int(exc.n_attempts or 0),
        )
    return classify_error(cause)


def _is_registered(prefix: str) -> bool:
    return any(p.get("provider") == prefix for p in _litellm().custom_provider_map)


def _is_known_model(model: str) -> bool:
    """Bare names litellm knows (gpt-4o-mini, claude-…) are fine without a provider prefix."""
    return model in _litellm().model_cost
