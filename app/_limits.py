"""Per-tenant limits: requests per minute (sliding window) and model tokens per UTC day.

The request window is kept in this process (one `grader serve`); the token budget is read
from the grades table, so every process and worker sees the same spending.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app._errors import LimitExceededError
from app._grade_store import tokens_since
from app.storage import Tenant
from grader._settings import Settings

__all__ = ["RateLimiter", "check_token_budget", "seconds_to_midnight"]

_WINDOW = 60.0


class RateLimiter:
    """At most N requests per tenant in any 60 seconds; the 429 says when the next one fits."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, tenant_id: str, per_minute: int) -> None:
        """Count a request, or raise `LimitExceededError` with the wait."""
        now = self._clock()
        with self._lock:
            hits = self._hits[tenant_id]
            while hits and hits[0] <= now - _WINDOW:
                hits.popleft()
            if len(hits) >= per_minute:
                wait = math.ceil(hits[0] + _WINDOW - now)
                raise LimitExceededError(
                    f"rate limit: {per_minute} requests per minute for tenant {tenant_id}", wait
                )
            hits.append(now)


def seconds_to_midnight(now: datetime | None = None) -> int:
    """Seconds until the next UTC day, when a daily budget is renewed."""
    now = now or datetime.now(UTC)
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return math.ceil((tomorrow - now).total_seconds())


def check_token_budget(session: Session, tenant: Tenant, settings: Settings) -> None:
    """Raise `LimitExceededError` when the tenant spent its tokens for today."""
    budget = tenant.tokens_per_day or settings.tokens_per_day
    if budget is None:
        return
    used = tokens_since(session, tenant.id)
    if used >= budget:
        raise LimitExceededError(
            f"token budget: tenant {tenant.id} used {used} of {budget} tokens today",
            seconds_to_midnight(),
        )
