"""Faults the fake OpenAI-compatible server injects at set rates, drawn from a seeded RNG.

    FakeOpenAIServer(faults=Faults(rate_limit=0.2, server_error=0.05, timeout=0.05,
                                   invalid_json=0.05, seed=7))

Each request draws one number: the rates are cumulative shares of requests (their sum is at
most 1), so 20 % of requests get a 429, 5 % a 500, and so on; the rest are answered. The
draw is seeded, so a run is reproducible in its mix (the order of concurrent requests is
not). `served` counts what was injected, for tests to compare with what the client saw.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from grader._errors import ConfigurationError

__all__ = ["Fault", "Faults"]

Fault = Literal["rate_limit", "server_error", "timeout", "invalid_json", "truncated", "none"]
_ORDER: tuple[Fault, ...] = ("rate_limit", "server_error", "timeout", "invalid_json", "truncated")


@dataclass
class Faults:
    """Shares of requests that fail each way, and how."""

    rate_limit: float = 0.0
    server_error: float = 0.0
    timeout: float = 0.0
    invalid_json: float = 0.0
    truncated: float = 0.0
    #: Retry-After on a 429, in seconds (None: no header).
    retry_after: float | None = 1.0
    #: retry-after-ms on a 429 (OpenAI's finer header; None: not sent).
    retry_after_ms: float | None = None
    #: How long a "timeout" request hangs before the server gives up on it.
    hang_seconds: float = 5.0
    #: Seconds between streamed chunks (0: as fast as possible).
    chunk_delay: float = 0.0
    #: Seconds before any answer (a provider's fixed latency).
    latency: float = 0.0
    seed: int = 0
    served: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        shares = [getattr(self, name) for name in _ORDER]
        if any(s < 0 for s in shares) or sum(shares) > 1 + 1e-9:
            raise ConfigurationError(
                f"fault rates must be >= 0 and sum to at most 1, got {dict(zip(_ORDER, shares, strict=True))}"
            )
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def draw(self) -> Fault:
        """The fault for the next request ("none": answer it)."""
        with self._lock:
            x = self._rng.random()
            edge = 0.0
            chosen: Fault = "none"
            for name in _ORDER:
                edge += getattr(self, name)
                if x < edge:
                    chosen = name
                    break
            self.served[chosen] += 1
            return chosen

    def rate_limit_headers(self) -> dict[str, str]:
        """Retry-After (seconds) and/or retry-after-ms, as configured."""
        headers: dict[str, str] = {}
        if self.retry_after is not None:
            headers["Retry-After"] = f"{self.retry_after:g}"
        if self.retry_after_ms is not None:
            headers["retry-after-ms"] = f"{self.retry_after_ms:g}"
        return headers
