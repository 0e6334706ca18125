"""Reports of an eval run, written side by side.

`report.json` (everything), `report.md` (the headline tables), `junit.xml` (one test case
per gate check, for CI) and `report.html` (with plots, see `_html`).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from evals._contrast_tables import contrast_summary, contrast_tables
from evals._html import render_html
from evals._pairwise import ContrastReport
from evals._run import EvalReport, SetReport
from evals._tables import Table, run_summary, set_summary, set_tables

__all__ = ["markdown_report", "write_junit", "write_reports"]


def _markdown_table(table: Table) -> list[str]:
    lines = [
        f"**{table.title}**",
        "",
        "| " + " | ".join(table.header) + " |",
        "|" + "---|" * len(table.header),
    ]
    return [*lines, *("| " + " | ".join(row) + " |" for row in table.rows), ""]


def markdown_report(report: EvalReport) -> str:
    """The headline tables as Markdown."""
    lines = ["# Grader calibration report", "", run_summary(report), ""]
    for s in report.sets:
        lines += [f"## {s.name}", "", s.description or s.source, "", set_summary(s), ""]
        for table in set_tables(s):
            lines += _markdown_table(table)
    for c in report.contrast:
        lines += [f"## {c.name} (contrast pairs)", "", c.description or c.source, ""]
        lines += [contrast_summary(c), ""]
        for table in contrast_tables(c):
            lines += _markdown_table(table)
    return "\n".join(lines).rstrip() + "\n"


def write_junit(report: EvalReport, path: Path) -> None:
    """One test suite per set, one test case per gate check (a single case when ungated)."""
    suites = ET.Element("testsuites", name="grader eval")
    parts: list[SetReport | ContrastReport] = [*report.sets, *report.contrast]
    for s in parts:
        failures = sum(not c.passed for c in s.gate)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=s.name,
            tests=str(max(1, len(s.gate))),
            failures=str(failures),
            errors="0",
            time=f"{report.seconds:.2f}",
        )
        props = ET.SubElement(suite, "properties")
        for key, value in (
            ("model", report.model),
            ("prompt_version", report.prompt_version),
            ("rubric_version", report.rubric_version),
        ):
            ET.SubElement(props, "property", name=key, value=value)
        if not s.gate:
            ET.SubElement(suite, "testcase", classname=f"eval.{s.name}", name="no thresholds set")
        for c in s.gate:
            sign = ">=" if c.bound == "min" else "<="
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"eval.{s.name}",
                name=f"{c.metric} {sign} {c.threshold:g}",
            )
            if not c.passed:
                ET.SubElement(case, "failure", message=c.describe(), type="threshold")
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def write_reports(report: EvalReport, out: Path) -> list[Path]:
    """Write report.json, report.md, report.html and junit.xml into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "report.json", out / "report.md", out / "report.html", out / "junit.xml"]
    paths[0].write_text(report.model_dump_json(indent=2), encoding="utf-8")
    paths[1].write_text(markdown_report(report), encoding="utf-8")
    paths[2].write_text(render_html(report), encoding="utf-8")
    write_junit(report, paths[3])
    return paths
