"""The report's tables as data (title, header, rows), rendered by both Markdown and HTML."""

from __future__ import annotations

from typing import NamedTuple

from evals._agreement import Estimate
from evals._gate import GateCheck
from evals._run import EvalReport, SetReport

__all__ = [
    "Table",
    "fmt",
    "fmt_estimate",
    "gate_table",
    "run_summary",
    "set_summary",
    "set_tables",
]


class Table(NamedTuple):
    """A titled table of strings."""

    title: str
    header: list[str]
    rows: list[list[str]]


def fmt(value: float | None, digits: int = 2) -> str:
    """A number for a table; '-' for undefined."""
    return "-" if value is None else f"{value:.{digits}f}"


def fmt_estimate(estimate: Estimate | None) -> str:
    """Value with its 95 % interval when there is one; 'n/a' for undefined."""
    if estimate is None:
        return "-"
    if estimate.value is None:
        return "n/a"
    if estimate.low is not None and estimate.high is not None:
        return f"{estimate.value:.2f} [{estimate.low:.2f}, {estimate.high:.2f}]"
    return f"{estimate.value:.2f}"


def headline(s: SetReport) -> Table:
    """Grader-vs-people rank correlations next to the one-human-vs-rest ceiling."""
    header = [
        "compared with",
        "grader score",
        "Spearman [95% CI]",
        "Kendall [95% CI]",
        "one human vs rest",
        "n",
    ]
    rows = [
        [
            "human mean score",
            c.target,
            fmt_estimate(c.spearman),
            fmt_estimate(c.kendall),
            fmt_estimate(c.human_vs_rest),
            str(c.spearman.n),
        ]
        for c in s.scores
    ]
    for o in s.outcomes:
        rows += [
            [
                f"{o.outcome} (mean of {o.raters})",
                c.target,
                fmt_estimate(c.spearman),
                fmt_estimate(c.kendall),
                fmt_estimate(o.human_vs_rest),
                str(c.spearman.n),
            ]
            for c in o.correlations
        ]
    return Table("Grader against people", header, rows)


def _outcomes(s: SetReport) -> Table:
    return Table(
        "Agreement among the raters",
        ["outcome", "raters", "Krippendorff α (ordinal)", "one human vs rest"],
        [
            [o.outcome, str(o.raters), fmt_estimate(o.alpha_humans), fmt_estimate(o.human_vs_rest)]
            for o in s.outcomes
        ],
    )


def _elements(s: SetReport) -> Table:
    flips = {e.element_id: e.flip_rate for e in s.stability.elements} if s.stability else {}
    header = [
        "element",
        "n",
        "κ consensus",
        *[f"κ {r}" for r in s.raters],
        "exact",
        "±1",
        "MAE",
        "bias",
        "N/A agree",
        "α humans",
        "α +grader",
        "flip rate",
    ]
    rows = [
        [
            e.element_id,
            str(e.n),
            fmt_estimate(e.kappa),
            *[fmt_estimate(e.kappa_by_rater.get(r)) for r in s.raters],
            fmt(e.exact),
            fmt(e.within_one),
            fmt(e.mae),
            fmt(e.bias),
            fmt(e.na.agreement) if e.na else "-",
            fmt_estimate(e.alpha_humans),
            fmt_estimate(e.alpha_with_grader),
            fmt(flips.get(e.element_id)),
        ]
        for e in s.elements
    ]
    return Table(
        "Elements (quadratic-weighted κ; bias > 0: the grader is more lenient)", header, rows
    )


def _calibration(s: SetReport) -> Table | None:
    cal = s.calibration
    if cal is None or cal.reason is not None:
        return None
    rows = [
        [
            g.element_id,
            "yes" if g.calibrated else "no",
            f"{fmt(g.before['kappa'])} → {fmt(g.after['kappa'])}",
            f"{fmt(g.before['exact'])} → {fmt(g.after['exact'])}",
            f"{fmt(g.before['mae'])} → {fmt(g.after['mae'])}",
            f"{fmt(g.before['bias'])} → {fmt(g.after['bias'])}",
        ]
        for g in cal.elements
    ]
    rows.append(
        [
            "overall (0-100)",
            "",
            "",
            "",
            f"{fmt(cal.overall_before.get('mae'))} → {fmt(cal.overall_after.get('mae'))}",
            f"Spearman {fmt(cal.overall_before.get('spearman'))} → "
            f"{fmt(cal.overall_after.get('spearman'))}",
        ]
    )
    return Table(
        f"Isotonic calibration, {cal.folds}-fold cross-validated (out of fold only)",
        [
            "element",
            "calibrated",
            "κ before → after",
            "exact before → after",
            "MAE before → after",
            "bias before → after",
        ],
        rows,
    )


def gate_table(checks: list[GateCheck]) -> Table | None:
    """The gate's checks, failures first (None when no threshold is set)."""
    if not checks:
        return None
    rows = [
        [
            "skip" if c.skipped else "pass" if c.passed else "FAIL",
            c.metric,
            "-" if c.value is None else f"{c.value:.3f}",
            f"{'>=' if c.bound == 'min' else '<='} {c.threshold:g}",
            c.source,
            c.reason or "",
        ]
        for c in sorted(checks, key=lambda c: c.passed)
    ]
    return Table("Gate", ["result", "metric", "value", "threshold", "from", "note"], rows)


def set_tables(s: SetReport) -> list[Table]:
    """Every table of one set's report, in reading order."""
    tables = [headline(s)]
    if s.outcomes:
        tables.append(_outcomes(s))
    if s.elements:
        tables.append(_elements(s))
    tables += [t for t in (_calibration(s), gate_table(s.gate)) if t is not None]
    return tables


def run_summary(report: EvalReport) -> str:
    """One sentence: what graded, with what, at what cost."""
    usage = report.usage
    return (
        f"Model {report.model}, prompt {report.prompt_version}, rubric {report.rubric_id} "
        f"{report.rubric_version}; {report.samples} sample(s) per transcript; "
        f"{usage.prompt_tokens} prompt + {usage.completion_tokens} completion tokens, "
        f"${usage.cost_usd:.4f}; {report.seconds:.0f} s."
    )


def set_summary(s: SetReport) -> str:
    """One sentence: how much of the set was graded, and its stability."""
    text = f"{s.graded}/{s.items} transcripts graded."
    if s.raters:
        text += f" Element labels from {', '.join(s.raters)}."
    if s.outcomes:
        text += (
            " Outcome ratings: "
            + ", ".join(f"{o.outcome} ({o.raters} raters)" for o in s.outcomes)
            + "."
        )
    if s.stability is not None:
        unstable = sum(len(v) for v in s.stability.unstable.values())
        text += (
            f" Over {s.stability.samples} samples: {unstable} unstable verdict(s); mean SD "
            f"of the overall score {fmt(s.stability.overall_sd)}."
        )
    if s.gate:
        failed = sum(not c.passed for c in s.gate)
        text += f" Gate {'FAILED' if failed else 'passed'}: {len(s.gate) - failed}/{len(s.gate)} checks."
    return text
