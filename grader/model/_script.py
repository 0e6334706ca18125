"""Scripted answers shared by the mock provider and the fake OpenAI-compatible server.

An output is a string (the raw message content), a dict or pydantic model (sent as JSON),
an `HttpError` (the server answers with that status; the mock raises the matching
litellm error), or any other exception (raised). With no script, or once it runs out,
the answer is built from the request's JSON schema, so a fake grades anything.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

__all__ = ["FakeRequest", "HttpError", "Output", "Script", "answer_from_schema"]


@dataclass(frozen=True)
class HttpError:
    """A scripted HTTP failure, e.g. ``HttpError(429, {"Retry-After": "2"})``."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    message: str = "scripted failure"


@dataclass(frozen=True)
class FakeRequest:
    """What a fake received: the messages and the JSON schema asked for (if any)."""

    model: str
    messages: list[dict[str, Any]]
    schema: dict[str, Any] | None
    params: dict[str, Any]
    #: When it arrived (time.monotonic), so tests can measure the waits between attempts.
    at: float = field(default_factory=time.monotonic)


Output = str | dict[str, Any] | BaseModel | HttpError | BaseException
OutputSource = Iterable[Output] | Callable[[FakeRequest], Output] | None


def schema_of(response_format: Any) -> dict[str, Any] | None:
    """The JSON schema inside an OpenAI-style `response_format`, if any."""
    if not isinstance(response_format, dict):
        return None
    if response_format.get("type") == "json_schema":
        inner = response_format.get("json_schema") or {}
        schema = inner.get("schema")
        return schema if isinstance(schema, dict) else None
    schema = response_format.get("schema")
    return schema if isinstance(schema, dict) else None


def answer_from_schema(schema: dict[str, Any]) -> Any:
    """A minimal valid instance of `schema`: highest number or first enum value, min items, short text."""
    defs = schema.get("$defs", {})

    def build(node: dict[str, Any]) -> Any:
        if "$ref" in node:
            return build(defs[node["$ref"].rsplit("/", 1)[-1]])
        if "const" in node:
            return node["const"]
        if "enum" in node:
            numbers = [v for v in node["enum"] if isinstance(v, int | float)]
            return max(numbers) if numbers else node["enum"][0]
        for key in ("anyOf", "oneOf", "allOf"):
            if key in node:
                return build(node[key][0])
        kind = node.get("type")
        if kind == "object":
            props = node.get("properties", {})
            return {name: build(props[name]) for name in node.get("required", list(props))}
        if kind == "array":
            count = max(1, int(node.get("minItems", 1)))
            return [build(node.get("items", {"type": "string"})) for _ in range(count)]
        if kind == "string":
            return "mock answer"[: int(node.get("maxLength", 11))]
        if kind in ("integer", "number"):
            return node.get("minimum", 0)
        if kind == "boolean":
            return True
        return None

    return build(schema)


class Script:
    """Hands out scripted outputs in order (thread-safe) and records every request."""

    def __init__(self, outputs: OutputSource = None) -> None:
        self.requests: list[FakeRequest] = []
        self._lock = threading.Lock()
        self._callable: Callable[[FakeRequest], Output] | None = None
        self._iter: Iterator[Output] | None = None
        if callable(outputs):
            self._callable = outputs
        elif outputs is not None:
            self._iter = iter(outputs)

    def next_output(self, request: FakeRequest) -> Output:
        """The output for this request (recording it)."""
        with self._lock:
            self.requests.append(request)
            if self._callable is not None:
                return self._callable(request)
            if self._iter is not None:
                nxt = next(self._iter, None)
                if nxt is not None:
                    return nxt
        return answer_from_schema(request.schema) if request.schema else "mock answer"


def render_content(output: str | dict[str, Any] | BaseModel) -> str:
    """The message content for a non-error output."""
    if isinstance(output, BaseModel):
        return output.model_dump_json()
    if isinstance(output, dict):
        return json.dumps(output)
    return output
