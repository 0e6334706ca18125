"""A contrast report's tables (per element, per judge, the pairs lost), for Markdown and HTML."""

from __future__ import annotations

from evals._pairwise import ContrastReport, PairOutcome, TwinView
from evals._tables import Table, fmt, gate_table

__all__ = ["contrast_summary", "contrast_tables"]


def _elements(report: ContrastReport) -> Table:
    single = report.single_call
    single_by = {e.element_id: e for e in single.elements} if single else {}
    header = ["element", "pairs", "accuracy", "won/tied/lost", "uncertain pairs", "status"]
    header += ["judges (accuracy on their pairs)"]
    if single is not None:
        header += [f"single call ({single.pairs} pairs)"]
    rows = []
    for e in report.elements:
        row = [
            e.element_id,
            str(e.pairs),
            fmt(e.accuracy),
            f"{e.wins}/{e.ties}/{e.losses}",
            str(e.uncertain_pairs),
            e.status,
            ", ".join(f"{j} {fmt(a)}" for j, a in e.judges.items()) or "-",
        ]
        if single is not None:
            s = single_by.get(e.element_id)
            row.append(fmt(s.accuracy) if s else "-")
        rows.append(row)
    total = ["all", str(report.pairs), fmt(report.accuracy), "", "", "", ""]
    if single is not None:
        same = {o.pair_id for o in single.outcomes}
        mine = [o.credit for o in report.outcomes if o.pair_id in same]
        judges_there = fmt(sum(mine) / len(mine)) if mine else "-"
        total.append(f"{fmt(single.accuracy)} (judges on the same pairs: {judges_there})")
    rows.append(total)
    return Table(
        "Pairwise accuracy per element (better twin scored higher; tie or uncertain = 1/2)",
        header,
        rows,
    )


def _judges(report: ContrastReport) -> Table:
    rows = [
        [j.judge, str(j.pairs), fmt(j.coverage), fmt(j.accuracy), ", ".join(sorted(j.elements))]
        for j in report.judges
    ]
    return Table(
        "Per judge (pairs where it voted on both twins)",
        ["judge", "pairs", "coverage", "accuracy", "elements"],
        rows,
    )


def _side(view: TwinView) -> str:
    return fmt(view.score) if view.status == "scored" else view.status


def _lost(outcomes: list[PairOutcome]) -> Table | None:
    rows = [
        [
            o.pair_id,
            o.element,
            _side(o.better),
            _side(o.worse),
            fmt(o.credit, 1),
            "yes" if o.subtle else "",
        ]
        for o in outcomes
        if o.credit < 1
    ]
    if not rows:
        return None
    return Table(
        "Pairs not won (score of the better / worse twin)",
        ["pair", "element", "better", "worse", "credit", "subtle"],
        rows,
    )


def contrast_tables(report: ContrastReport) -> list[Table]:
    """Every table of one contrast report, in reading order."""
    tables = [_elements(report)]
    if report.judges:
        tables.append(_judges(report))
    tables += [t for t in (_lost(report.outcomes), gate_table(report.gate)) if t is not None]
    return tables


def contrast_summary(report: ContrastReport) -> str:
    """One sentence: pairs, accuracy, uncertain elements, the gate."""
    text = (
        f"{report.pairs} pairs ({report.graded_twins}/{2 * report.pairs} twins graded), "
        f"pairwise accuracy {fmt(report.accuracy)} (subtle pairs {fmt(report.subtle_accuracy)}); "
        f"uncertain elements: {', '.join(report.uncertain_elements) or 'none'}."
    )
    if report.single_call is not None:
        text += (
            f" Single-call path on {report.single_call.pairs} pairs: "
            f"{fmt(report.single_call.accuracy)}."
        )
    if report.gate:
        failed = sum(not c.passed for c in report.gate)
        text += (
            f" Gate {'FAILED' if failed else 'passed'}: "
            f"{len(report.gate) - failed}/{len(report.gate)} checks."
        )
    return text
