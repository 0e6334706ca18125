"""The summary after a run, drawn as tables: transcripts, then `app.summarize`'s aggregates."""

from __future__ import annotations

from rich.table import Table

from app import GradeSummary
from grader._results import Grade

__all__ = ["summary_tables"]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _transcripts(grades: list[Grade]) -> Table:
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
    return runs


def summary_tables(grades: list[Grade], summary: GradeSummary) -> list[Table]:
    """Per-transcript, per-dimension, per-element and flag/usage tables."""
    dims = Table(title="Dimensions (mean of graded transcripts, 0-100)")
    for col in ("dimension", "mean", "scored in"):
        dims.add_column(col)
    for d in summary.dimensions:
        dims.add_row(d.name, _fmt(d.mean), f"{d.scored_in}/{summary.graded}")
    scored = sum(g.status == "graded" and g.overall is not None for g in grades)
    dims.add_row("overall", _fmt(summary.overall_mean), f"{scored}/{summary.graded}")

    elements = Table(title="Elements")
    for col in ("element", "mean score", "N/A", "zeros"):
        elements.add_column(col)
    for el in summary.elements:
        elements.add_row(
            el.element_id + (" (critical)" if el.critical else ""),
            f"{el.mean:.2f}/{el.max_level}" if el.mean is not None else "-",
            str(el.not_scored),
            str(el.zeros),
        )

    flags = Table(title="Flags and usage")
    flags.add_column("what")
    flags.add_column("count")
    for flag, count in summary.flags.items():
        flags.add_row(flag, str(count))
    usage = summary.usage
    flags.add_row("LLM calls (incl. re-asks, failures)", str(usage.calls))
    flags.add_row("cached answers", str(usage.cached))
    flags.add_row(
        "prompt / completion tokens", f"{usage.prompt_tokens} / {usage.completion_tokens}"
    )
    flags.add_row("cost (USD)", f"{usage.cost_usd:.4f}")
    flags.add_row("seconds per transcript (uncached)", _fmt(usage.seconds_per_transcript))
    return [_transcripts(grades), dims, elements, flags]
