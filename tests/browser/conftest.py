"""Browser tests: Playwright driving Debian's chromium against the real API app.

Every test here is marked `browser` and skips (with the reason) when chromium or Playwright
is missing, so a machine without them still runs the rest of the suite.
Screenshots go to out/screenshots/ (gitignored), the artefacts CI keeps.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _pages import CHROMIUM


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


# Module scope, not session: while Playwright's sync API is open, its event loop counts as
# running in the main thread, and every later asyncio.run() in the session would refuse to start.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page_errors() -> list[str]:
    return []


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The real API app (`api.create_app`) on a free localhost port, seeded; yields (Service, url)."""
    from _servers import serve_app
    from _service import build_service

    from api import create_app

    built = build_service(tmp_path_factory.mktemp("service"))
    with serve_app(create_app(built.settings)) as url:
        yield built, url
