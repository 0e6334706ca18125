"""The embedded default imports no litellm or instructor (~10 s): they load on first use."""

from __future__ import annotations

import subprocess
import sys

from factories import ROOT

_PROBE = """
import sys
import grader
from grader.model import LLM, can_stream
llm = LLM("local")
assert llm.is_local and llm.model.startswith("local/")
loaded = sorted(m for m in ("litellm", "instructor") if m in sys.modules)
assert not loaded, f"imported eagerly: {loaded}"
assert not can_stream("local/x"), "the embedded model answers whole (no astreaming)"
assert "litellm" in sys.modules, "a litellm-dependent feature loads it when first used"
from grader.model import MockLLM
assert MockLLM.__name__ == "MockLLM"
"""


def test_import_grader_and_an_embedded_llm_load_no_litellm() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
