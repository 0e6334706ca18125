"""A fake OpenAI-compatible server on localhost, for tests of the real HTTP path.

    with FakeOpenAIServer([HttpError(429, {"Retry-After": "1"}), {"score": 2}]) as server:
        grade(..., model="openai/fake", api_base=server.base_url)

Same scripted outputs as `MockLLM`; every request body is kept in `server.requests`.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from grader.model._script import (
    FakeRequest,
    HttpError,
    OutputSource,
    Script,
    render_content,
    schema_of,
)

__all__ = ["FakeOpenAIServer"]


class FakeOpenAIServer:
    """Serves ``POST /v1/chat/completions`` on 127.0.0.1 from a background thread."""

    def __init__(
        self, outputs: OutputSource = None, *, prompt_tokens: int = 100, completion_tokens: int = 20
    ) -> None:
        self.script = Script(outputs)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[FakeRequest]:
        """Every chat request received, in order."""
        return self.script.requests

    @property
    def base_url(self) -> str:
        """The `api_base` to give a client, e.g. ``http://127.0.0.1:PORT/v1``."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _respond(self, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        params = {k: v for k, v in body.items() if k not in ("messages", "model")}
        request = FakeRequest(
            body.get("model", ""),
            body.get("messages", []),
            schema_of(body.get("response_format")),
            params,
        )
        output = self.script.next_output(request)
        if isinstance(output, HttpError):
            error = {
                "error": {"message": output.message, "type": "scripted", "code": output.status}
            }
            return output.status, output.headers, error
        if isinstance(output, BaseException):
            return 500, {}, {"error": {"message": str(output), "type": "scripted"}}
        return (
            200,
            {},
            {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.model,
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": render_content(output)},
                    }
                ],
                "usage": {
                    "prompt_tokens": self.prompt_tokens,
                    "completion_tokens": self.completion_tokens,
                    "total_tokens": self.prompt_tokens + self.completion_tokens,
                },
            },
        )

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {}, {"error": {"message": f"no route {self.path}"}})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    body = json.loads(self.rfile.read(length) or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {}, {"error": {"message": "body is not JSON"}})
                    return
                self._send(*fake._respond(body))

            def _send(self, status: int, headers: dict[str, str], payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        return Handler
