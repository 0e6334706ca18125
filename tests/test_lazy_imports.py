"""Lazy imports: the embedded default loads no litellm or instructor (~10 s), `import app` and
a bulk-job worker load no evals, coach store or Presidio; each loads on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest
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


#: What a bulk-job worker never needs before it grades: the evals' statistics and plots, the
#: coach's store, Presidio/spaCy (only a hosted-model call redacts), litellm (embedded default).
_HEAVY = ("evals", "matplotlib", "scipy.stats", "chromadb", "retrieval", "presidio_analyzer",
          "spacy", "litellm", "instructor")  # fmt: skip

_APP_PROBE = f"""
import sys
heavy = {_HEAVY!r}
import app
loaded = sorted(m for m in (*heavy, "sqlalchemy", "app._calibrate", "app._grading") if m in sys.modules)
assert not loaded, f"import app loaded eagerly: {{loaded}}"
import app.jobs
from app.jobs._grader import ItemGrader
loaded = sorted(m for m in heavy if m in sys.modules)
assert not loaded, f"a worker's imports loaded: {{loaded}}"
from app import ConflictError, grade_one
from app._errors import ConflictError as direct
from app._grading import grade_one as grade_one_direct
assert ConflictError is direct and grade_one is grade_one_direct
assert "evals" not in sys.modules, "one name loads its own module only"
"""


def test_import_app_and_a_workers_imports_load_nothing_heavy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _APP_PROBE], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_app_front_door_resolves_every_exported_name() -> None:
    import app

    for name in app.__all__:
        value = getattr(app, name)
        assert value is not None, name
        assert name in dir(app)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        app.nothing_here  # noqa: B018


_REDACTION_PROBE = """
import sys
from grader._redaction import Redactor, sensitive_terms
from grader._transcript import Transcript
masker = Redactor(names=["Anna Berg"], addresses=["12 Elm Street, Springfield"])
sensitive_terms(Transcript(id="t", turns=[{"role": "agent", "text": "hi"}]))
assert masker.restore("no placeholders") == "no placeholders"
assert "presidio_analyzer" not in sys.modules, "Presidio loaded before any redaction"
masked = masker.redact("Anna here, mail anna@example.com")
assert "presidio_analyzer" in sys.modules
assert masked == "<PERSON_1> here, mail <EMAIL_1>", masked
assert masker.restore(masked) == "Anna here, mail anna@example.com"
"""


def test_presidio_loads_on_the_first_redaction() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _REDACTION_PROBE], cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
