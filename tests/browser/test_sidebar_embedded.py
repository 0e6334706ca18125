"""The sidebar on the embedded default: the grounded suggestion with its coaching note and sources."""

from __future__ import annotations

from typing import Any

from _pages import new_page, screenshot
from _servers import serve_app
from _service import CURT, CUSTOMER

from api import create_app


def test_the_embedded_default_shows_the_coaching_note_and_cited_sources(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    built, _ = service
    with serve_app(create_app(built.settings.with_overrides(model="local"))) as api:
        page = new_page(browser, page_errors, 380, 1600)
        page.goto(f"{api}/app/sidebar/#key={built.key}")
        page.locator("#ctx-details summary").click()
        page.locator("#conversation").fill(f"Customer: {CUSTOMER}")
        page.locator("#draft").fill(CURT)
        page.locator("#check").click()
        page.locator("#suggestion-state", has_text="Ready").wait_for(timeout=60_000)
        note = page.locator("#coaching-note").inner_text()
        assert note and "sent no coaching note" not in note
        page.locator("#sources li strong", has_text="Policy").first.wait_for()
        assert (
            "pol-refund-window" in page.locator("#sources").inner_text()
            or "Refunds" in page.locator("#sources").inner_text()
        )
        screenshot(page, "sidebar-380-embedded")
    assert page_errors == []
