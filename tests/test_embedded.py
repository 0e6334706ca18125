"""The real embedded model (SmolLM2-135M via llama.cpp): slow, so marked `embedded`."""

from __future__ import annotations

import pytest
from factories import ROOT

from grader import Evidence, Rubric, Transcript, rubric_grader
from grader.model import LLM

pytestmark = pytest.mark.embedded


async def test_embedded_model_grades_an_example_with_verified_evidence(rubric: Rubric) -> None:
    transcript = Transcript.model_validate_json(
        (ROOT / "examples/04_refund_outside_window.json").read_text()
    )
    # the single structured call (the default grading of the embedded model makes no call)
    grade = await rubric_grader(rubric, LLM("local"), judges=("llm",))(transcript)
    assert grade.status == "graded", grade.error
    assert grade.model == "local/smollm2-135m-instruct"
    assert {v.element_id for v in grade.verdicts} == {e.id for e in rubric.elements}
    assert grade.overall is not None and 0 <= grade.overall <= 100
    for verdict in grade.verdicts:
        assert verdict.evidence, f"{verdict.element_id} cites nothing"
        for ev in verdict.evidence:
            Evidence.model_validate(ev.model_dump(), context={"transcript": transcript})
    assert grade.usage.prompt_tokens > 1000 and grade.usage.completion_tokens > 100
