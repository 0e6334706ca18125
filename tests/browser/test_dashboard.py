"""The QA dashboard against the real API: charts from seeded grades, a reviewer's override and a
lead's decisions made in the page and stored. Expected figures are computed here by hand from
the seeded grades, not read back from the API.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from statistics import fmean
from typing import Any

import pytest
from _pages import axe_violations, new_page, screenshot
from sqlalchemy import select

FROM, TO = "2026-10-05", "2026-11-15"  # the seeded six weeks


def _rows(settings: Any, table: Any) -> list[Any]:
    from app.storage import open_database

    database = open_database(settings.database)
    try:
        with database.session() as session:
            return [
                {c.name: getattr(r, c.name) for c in table.__table__.columns}
                for r in session.scalars(select(table))
            ]
    finally:
        database.close()


def _week(when: Any) -> str:
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    return (day - timedelta(days=day.weekday())).date().isoformat()


def _open_overview(page: Any, api: str, key: str) -> None:
    page.goto(f"{api}/app/dashboard/#key={key}")
    page.locator("body[data-loaded=overview]").wait_for()
    assert "key=" not in page.url  # the key does not stay in the address bar
    page.locator("#from").fill(FROM)
    page.locator("#to").fill(TO)
    page.locator("#filters button[type=submit]").click()
    page.locator("body[data-loaded=overview]").wait_for()
    page.locator("#api-status[data-kind=ok]").wait_for()


def test_dashboard_draws_the_seeded_grades(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    built, api = service
    page = new_page(browser, page_errors, 1280)
    _open_overview(page, api, built.lead_key)

    # Trends: one line per dimension, each point the mean of that week's dimension scores.
    chart = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('trends-chart'));
                   return {labels: c.data.labels, sets: c.data.datasets.map(d => ({label: d.label,
                   data: d.data, dash: d.borderDash, point: d.pointStyle}))}; }"""
    )
    expected: dict[tuple[str, str], list[float]] = defaultdict(list)
    for item in built.seeded:
        for dim in item.grade.dimensions:
            if dim.score is not None:
                expected[(dim.dimension_id, _week(item.graded_at))].append(dim.score)
    weeks = sorted({w for _, w in expected})
    assert chart["labels"] == weeks
    connection = next(s for s in chart["sets"] if s["label"] == "connection")
    for week, value in zip(weeks, connection["data"], strict=True):
        assert value == pytest.approx(fmean(expected[("connection", week)]), abs=0.01)
    # Readable without colour: every line has its own dash pattern and point shape.
    assert len({str(s["dash"]) for s in chart["sets"]}) == len(chart["sets"]) == 4
    assert len({s["point"] for s in chart["sets"]}) == 4

    # Heat-map: Returns x message_framing is the mean percent of that team's verdicts.
    scores = [
        100 * v.score / v.max_score
        for item in built.seeded
        if item.team == "Returns"
        for v in item.grade.verdicts
        if v.element_id == "message_framing" and v.score is not None
    ]
    headers = page.locator("#heatmap thead th").all_inner_texts()
    column = next(i for i, h in enumerate(headers) if h.startswith("Returns"))
    row = page.locator("#heatmap tbody tr", has=page.locator("th", has_text="message_framing"))
    cell = row.locator("td").nth(column - 1).inner_text()
    assert cell.startswith(f"{round(fmean(scores))}%") and f"n={len(scores)}" in cell

    # Consistency across locations: bar heights are the locations' mean overall scores.
    bars = page.evaluate(
        """() => { const c = Chart.getChart(document.getElementById('consistency-chart'));
                   return {labels: c.data.labels, data: c.data.datasets[0].data,
                   text: c.data.datasets[0].valueLabels}; }"""
    )
    by_location: dict[str, list[float]] = defaultdict(list)
    for item in built.seeded:
        if item.grade.overall is not None:
            by_location[item.location].append(item.grade.overall)
    assert bars["labels"] == sorted(by_location)
    for label, value, text in zip(bars["labels"], bars["data"], bars["text"], strict=True):
        assert value == pytest.approx(fmean(by_location[label]), abs=0.01)
        assert f"n={len(by_location[label])}" in text  # the count is printed on the bar

    # Most improved, spotlight with links, patterns, calibration.
    assert page.locator("#improved li .delta-up").count() >= 1
    links = page.locator("#spotlight a")
    assert links.count() >= 1 and links.first.get_attribute("href").startswith("#/conversation/")
    assert "Sorry, that's our policy." in page.locator("#patterns").inner_text()
    assert "0.62 [0.41, 0.78]" in page.locator("#calibration").inner_text()

    screenshot(page, "dashboard-1280")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)

    narrow = new_page(browser, page_errors, 380)
    _open_overview(narrow, api, built.lead_key)
    width = narrow.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the dashboard scrolls sideways at 380 px: {width}px"
    screenshot(narrow, "dashboard-380")
    assert page_errors == []


def test_a_reviewer_overrides_a_verdict_and_a_lead_decides_in_the_page(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    from app.qa._tables import DisputeRecord, ReviewRecord

    built, api = service
    page = new_page(browser, page_errors, 1280)
    _open_overview(page, api, built.lead_key)
    disputed = next(
        r["grade_key"] for r in _rows(built.settings, DisputeRecord) if r["status"] == "open"
    )
    page.goto(f"{api}/app/dashboard/#/conversation/{disputed}")
    page.locator("body[data-loaded=conversation]").wait_for()

    # The transcript is there with the evidence highlighted beside each verdict.
    assert page.locator("#transcript li").count() == 3
    card = page.locator(".verdict-card[data-element=message_framing]")
    assert "detector:framing" in card.inner_text() and "Confidence" in card.inner_text()
    card.get_by_role("button", name="evidence").click()
    active = page.locator("#transcript mark.active")
    assert active.count() == 1 and "policy" in active.inner_text()

    # Override message_framing: 3 of 3, with a reason.
    card.locator("summary", has_text="Override").click()
    card.locator("select").select_option("3")
    card.locator("input[name=reason]").fill("Explained the window and offered store credit.")
    card.get_by_role("button", name="Save override").click()
    page.locator(".verdict-card[data-element=message_framing] [data-review]").wait_for()
    stored = [
        r
        for r in _rows(built.settings, ReviewRecord)
        if r["grade_key"] == disputed and r["kind"] == "override"
    ]
    assert len(stored) == 1 and stored[0]["labels"] == {"message_framing": 3}
    assert stored[0]["reason"] == "Explained the window and offered store credit."
    assert stored[0]["reviewer"] == "qa-lead" and stored[0]["status"] == "submitted"

    # The lead accepts the override (a gold label) and the agent's dispute.
    page.get_by_role("button", name="Accept override").click()
    page.locator("[data-review]", has_text="accepted").wait_for()
    page.get_by_role("button", name="Accept dispute").click()
    page.locator(".dispute[data-status=accepted]").wait_for()
    review = next(r for r in _rows(built.settings, ReviewRecord) if r["id"] == stored[0]["id"])
    assert review["status"] == "accepted"
    dispute = next(r for r in _rows(built.settings, DisputeRecord) if r["grade_key"] == disputed)
    assert dispute["status"] == "accepted" and dispute["decided_by"] == "qa-lead"

    screenshot(page, "conversation-1280")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)
    narrow = new_page(browser, page_errors, 380)
    _open_overview(narrow, api, built.lead_key)
    narrow.evaluate(f"location.hash = '#/conversation/{disputed}'")
    narrow.locator("body[data-loaded=conversation]").wait_for()
    screenshot(narrow, "conversation-380")
    assert page_errors == []


def test_the_dashboard_says_when_the_key_is_wrong(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    built, api = service
    page = new_page(browser, page_errors, 1280)
    page.goto(f"{api}/app/dashboard/#key=not-a-key")
    page.locator("body[data-loaded=overview]").wait_for()
    assert "API key is wrong" in page.locator("#alert").inner_text()
    assert page.locator("#api-status[data-kind=bad]").count() == 1
    sidebar_key = built.key  # a coach key lacks the review scope: said as such
    page.goto(f"{api}/app/dashboard/#key={sidebar_key}")
    page.reload()
    page.locator("body[data-loaded=overview]").wait_for()
    assert "not allowed" in page.locator("#alert").inner_text()
    assert all("401" in e or "403" in e for e in page_errors)
