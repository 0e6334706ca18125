"""What a grading produces: verdicts with verbatim evidence, and scores computed in code."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from grader._rubric import JUDGE_KINDS, Scenario
from grader._signals import Signals
from grader._transcript import Role, Transcript
from grader.model import Usage

__all__ = [
    "CalibratedScores",
    "DimensionScore",
    "Evidence",
    "ExemplarRef",
    "Grade",
    "JudgeVote",
    "Verdict",
]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class Evidence(BaseModel):
    """A verbatim quote from one turn, and the sentence id it was cited by."""

    sentence_id: str
    turn_index: int
    role: Role
    quote: str
    examined: bool = Field(
        default=False,
        description="True: a sentence the judge examined and found nothing wrong with, cited "
        "to show what the verdict rests on; not a finding (a critical 0 never fails on it).",
    )

    @model_validator(mode="after")
    def _quote_is_in_turn(self, info: ValidationInfo) -> Evidence:
        """With a transcript in the context, the quote must appear in the cited turn."""
        transcript = (info.context or {}).get("transcript")
        if isinstance(transcript, Transcript):
            if not 0 <= self.turn_index < len(transcript.turns):
                raise ValueError(f"turn {self.turn_index} does not exist")
            if _fold(self.quote) not in _fold(transcript.turns[self.turn_index].text):
                raise ValueError(f"quote is not in turn {self.turn_index}: {self.quote[:80]!r}")
        return self


class JudgeVote(BaseModel):
    """One judge's opinion on one element: a score on the element's scale, or N/A.

    A judge that has nothing to say gives no vote at all (abstains); `score=None` is a
    vote for N/A. `evidence` holds sentence ids, so quotes stay verbatim by construction.
    """

    judge: str = Field(description='A kind from JUDGE_KINDS, optionally ":detail".')
    score: float | None
    confidence: Annotated[float, Field(ge=0, le=1)]
    evidence: list[str] = Field(default_factory=list, description="Sentence ids it found.")
    examined: list[str] = Field(
        default_factory=list,
        description="Sentence ids it examined that best show the behaviour, cited when it "
        "found nothing to quote (e.g. a clean top score).",
    )
    rationale: str = ""
    defers_to_learned: bool = Field(
        default=False,
        description="A general cue count that a scorer fitted on people's ratings of the "
        "same element measures better: left out when a learned vote is present.",
    )
    overrides_corpus: bool = Field(
        default=False,
        description="A service-specific finding (an apology due, a bare policy phrase, rude "
        "wording) that a scorer fitted on another kind of text has not seen: a learned vote "
        "`from_corpus` on the same element is left out.",
    )
    from_corpus: bool = Field(
        default=False,
        description="A learned vote from a scorer fitted on a research corpus (not the "
        "team's own service conversations).",
    )

    @field_validator("judge")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value.split(":", 1)[0] not in JUDGE_KINDS:
            raise ValueError(f"unknown judge '{value}': the kinds are {', '.join(JUDGE_KINDS)}")
        return value

    @property
    def kind(self) -> str:
        """The judge kind without its detail ("detector" for "detector:framing")."""
        return self.judge.split(":", 1)[0]


class Verdict(BaseModel):
    """One element's verdict: a score (None when N/A or uncertain), why, and the evidence.

    `status` says which: `scored`, `na` (does not apply) or `uncertain` (no judge was
    confident enough; the element is left out of the scores, like N/A, and says so).
    A verdict built without votes (a human label, an old grade) is taken as given.
    """

    element_id: str
    dimension_id: str
    score: int | None
    max_score: int
    rationale: str
    evidence: list[Evidence]
    weight: float = Field(description="Element weight times the scenario profile's multiplier.")
    status: Literal["scored", "na", "uncertain"] = "scored"
    confidence: Annotated[float, Field(ge=0, le=1)] = 1.0
    value: float | None = Field(
        default=None, description="The combined score before rounding (scored verdicts)."
    )
    agreement: float | None = Field(
        default=None, description="1 = every voting judge gave the same score; 0 = opposite ends."
    )
    votes: list[JudgeVote] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _status_from_score(cls, data: Any) -> Any:
        """Old callers give only a score: None then means N/A."""
        if isinstance(data, dict) and "status" not in data:
            data = {**data, "status": "na" if data.get("score") is None else "scored"}
        return data

    @model_validator(mode="after")
    def _score_matches_status(self) -> Verdict:
        if (self.status == "scored") != (self.score is not None):
            raise ValueError(f"{self.element_id}: a {self.status} verdict has score {self.score}")
        return self

    @property
    def applicable(self) -> bool:
        """False when the element was judged N/A or left uncertain."""
        return self.score is not None

    @property
    def points(self) -> float | None:
        """The score used in the sums: the unrounded combined value when there is one."""
        if self.score is None:
            return None
        return self.value if self.value is not None else float(self.score)


class DimensionScore(BaseModel):
    """A dimension's score on 0-100 (None when every element was N/A)."""

    dimension_id: str
    name: str
    score: float | None
    weight: float
    applicable_elements: int


class ExemplarRef(BaseModel):
    """A human-scored conversation that informed a calibrated score."""

    id: str
    similarity: float
    human: dict[str, float] = Field(default_factory=dict, description="Its human scores.")


class CalibratedScores(BaseModel):
    """Scores mapped onto a team's human scale by a stored calibration.

    Kept next to the raw verdicts, never in their place, so a reader sees both.
    """

    method: str = Field(description="e.g. 'isotonic' or 'learned'.")
    calibration_id: str = Field(description="Which stored calibration (and version) made them.")
    overall: float | None = None
    dimensions: dict[str, float | None] = Field(default_factory=dict)
    elements: dict[str, float | None] = Field(default_factory=dict)
    outcomes: dict[str, float] = Field(
        default_factory=dict, description="Predicted human outcome ratings, e.g. satisfaction."
    )
    exemplars: list[ExemplarRef] = Field(default_factory=list)


class Grade(BaseModel):
    """The result of grading one transcript: scored, or explicitly unscored with the reason."""

    transcript_id: str
    status: Literal["graded", "unscored"]
    error: str | None = None
    rubric_id: str
    rubric_version: str
    prompt_version: str
    model: str
    scenario: Scenario | None = None
    weight_profile: str | None = None
    overall: float | None = None
    auto_failed: bool = False
    auto_fail_reasons: list[str] = Field(default_factory=list)
    needs_review: bool = False
    review_reasons: list[str] = Field(
        default_factory=list, description="Why a person should look at this grade."
    )
    injection: list[str] = Field(
        default_factory=list, description="Suspected prompt-injection passages (sentence id: why)."
    )
    dimensions: list[DimensionScore] = Field(default_factory=list)
    verdicts: list[Verdict] = Field(default_factory=list)
    signals: Signals | None = None
    calibrated: CalibratedScores | None = None
    few_shot: list[ExemplarRef] = Field(
        default_factory=list, description="Scored conversations shown to the model as examples."
    )
    usage: Usage = Field(default_factory=Usage)
    cached: bool = False
    seconds: float = 0.0
    graded_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @property
    def flags(self) -> list[str]:
        """Short labels a QA lead filters by."""
        out = [f"auto-fail:{r.split(':')[0]}" for r in self.auto_fail_reasons]
        out += ["needs-review"] if self.needs_review else []
        out += ["suspected-injection"] if self.injection else []
        out += [f"uncertain:{v.element_id}" for v in self.verdicts if v.status == "uncertain"]
        if self.signals:
            out += [f"policy-speak:{h.kind}" for h in self.signals.policy_speak if not h.explained]
            out += [f"escalation:{e.kind}" for e in self.signals.escalations]
        return sorted(set(out))
