"""The sidebar in a helpdesk page on another origin, against the real API and a fake LLM."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from _pages import axe_violations, new_page, screenshot
from _servers import PageServer, host_page
from _service import CURT, CUSTOMER, TENANT, chatwoot_context
from rapidfuzz.distance import Levenshtein
from sqlalchemy import select

EDIT = " Thanks for your patience, Sam."


def _feedback_rows(settings: Any) -> list[Any]:
    from app._suggestion_feedback import SuggestionFeedbackRecord
    from app.storage import open_database

    database = open_database(settings.database)
    try:
        with database.session() as session:
            rows = session.scalars(select(SuggestionFeedbackRecord)).all()
            return [(r.tenant_id, r.outcome, r.suggested, r.final, r.edit_distance) for r in rows]
    finally:
        database.close()


@pytest.fixture
def helpdesk() -> Any:
    with PageServer("localhost") as server:
        yield server


def test_sidebar_in_a_helpdesk_streams_a_suggestion_and_records_feedback(
    browser: Any, service: Any, helpdesk: PageServer, page_errors: list[str]
) -> None:
    built, api = service
    src = f"{api}/app/sidebar/?origin={helpdesk.origin}#key={built.key}"
    helpdesk.pages["/conversation"] = host_page(src, chatwoot_context(), width=380)
    page = new_page(browser, page_errors, 1280, 1500)
    page.goto(f"{helpdesk.origin}/conversation")
    frame = page.frame_locator("#app")

    # The appContext (a JSON string from another origin) filled the reply and the context.
    draft = frame.locator("#draft")
    frame.locator("body[data-context=helpdesk]").wait_for()
    assert draft.input_value() == CURT
    assert "Sam Whitaker" in frame.locator("#ctx-summary").inner_text()
    assert "Jane Rivera" in frame.locator("#ctx-summary").inner_text()
    conversation = frame.locator("#conversation").input_value()
    assert CUSTOMER in conversation and "check the order" not in conversation  # private note
    assert page.evaluate("window.fetchInfoRequests") >= 1  # it asked with fetch-info

    with page.expect_response(lambda r: r.url.endswith("/v1/suggestions/stream")) as streamed:
        frame.locator("#check").click()
    assert streamed.value.headers["content-type"].startswith("text/event-stream")

    # Verdict with the phrase highlighted, then the streamed suggestion.
    frame.locator("#verdict[data-flagged=true]").wait_for()
    assert "policy" in frame.locator("#verdict-text mark").first.inner_text().lower()
    box = frame.locator("#suggestion-text")
    frame.locator("#suggestion-text:not([readonly])").wait_for()
    assert box.input_value().startswith("I'm sorry the jacket didn't work out")
    assert "store credit" in box.input_value()
    assert built.provider.requests, "the fake LLM was not asked"
    assert CUSTOMER in built.provider.requests[-1].messages[-1]["content"]
    screenshot(page, "sidebar-in-helpdesk-1280")

    # Tone: "Shorter" rewrites through the API (the fake drops a phrase).
    frame.locator("button.tone[data-operation=shorten]").click()
    frame.locator("#suggestion-state", has_text="Rewritten").wait_for()
    suggested = box.input_value()
    assert "for the full purchase price" not in suggested and "store credit" in suggested

    # The agent edits the suggestion and reports it: stored with the edit distance.
    box.press("End")
    box.type(EDIT)
    frame.locator(".feedback[data-outcome=edited]").click()
    frame.locator("#feedback-state", has_text="recorded").wait_for()
    final = suggested + EDIT
    expected = Levenshtein.distance(suggested, final)
    assert f"{expected} characters changed" in frame.locator("#feedback-state").inner_text()
    assert (TENANT, "edited", suggested, final, expected) in _feedback_rows(built.settings)
    listed = httpx.get(
        f"{api}/v1/suggestions/feedback", headers={"Authorization": f"Bearer {built.key}"}
    ).json()
    assert listed["counts"]["edited"] >= 1
    assert page_errors == []


def test_a_post_from_another_origin_is_ignored(
    browser: Any, service: Any, helpdesk: PageServer, page_errors: list[str]
) -> None:
    built, api = service
    with PageServer("localhost") as intruder:  # another port: may frame it (HELPDESKS), yet
        # the sidebar trusts the helpdesk's origin only; this page frames it and posts anyway.
        src = f"{api}/app/sidebar/?origin={helpdesk.origin}#key={built.key}"
        intruder.pages["/evil"] = host_page(src, chatwoot_context())
        page = new_page(browser, page_errors, 1280)
        page.goto(f"{intruder.origin}/evil")
        frame = page.frame_locator("#app")
        frame.locator("body[data-ready=true]").wait_for()
        page.evaluate("sendContext()")  # a second post, after the app is surely listening
        frame.locator("body[data-rejected-posts]").wait_for(state="attached")
        assert frame.locator("#draft").input_value() == ""
        assert "Stand-alone" in frame.locator("#ctx-summary").inner_text()
        assert page.evaluate("window.fetchInfoRequests") == 0  # asked only its own helpdesk
    assert page_errors == []


def test_a_page_on_an_origin_not_configured_cannot_frame_the_sidebar(
    browser: Any, service: Any, helpdesk: PageServer, page_errors: list[str]
) -> None:
    built, api = service
    with PageServer("127.0.0.1") as stranger:  # not in sidebar_frame_ancestors
        src = f"{api}/app/sidebar/?origin={helpdesk.origin}#key={built.key}"
        stranger.pages["/clickjack"] = host_page(src, chatwoot_context())
        page = new_page(browser, page_errors, 1280)
        with page.expect_console_message(lambda m: "frame-ancestors" in m.text):
            page.goto(f"{stranger.origin}/clickjack")
        framed = next(f for f in page.frames if f is not page.main_frame)
        assert not framed.url.startswith(api), framed.url  # the browser refused to load it
        assert framed.locator("#draft").count() == 0
    assert all("frame-ancestors" in e for e in page_errors), page_errors
    page_errors.clear()


def test_stand_alone_at_380px_is_accessible_and_says_when_the_key_is_wrong(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    built, api = service
    page = new_page(browser, page_errors, 380, 1400)
    page.goto(f"{api}/app/sidebar/#key={built.key}")
    page.locator("#api-status[data-kind=ok]").wait_for()
    page.locator("#ctx-details summary").click()
    page.locator("#conversation").fill(f"Customer: {CUSTOMER}")
    page.locator("#draft").fill(CURT)
    page.keyboard.press("Control+Enter")  # keyboard only
    page.locator("#suggestion-state", has_text="Ready").wait_for()
    assert "store credit" in page.locator("#suggestion-text").input_value()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=api)
    page.locator("#copy").click()
    page.locator("#copy-state", has_text="Copied").wait_for()
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == page.locator("#suggestion-text").input_value()
    )
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 380, f"the panel scrolls sideways: {scroll_width}px"
    screenshot(page, "sidebar-380")
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)

    # A wrong key: the agent is told plainly, not shown a stack trace.
    page.goto(f"{api}/app/sidebar/#key=wrong-key")
    page.reload()
    page.locator("#api-status", has_text="Key rejected").wait_for()  # said on load already
    page.locator("#draft").fill(CURT)
    page.locator("#check").click()
    alert = page.locator("#alert")
    alert.wait_for()
    assert "API key is wrong" in alert.inner_text()
    screenshot(page, "sidebar-380-wrong-key")
    page_errors[:] = [e for e in page_errors if "401" not in e]  # the browser logs the 401
    assert page_errors == []


def test_the_sidebar_says_when_the_api_is_down(browser: Any, page_errors: list[str]) -> None:
    from _servers import free_port, serve_app
    from fastapi import FastAPI
    from fastapi.staticfiles import StaticFiles

    from api import STATIC

    pages = FastAPI()
    pages.mount("/app", StaticFiles(directory=STATIC, html=True))
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with serve_app(pages) as url:
        page = new_page(browser, page_errors, 380)
        page.goto(f"{url}/app/sidebar/?api={dead}#key=k")
        page.locator("#api-status[data-kind=bad]").wait_for()
        assert "cannot be reached" in page.locator("#alert").inner_text()
        assert page.locator("#api-status").inner_text() == "API down"


def test_the_sidebar_says_when_the_model_is_slow(
    browser: Any, service: Any, page_errors: list[str]
) -> None:
    built, api = service
    built.provider.delay = 2.0
    try:
        page = new_page(browser, page_errors, 380)
        page.goto(f"{api}/app/sidebar/?slow_ms=300#key={built.key}")
        page.locator("#draft").fill(CURT)
        page.locator("#check").click()
        notice = page.locator("#slow")
        notice.wait_for(state="visible")  # said while the model is still thinking
        assert "slow" in notice.inner_text()
        screenshot(page, "sidebar-380-slow-model")
        page.locator("#suggestion-state", has_text="Ready").wait_for()
        assert notice.is_hidden()
    finally:
        built.provider.delay = 0.0
    assert page_errors == []


def test_older_chatwoot_without_current_agent_and_a_conversation_switch(
    browser: Any, service: Any, helpdesk: PageServer, page_errors: list[str]
) -> None:
    built, api = service
    first = chatwoot_context(with_agent=False)
    first["conversation"]["messages"] = first["conversation"]["messages"][:2]  # customer only
    src = f"{api}/app/sidebar/?origin={helpdesk.origin}#key={built.key}"
    helpdesk.pages["/old"] = host_page(src, first)
    page = new_page(browser, page_errors, 1280)
    page.goto(f"{helpdesk.origin}/old")
    frame = page.frame_locator("#app")
    frame.locator("body[data-context=helpdesk]").wait_for()
    assert "no agent reply yet" in frame.locator("#ctx-summary").inner_text()
    assert frame.locator("#draft").input_value() == ""
    # The agent opens another conversation: Chatwoot posts its context to the same frame.
    second = chatwoot_context(with_agent=False)
    second["conversation"]["id"] = 4822
    page.evaluate("(ctx) => { window.appContext = ctx; sendContext(); }", second)
    frame.locator("#ctx-summary", has_text="#4822").wait_for()
    assert frame.locator("#draft").input_value() == CURT
    assert page_errors == []
