"""Interaction Grader: grade customer-service conversations against a rubric, with evidence."""

from grader._answer import GradingAnswer, answer_model, answer_schema
from grader._errors import (
    BudgetExceededError,
    ConfigurationError,
    GraderError,
    ImportFormatError,
    InputError,
    InvalidAnswerError,
    ModelError,
    RubricError,
    TranscriptError,
    TransientModelError,
)
from grader._grading import FewShot, FewShotFn, GradeFn, grade_all, rubric_grader
from grader._policy_speak import PolicyPhrase, find_policy_speak
from grader._redaction import redact_pii
from grader._results import CalibratedScores, DimensionScore, Evidence, ExemplarRef, Grade, Verdict
from grader._rubric import (
    Dimension,
    Element,
    Rubric,
    Scenario,
    ScenarioSpace,
    WeightProfile,
    default_rubric,
    load_rubric,
    rubric_problems,
)
from grader._scoring import Scores, score_verdicts
from grader._segments import Segment, segment_transcript, split_sentences
from grader._settings import Settings, get_settings
from grader._signals import EscalationEvent, PolicySpeakHit, Signals, compute_signals
from grader._transcript import AGENT_SIDE, Channel, Role, Transcript, TranscriptMetadata, Turn

__all__ = [
    "AGENT_SIDE",
    "BudgetExceededError",
    "CalibratedScores",
    "Channel",
    "ConfigurationError",
    "Dimension",
    "DimensionScore",
    "Element",
    "EscalationEvent",
    "Evidence",
    "ExemplarRef",
    "FewShot",
    "FewShotFn",
    "Grade",
    "GradeFn",
    "GraderError",
    "GradingAnswer",
    "ImportFormatError",
    "InputError",
    "InvalidAnswerError",
    "ModelError",
    "PolicyPhrase",
    "PolicySpeakHit",
    "Role",
    "Rubric",
    "RubricError",
    "Scenario",
    "ScenarioSpace",
    "Scores",
    "Segment",
    "Settings",
    "Signals",
    "Transcript",
    "TranscriptError",
    "TranscriptMetadata",
    "TransientModelError",
    "Turn",
    "Verdict",
    "WeightProfile",
    "answer_model",
    "answer_schema",
    "compute_signals",
    "default_rubric",
    "find_policy_speak",
    "get_settings",
    "grade_all",
    "load_rubric",
    "redact_pii",
    "rubric_grader",
    "rubric_problems",
    "score_verdicts",
    "segment_transcript",
    "split_sentences",
]
