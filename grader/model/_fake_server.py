"""A fake OpenAI-compatible server on localhost, for tests of the real HTTP path.

    with FakeOpenAIServer([HttpError(429, {"Retry-After": "1"}), {"score": 2}]) as server:
        grade(..., model="openai/fake", api_base=server.base_url)

Same scripted outputs as `MockLLM`; every request body is kept in `server.requests`.
`faults=Faults(...)` injects 429s (Retry-After in seconds and/or retry-after-ms), 500s,
hangs past the client's timeout, invalid JSON answers and truncated bodies at set rates;
`stream: true` requests are answered as server-sent events, `chunk_delay` apart.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from grader.model._faults import Faults
from grader.model._script import (
    FakeRequest,
    HttpError,
    OutputSource,
    Script,
    render_content,
    schema_of,
)

__all__ = ["FakeOpenAIServer"]

_Reply = tuple[int, dict[str, str], dict[str, Any]]


class FakeOpenAIServer:
    """Serves ``POST /v1/chat/completions`` on 127.0.0.1 from a background thread."""

    def __init__(
        self,
        outputs: OutputSource = None,
        *,
        prompt_tokens: int = 100,
        completion_tokens: int = 20,
        faults: Faults | None = None,
    ) -> None:
        self.script = Script(outputs)
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.faults = faults or Faults()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
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

    def _usage(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
        }

    def _respond(self, body: dict[str, Any]) -> tuple[_Reply, str | None]:
        """The reply, and the message content when it is an answer (for streaming)."""
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
            return (output.status, output.headers, error), None
        if isinstance(output, BaseException):
            return (500, {}, {"error": {"message": str(output), "type": "scripted"}}), None
        content = render_content(output)
        completion = {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.model,
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": self._usage(),
        }
        return (200, {}, completion), content

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

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
                faults = fake.faults
                if faults.latency:
                    time.sleep(faults.latency)
                fault = faults.draw()
                if fault == "rate_limit":
                    error = {"error": {"message": "rate limited (injected)", "code": 429}}
                    self._send(429, faults.rate_limit_headers(), error)
                    return
                if fault == "server_error":
                    self._send(500, {}, {"error": {"message": "server error (injected)"}})
                    return
                if fault == "timeout":
                    time.sleep(faults.hang_seconds)
                    self.close_connection = True
                    return
                (status, headers, payload), content = fake._respond(body)
                if fault == "invalid_json" and content is not None:
                    cut = content[: max(1, len(content) // 2)]  # an answer cut off mid-object
                    payload["choices"][0]["message"]["content"] = cut
                    content = cut
                if body.get("stream") and status == 200 and content is not None:
                    self._stream(payload, content)
                    return
                self._send(status, headers, payload, truncate=fault == "truncated")

            def _send(
                self,
                status: int,
                headers: dict[str, str],
                payload: dict[str, Any],
                *,
                truncate: bool = False,
            ) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                if truncate:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(data[: len(data) // 2] if truncate else data)
                if truncate:
                    self.close_connection = True

            def _stream(self, completion: dict[str, Any], content: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                base = {k: completion[k] for k in ("id", "created", "model")}
                words = content.split(" ")
                for i, word in enumerate(words):
                    delta = {"content": word + ("" if i == len(words) - 1 else " ")}
                    if i == 0:
                        delta["role"] = "assistant"
                    chunk = {
                        **base,
                        "object": "chat.completion.chunk",
                        "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
                    }
                    self._event(chunk)
                    if fake.faults.chunk_delay:
                        time.sleep(fake.faults.chunk_delay)
                final = {
                    **base,
                    "object": "chat.completion.chunk",
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
                    "usage": fake._usage(),
                }
                self._event(final)
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
                self.close_connection = True

            def _event(self, payload: dict[str, Any]) -> None:
                self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
                self.wfile.flush()

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        return Handler
