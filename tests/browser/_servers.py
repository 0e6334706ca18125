"""Servers for the browser tests: the API app in a uvicorn thread, and plain pages on other origins.

The sidebar checks `event.origin`, so the helpdesk stand-in must be a real page on another
origin: `PageServer` serves a few generated pages from its own localhost port.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import uvicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_app(app: Any, host: str = "127.0.0.1") -> Iterator[str]:
    """The ASGI app on a free port in a thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class PageServer:
    """Serves `pages` (path -> HTML) on host:port; pages can be added while it runs."""

    def __init__(self, host: str = "localhost") -> None:
        self.pages: dict[str, str] = {}
        pages = self.pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?", 1)[0])
                if body is None:
                    self.send_error(404)
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.port = free_port()
        self.host = host
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Helpdesk stand-in</title><link rel="icon" href="data:,">
<style>body{{margin:0;display:flex}} main{{flex:1;padding:1rem}} iframe{{border:0;border-left:1px solid #ccc}}</style>
</head><body>
<main><h1>Conversation</h1><p>A stand-in for Chatwoot's conversation screen.</p></main>
<iframe id="app" title="Reply coach" src="{src}" width="{width}" height="{height}"
  allow="clipboard-write"></iframe>
<script>
  // Like Chatwoot: the context goes to the frame as a JSON string with target origin "*",
  // on load and whenever the app asks with "chatwoot-dashboard-app:fetch-info".
  window.fetchInfoRequests = 0;
  window.appContext = {context};
  const frame = document.getElementById("app");
  function sendContext() {{
    frame.contentWindow.postMessage(JSON.stringify({{event: "appContext", data: window.appContext}}), "*");
  }}
  window.addEventListener("message", (event) => {{
    if (event.source === frame.contentWindow && event.data === "chatwoot-dashboard-app:fetch-info") {{
      window.fetchInfoRequests += 1;
      sendContext();
    }}
  }});
  frame.addEventListener("load", sendContext);
</script></body></html>
"""


def host_page(src: str, context: Any, width: int = 380, height: int = 1400) -> str:
    """A helpdesk page on its own origin that frames `src` and posts `context` like Chatwoot."""
    import json

    return HOST_PAGE.format(src=src, context=json.dumps(context), width=width, height=height)
