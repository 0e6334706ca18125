"""The one retry policy for transient failures; litellm's and the SDK's own retries are off.

Re-asking for an invalid answer is instructor's job (a different loop, bounded separately);
this module only decides whether an error from a provider is worth another request, and
how long to wait: a 429's Retry-After is honoured, otherwise exponential backoff with jitter.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from grader._errors import ModelError, TransientModelError

__all__ = ["classify_error", "retrying"]

_TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 529})


def _header(exc: BaseException, name: str) -> str | None:
    for holder in (getattr(exc, "response", None), exc):
        headers = getattr(holder, "headers", None) or getattr(
            holder, "litellm_response_headers", None
        )
        if headers is not None:
            try:
                value = headers.get(name)
            except AttributeError:
                continue
            if value is not None:
                return str(value)
    return None


def _retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait: retry-after-ms (OpenAI's), else Retry-After.

    Retry-After is delta-seconds or an HTTP date; anything unreadable counts as absent.
    """
    millis = _header(exc, "retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000)
        except ValueError:
            pass
    value = _header(exc, "retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return max(0.0, parsed.timestamp() - time.time())


def classify_error(exc: BaseException) -> ModelError:
    """Map a provider exception to `TransientModelError` (retry) or `ModelError` (give up)."""
    if isinstance(exc, ModelError):
        return exc
    from litellm.exceptions import (
        APIConnectionError,
        InternalServerError,
        RateLimitError,
        ServiceUnavailableError,
        Timeout,
    )

    status = getattr(exc, "status_code", None)
    transient_types = (
        RateLimitError,
        Timeout,
        APIConnectionError,
        InternalServerError,
        ServiceUnavailableError,
    )
    if (
        isinstance(exc, transient_types)
        or status in _TRANSIENT_STATUS
        or isinstance(exc, TimeoutError)
    ):
        return TransientModelError(
            f"{type(exc).__name__}: {exc}", retry_after=_retry_after_seconds(exc)
        )
    return ModelError(f"{type(exc).__name__}: {exc}")


def _wait(max_wait: float) -> Callable[[RetryCallState], float]:
    backoff = wait_exponential_jitter(initial=1, max=max_wait)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientModelError) and exc.retry_after is not None:
            return min(exc.retry_after, max_wait)
        return float(backoff(state))

    return wait


def retrying(max_attempts: int, max_wait: float, **kwargs: Any) -> AsyncRetrying:
    """A tenacity loop that retries only `TransientModelError`, re-raising the last one."""
    return AsyncRetrying(
        stop=stop_after_attempt(max(1, max_attempts)),
        wait=_wait(max_wait),
        retry=retry_if_exception_type(TransientModelError),
        reraise=True,
        **kwargs,
    )
