"""The grammar the embedded model generates under (the marked embedded tests run it)."""

from __future__ import annotations

import json

import pytest

from grader import Transcript, answer_schema, default_rubric, segment_transcript
from grader.model._local import grammar_text

pytest.importorskip("llama_cpp")


def test_strings_have_no_unicode_escapes_or_control_characters(transcript: Transcript) -> None:
    schema = answer_schema(default_rubric(), segment_transcript(transcript))
    text = grammar_text(json.dumps(schema))
    (char,) = [line for line in text.splitlines() if line.startswith("char ::=")]
    assert '"u"' not in char and "\\x00-\\x1F" in char
    assert "maxLength" not in text and '"\\"rationale\\""' in text  # lengths are unrolled
