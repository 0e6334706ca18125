"""`report.html`: the tables plus plots, in one self-contained file (inline PNG, no network).

Per set: confusion-matrix heatmaps (element labels; for outcome ratings a cross-tabulation
of the human mean against the grader's overall score), grader-versus-human scatter with the
identity line, score distributions, and agreement bars next to the human ceiling.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
from collections.abc import Sequence
from typing import Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evals._contrast_tables import contrast_summary, contrast_tables
from evals._run import EvalReport, SetReport
from evals._tables import Table, run_summary, set_summary, set_tables

__all__ = ["PLOT_KINDS", "render_html", "set_figures"]

#: The plots each set gets, in order.
PLOT_KINDS = ("confusion", "scatter", "distribution", "agreement")
_GRADER, _HUMAN, _CEILING = "#1f77b4", "#ff7f0e", "#7f7f7f"


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _heatmap(
    ax: Axes,
    matrix: np.ndarray,
    rows: Sequence[str],
    cols: Sequence[str],
    title: str,
    ylabel: str,
    xlabel: str,
) -> None:
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1.0, float(matrix.max())))
    ax.set_xticks(range(len(cols)), [str(c) for c in cols], fontsize=7)
    ax.set_yticks(range(len(rows)), [str(r) for r in rows], fontsize=7)
    ax.set_title(title, fontsize=8)
    ax.set_xlabel(xlabel, fontsize=7)
    ax.set_ylabel(ylabel, fontsize=7)
    for (i, j), count in np.ndenumerate(matrix):
        if count:
            dark = count > matrix.max() / 2
            ax.text(
                j,
                i,
                f"{count:g}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if dark else "black",
            )


def _legend(ax: Axes, loc: Literal["best", "upper left"] = "best") -> None:
    """A legend only when something is labelled (matplotlib warns on an empty one)."""
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=7, loc=loc)


def _nothing(ax: Axes, what: str) -> None:
    """A panel saying what the set lacks, instead of an empty or failing plot."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, f"no {what} in this report", ha="center", va="center", fontsize=9,
            color=_CEILING, transform=ax.transAxes)  # fmt: skip


def _rescale(value: float, scale: tuple[float, float]) -> float:
    low, high = scale
    return 100 * (value - low) / (high - low) if high > low else 50.0


def _confusion(s: SetReport) -> Figure:
    if s.elements:
        cols = 6
        nrows = -(-len(s.elements) // cols)
        fig = Figure(figsize=(2.3 * cols, 2.4 * nrows))
        axes = fig.subplots(nrows, cols, squeeze=False).ravel()
        fig.subplots_adjust(left=0.04, right=0.99, top=0.95, bottom=0.06, hspace=0.6, wspace=0.5)
        for ax, e in zip(axes, s.elements, strict=False):
            levels = [str(k) for k in range(e.max_level + 1)]
            _heatmap(
                ax,
                np.array(e.confusion, dtype=float),
                levels,
                levels,
                f"{e.element_id} (n={e.n})",
                "human",
                "grader",
            )
        for ax in axes[len(s.elements) :]:
            ax.set_axis_off()
        return fig
    fig = Figure(figsize=(4.4 * max(1, len(s.outcomes)), 4))
    axes = fig.subplots(1, max(1, len(s.outcomes)), squeeze=False).ravel()
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.15, wspace=0.45)
    edges = np.linspace(0, 100, 6)
    names = [f"{a:.0f}-{b:.0f}" for a, b in itertools.pairwise(edges)]
    for ax, o in zip(axes, s.outcomes, strict=False):
        matrix = np.zeros((5, 5))
        for row in s.rows:
            if row.grader_overall is not None and o.outcome in row.outcomes:
                h = min(int(_rescale(row.outcomes[o.outcome], o.scale) // 20), 4)
                g = min(int(row.grader_overall // 20), 4)
                matrix[h, g] += 1
        _heatmap(
            ax,
            matrix,
            names,
            names,
            f"{o.outcome}: transcripts per cell",
            "human mean (rescaled 0-100)",
            "grader overall",
        )
        ax.invert_yaxis()
    if not s.outcomes:
        _nothing(axes[0], "per-element confusion nor outcome ratings")
    return fig


def _scatter(s: SetReport) -> Figure:
    panels: list[tuple[str, list[float], list[float], str]] = []
    if s.scores:
        pairs = [
            (r.human_overall, r.grader_overall)
            for r in s.rows
            if r.human_overall is not None and r.grader_overall is not None
        ]
        panels.append(
            (
                "overall score",
                [p[0] for p in pairs],
                [p[1] for p in pairs],
                "human mean overall (0-100)",
            )
        )
    for o in s.outcomes:
        pairs = [
            (_rescale(r.outcomes[o.outcome], o.scale), r.grader_overall)
            for r in s.rows
            if r.grader_overall is not None and o.outcome in r.outcomes
        ]
        panels.append(
            (
                o.outcome,
                [p[0] for p in pairs],
                [p[1] for p in pairs],
                f"human mean ({o.scale[0]:g}..{o.scale[1]:g} as 0-100)",
            )
        )
    fig = Figure(figsize=(4.6 * max(1, len(panels)), 4.4))
    axes = fig.subplots(1, max(1, len(panels)), squeeze=False).ravel()
    fig.subplots_adjust(left=0.12, right=0.97, bottom=0.13, wspace=0.3)
    for ax, (title, xs, ys, xlabel) in zip(axes, panels, strict=False):
        ax.plot([0, 100], [0, 100], linestyle="--", color=_CEILING, label="identity")
        ax.scatter(xs, ys, s=14, alpha=0.7, color=_GRADER)
        ax.set(
            xlim=(-3, 103),
            ylim=(-3, 103),
            title=f"{title} (n={len(xs)})",
            xlabel=xlabel,
            ylabel="grader overall (0-100)",
        )
        _legend(ax, loc="upper left")
    if not panels:
        _nothing(axes[0], "human overall scores nor outcome ratings")
    return fig


def _distribution(s: SetReport) -> Figure:
    fig = Figure(figsize=(10, 3.8))
    left, right = fig.subplots(1, 2)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.15, wspace=0.25)
    bins = np.linspace(0, 100, 11)
    grader = [r.grader_overall for r in s.rows if r.grader_overall is not None]
    left.hist(grader, bins=bins, alpha=0.6, color=_GRADER, label="grader overall")
    human = [r.human_overall for r in s.rows if r.human_overall is not None]
    for o in s.outcomes[:1] if not human else []:
        human = [
            _rescale(r.outcomes[o.outcome], o.scale) for r in s.rows if o.outcome in r.outcomes
        ]
        left.set_xlabel(f"0-100 ({o.outcome} rescaled)")
    left.hist(human, bins=bins, alpha=0.6, color=_HUMAN, label="human mean")
    left.set(title="Score distributions", ylabel="transcripts")
    _legend(left)
    if s.elements:
        levels = np.arange(4)
        g = [v for r in s.rows for v in r.grader_elements.values() if v is not None]
        h = [v for r in s.rows for v in r.human_elements.values() if v is not None]
        right.bar(
            levels - 0.2, [g.count(int(k)) for k in levels], 0.4, color=_GRADER, label="grader"
        )
        right.bar(
            levels + 0.2,
            [h.count(int(k)) for k in levels],
            0.4,
            color=_HUMAN,
            label="human consensus",
        )
        right.set(title="Element levels, all elements", xlabel="level", xticks=levels)
    elif not s.outcomes:
        _nothing(right, "per-element levels nor outcome ratings")
    else:
        for o in s.outcomes:
            right.hist(
                [r.outcomes[o.outcome] for r in s.rows if o.outcome in r.outcomes],
                bins=12,
                alpha=0.5,
                label=o.outcome,
            )
        right.set(title="Human mean ratings", xlabel="rating")
    _legend(right)
    return fig


def _agreement(s: SetReport) -> Figure:
    if s.elements:
        names = [e.element_id for e in s.elements]
        grader = [e.kappa.value or 0.0 for e in s.elements]
        ceiling = [e.alpha_humans.value or 0.0 for e in s.elements]
        title, glabel, clabel = (
            "Per-element agreement",
            "grader vs consensus (weighted κ)",
            "humans among themselves (Krippendorff α)",
        )
    else:
        pairs = [
            (f"{o.outcome}\n{c.target}", c.spearman.value or 0.0, o.human_vs_rest.value or 0.0)
            for o in s.outcomes
            for c in o.correlations
        ] or [  # an element-only calibration: its scores against the human consensus
            (c.target, c.spearman.value or 0.0, (c.human_vs_rest and c.human_vs_rest.value) or 0.0)
            for c in s.scores
        ]
        names = [p[0] for p in pairs]
        grader, ceiling = [p[1] for p in pairs], [p[2] for p in pairs]
        title, glabel, clabel = (
            "Rank agreement with the human mean",
            "grader (Spearman)",
            "one human vs the rest (Spearman)",
        )
    fig = Figure(figsize=(max(6.0, 0.55 * len(names) + 2), 5))
    ax = fig.subplots()
    fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.38)
    x = np.arange(len(names))
    ax.bar(x - 0.2, grader, 0.4, color=_GRADER, label=glabel)
    ax.bar(x + 0.2, ceiling, 0.4, color=_CEILING, label=clabel)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xticks(x, names, rotation=60, ha="right", fontsize=7)
    ax.set(title=f"{title} (undefined shown as 0)", ylim=(min([-0.2, *grader, *ceiling]), 1))
    if names:
        _legend(ax)
    else:
        _nothing(ax, "element agreement, score or outcome correlation")
    return fig


def set_figures(s: SetReport) -> dict[str, str]:
    """Plot kind -> base64 PNG."""
    makers = {
        "confusion": _confusion,
        "scatter": _scatter,
        "distribution": _distribution,
        "agreement": _agreement,
    }
    return {kind: _png(makers[kind](s)) for kind in PLOT_KINDS}


def _table_html(table: Table) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in table.header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in table.rows
    )
    return f"<h3>{html.escape(table.title)}</h3><table><tr>{head}</tr>{body}</table>"


_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}
table{border-collapse:collapse;font-size:13px;margin-bottom:1em}
td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#f3f3f3}
figure{margin:1em 0}img{max-width:100%}figcaption{font-size:13px;color:#555}"""


def render_html(report: EvalReport) -> str:
    """The whole report as one HTML page."""
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>Grader calibration report"
        f"</title><style>{_STYLE}</style></head><body><h1>Grader calibration report</h1>"
        f"<p>{html.escape(run_summary(report))}</p>"
    ]
    for s in report.sets:
        parts.append(
            f"<h2>{html.escape(s.name)}</h2><p>{html.escape(s.description or s.source)}"
            f"</p><p>{html.escape(set_summary(s))}</p>"
        )
        parts += [_table_html(t) for t in set_tables(s)]
        for kind, png in set_figures(s).items():
            parts.append(
                f"<figure data-plot='{kind}'><img alt='{kind} plot for "
                f"{html.escape(s.name)}' src='data:image/png;base64,{png}'>"
                f"<figcaption>{kind}</figcaption></figure>"
            )
    for c in report.contrast:
        parts.append(
            f"<h2>{html.escape(c.name)} (contrast pairs)</h2><p>"
            f"{html.escape(c.description or c.source)}</p><p>{html.escape(contrast_summary(c))}</p>"
        )
        parts += [_table_html(t) for t in contrast_tables(c)]
    parts.append("</body></html>")
    return "\n".join(parts)
