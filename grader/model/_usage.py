"""Token and cost accounting for every attempt, and the run's token budget."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel

from grader._errors import BudgetExceededError

__all__ = ["Usage", "UsageMeter"]


class Usage(BaseModel):
    """What requests cost: calls made (failed and re-asked ones included), tokens, dollars."""

    calls: int = 0
    failed_calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    @property
    def total_tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        fields = type(self).model_fields
        return Usage(**{k: getattr(self, k) + getattr(other, k) for k in fields})


def _cost_of(response: Any) -> float:
    """Provider price from litellm's bundled cost map; 0 for local and unknown models."""
    import litellm

    try:
        return float(litellm.completion_cost(completion_response=response))
    except Exception:  # unknown model in the cost map: not an error, just unpriced
        return 0.0


class UsageMeter:
    """Adds up usage for one run and refuses new requests once the budget is spent.

    Shared by concurrent gradings, hence the lock; the budget is checked before each
    request, so a run stops cleanly between requests rather than mid-answer.
    """

    def __init__(self, token_budget: int | None = None) -> None:
        self.token_budget = token_budget
        self._usage = Usage()
        self._lock = threading.Lock()

    @property
    def usage(self) -> Usage:
        """A snapshot of the totals so far."""
        with self._lock:
            return self._usage.model_copy()

    @property
    def exhausted(self) -> bool:
        """Whether the budget is spent."""
        return self.token_budget is not None and self.usage.total_tokens >= self.token_budget

    def check_budget(self) -> None:
        """Raise `BudgetExceededError` when no further request may be sent."""
        if self.exhausted:
            raise BudgetExceededError(
                f"token budget of {self.token_budget} spent "
                f"({self.usage.total_tokens} tokens used); no further requests are sent"
            )

    def record_response(self, response: Any) -> Usage:
        """Count one answered request; returns what it added."""
        raw = getattr(response, "usage", None)
        added = Usage(
            calls=1,
            prompt_tokens=int(getattr(raw, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(raw, "completion_tokens", 0) or 0),
            cost_usd=_cost_of(response),
        )
        self._add(added)
        return added

    def record_failure(self) -> Usage:
        """Count one request that raised (rate limit, server error, timeout)."""
        added = Usage(calls=1, failed_calls=1)
        self._add(added)
        return added

    def record_cache_hit(self) -> Usage:
        """Count one answer served from the cache (no tokens spent)."""
        added = Usage(cached_calls=1)
        self._add(added)
        return added

    def _add(self, added: Usage) -> None:
        with self._lock:
            self._usage = self._usage + added
