"""Security headers: only the configured helpdesk may frame the sidebar; nothing is sniffed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient

from api import create_app
from grader import Settings
from grader._errors import InputError

if TYPE_CHECKING:
    from service_fixtures import Keys

pytest_plugins = ["service_fixtures"]

HELPDESK = "https://chat.example.com"
CSP = "content-security-policy"


@pytest.fixture
def framed(service_settings: Settings, keys: Keys) -> Iterator[TestClient]:
    chosen = service_settings.with_overrides(
        sidebar_frame_ancestors=f"{HELPDESK}, http://localhost:*"
    )
    with TestClient(create_app(chosen)) as test_client:
        yield test_client


def _sniff_safe(response: object) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    return str(headers[CSP])


def test_unconfigured_only_this_service_may_frame_its_pages(client: TestClient, keys: Keys) -> None:
    sidebar = client.get("/app/sidebar/")
    assert sidebar.status_code == 200 and "text/html" in sidebar.headers["content-type"]
    assert _sniff_safe(sidebar) == "frame-ancestors 'self'"
    assert _sniff_safe(client.get("/app/dashboard/")) == "frame-ancestors 'self'"
    assert _sniff_safe(client.get("/v1/health")) == "frame-ancestors 'none'"
    listed = client.get("/v1/grades", headers=keys.grade)
    assert listed.status_code == 200 and _sniff_safe(listed) == "frame-ancestors 'none'"
    assert _sniff_safe(client.get("/v1/grades")) == "frame-ancestors 'none'"  # a 401 too
    assert _sniff_safe(client.get("/v1/nothing")) == "frame-ancestors 'none'"  # a 404 too


def test_the_configured_helpdesk_may_frame_the_sidebar_only(framed: TestClient) -> None:
    for path in ("/app/sidebar/", "/app/sidebar/sidebar.js", "/app/sidebar/chatwoot.js"):
        policy = _sniff_safe(framed.get(path))
        assert policy == f"frame-ancestors 'self' {HELPDESK} http://localhost:*", path
    assert _sniff_safe(framed.get("/app/dashboard/")) == "frame-ancestors 'self'"
    assert _sniff_safe(framed.get("/app/sidebarx")) == "frame-ancestors 'self'"
    assert HELPDESK not in _sniff_safe(framed.get("/docs"))


@pytest.mark.parametrize(
    "given",
    [
        "chat.example.com",  # no scheme
        "https://chat.example.com; script-src *",  # a second directive
        "javascript:alert(1)",
        "https://chat.example.com/path",
        "'none'",
    ],
)
def test_an_entry_that_is_no_origin_is_refused_naming_it(given: str) -> None:
    with pytest.raises(InputError, match=r"sidebar_frame_ancestors: .*not an origin") as caught:
        Settings().with_overrides(sidebar_frame_ancestors=[given])
    assert repr(given) in str(caught.value)


def test_origins_come_from_the_environment_comma_or_space_separated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "GRADER_SIDEBAR_FRAME_ANCESTORS", "https://a.example.com/, https://*.b.org:8443 http://x:*"
    )
    assert Settings().sidebar_frame_ancestors == [
        "https://a.example.com",
        "https://*.b.org:8443",
        "http://x:*",
    ]
