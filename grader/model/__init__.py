"""The LLM seam and its providers: embedded local model, mock, fake OpenAI server."""

import importlib
import os
from typing import TYPE_CHECKING, Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # before litellm is imported

from grader.model._cache import ResponseCache, request_key
from grader.model._fake_server import FakeOpenAIServer
from grader.model._faults import Faults
from grader.model._llm import LLM, LOCAL_MODEL, Generation, register_provider
from grader.model._script import FakeRequest, HttpError, answer_from_schema
from grader.model._stream import can_stream
from grader.model._usage import Usage, UsageMeter

__all__ = [
    "LLM",
    "LOCAL_MODEL",
    "FakeOpenAIServer",
    "FakeRequest",
    "Faults",
    "Generation",
    "HttpError",
    "LocalLlama",
    "MockLLM",
    "ResponseCache",
    "Usage",
    "UsageMeter",
    "answer_from_schema",
    "can_stream",
    "embedded_model_path",
    "register_provider",
    "request_key",
]

if TYPE_CHECKING:
    from grader.model._local import LocalLlama, embedded_model_path
    from grader.model._mock import MockLLM

#: Names whose modules import litellm (~10 s): loaded on first access, so `import grader`
#: and a grading on the embedded default (which never calls a model) stay fast.
_LAZY = {
    "LocalLlama": "grader.model._local",
    "embedded_model_path": "grader.model._local",
    "MockLLM": "grader.model._mock",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'grader.model' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
