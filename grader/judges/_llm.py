"""The hosted model's structured answer, read as one more vote per element ("llm")."""

from __future__ import annotations

from grader._answer import NA, GradingAnswer
from grader._results import JudgeVote

__all__ = ["llm_votes"]


def llm_votes(answer: GradingAnswer, confidence: float) -> dict[str, JudgeVote]:
    """One vote per element the model answered; its confidence is the rubric's setting.

    A structured answer carries no probability, so every model vote gets the same
    confidence (`judging.llm_confidence`); the code judges beside it move the verdict.
    """
    return {
        element_id: JudgeVote(
            judge="llm",
            score=None if raw.score == NA else float(raw.score),
            confidence=confidence,
            evidence=list(raw.evidence),
            rationale=raw.rationale,
        )
        for element_id, raw in answer.verdicts().items()
    }
