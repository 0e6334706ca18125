"""Builders of model answers for the default rubric, used with MockLLM in tests."""

from __future__ import annotations

from typing import Any

from grader import Rubric


def answer(
    rubric: Rubric,
    *,
    score: int | str = 3,
    evidence: str = "T1.1",
    overrides: dict[str, dict[str, Any]] | None = None,
    **scenario: str,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "inquiry_type": scenario.get("inquiry_type", "order_status"),
        "customer_state": scenario.get("customer_state", "calm"),
        "objective": scenario.get("objective", "resolve"),
    }
    for el in rubric.elements:
        out[el.id] = {"evidence": [evidence], "rationale": f"{el.id} looks fine", "score": score}
        out[el.id].update((overrides or {}).get(el.id, {}))
    return out
