"""Security headers on every response: who may frame a page, and no MIME sniffing.

The coach sidebar is made to live in a helpdesk's frame, so a hostile page could frame it too
and trick an agent into clicking (clickjacking). `Content-Security-Policy: frame-ancestors`
lets the browser refuse: the sidebar may be framed by this service's pages and the origins in
`settings.sidebar_frame_ancestors`, the other pages by this service only, and the API's
responses by nobody. `X-Content-Type-Options: nosniff` keeps a browser from running a JSON
body or an uploaded text as a script or a page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

__all__ = ["SIDEBAR", "SecurityHeaders", "frame_ancestors"]

#: Where the embeddable sidebar is served.
SIDEBAR = "/app/sidebar"

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def frame_ancestors(path: str, sidebar_origins: Sequence[str]) -> str:
    """The CSP `frame-ancestors` directive for a response to `path`."""
    if path == SIDEBAR or path.startswith(SIDEBAR + "/"):
        return " ".join(["frame-ancestors 'self'", *sidebar_origins])
    if path == "/app" or path.startswith("/app/"):
        return "frame-ancestors 'self'"
    return "frame-ancestors 'none'"


class SecurityHeaders:
    """ASGI middleware adding the headers to every HTTP response (streams untouched)."""

    def __init__(self, app: ASGIApp, *, sidebar_origins: Sequence[str] = ()) -> None:
        self.app = app
        self.sidebar_origins = list(sidebar_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its response's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = frame_ancestors(scope["path"], self.sidebar_origins).encode("latin-1")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", policy))
                if b"x-content-type-options" not in present:
                    headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
