"""Summary tables after a run: dimensions, elements, flags, usage."""

from __future__ import annotations

from collections import Counter
from statistics import mean

from rich.table import Table

from grader._results import Grade
from grader._rubric import Rubric

__all__ = ["summary_tables"]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def summary_tables(grades: list[Grade], rubric: Rubric) -> list[Table]:
    """Per-transcript, per-dimension, per-element and flag/usage tables."""
    graded = [g for g in grades if g.status == "graded"]
    runs = Table(title="Transcripts")
    calibrated = any(g.calibrated for g in grades)
    for col in ("transcript", "status", "overall", "scenario", "flags"):
        runs.add_column(col)
    if calibrated:
        runs.add_column("calibrated")
    for g in sorted(grades, key=lambda g: g.transcript_id):
        scenario = f"{g.scenario.inquiry_type}/{g.scenario.customer_state}" if g.scenario else ""
        row = [
            g.transcript_id,
            g.status if not g.error else f"{g.status}: {g.error[:60]}",
            _fmt(g.overall),
            scenario,
            " ".join(g.flags),
        ]
        if calibrated:
            cal = g.calibrated
            outcomes = " ".join(f"{k}={v:.2f}" for k, v in (cal.outcomes if cal else {}).items())
            row.append("" if cal is None else f"{_fmt(cal.overall)} {outcomes}".strip())
        runs.add_row(*row)

    dims = Table(title="Dimensions (mean of graded transcripts, 0-100)")
    for col in ("dimension", "mean", "scored in"):
        dims.add_column(col)
    for d in rubric.dimensions:
        scores = [
            s.score
            for g in graded
            for s in g.dimensions
            if s.dimension_id == d.id and s.score is not None
        ]
        dims.add_row(d.name, _fmt(mean(scores) if scores else None), f"{len(scores)}/{len(graded)}")
    overall = [g.overall for g in graded if g.overall is not None]
    dims.add_row(
        "overall", _fmt(mean(overall) if overall else None), f"{len(overall)}/{len(graded)}"
    )

    elements = Table(title="Elements")
    for col in ("element", "mean score", "N/A", "zeros"):
        elements.add_column(col)
    for el in rubric.elements:
        verdicts = [v for g in graded for v in g.verdicts if v.element_id == el.id]
        scored = [v.score for v in verdicts if v.score is not None]
        elements.add_row(
            el.id + (" (critical)" if el.critical else ""),
            f"{mean(scored):.2f}/{el.max_level}" if scored else "-",
            str(len(verdicts) - len(scored)),
            str(scored.count(0)),
        )

    flags = Table(title="Flags and usage")
    flags.add_column("what")
    flags.add_column("count")
    for flag, count in Counter(f for g in grades for f in g.flags).most_common():
        flags.add_row(flag, str(count))
    calls = sum(g.usage.calls for g in grades)
    flags.add_row("LLM calls (incl. re-asks, failures)", str(calls))
    flags.add_row("cached answers", str(sum(g.cached for g in grades)))
    flags.add_row(
        "prompt / completion tokens",
        f"{sum(g.usage.prompt_tokens for g in grades)} / {sum(g.usage.completion_tokens for g in grades)}",
    )
    flags.add_row("cost (USD)", f"{sum(g.usage.cost_usd for g in grades):.4f}")
    seconds = [g.seconds for g in graded if not g.cached]
    flags.add_row("seconds per transcript (uncached)", _fmt(mean(seconds) if seconds else None))
    return [runs, dims, elements, flags]
