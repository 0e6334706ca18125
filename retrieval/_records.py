"""What the knowledge base holds: model answers and policies, validated on the way in.

The validators carry the rules a record must meet to be worth retrieving: a model answer
is what good looks like, so it may not itself brush a customer off with policy-speak; a
policy comes with the reason behind it, since a rule without its reason can only be cited,
never explained; a policy that allows exceptions says who may approve one.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from grader._policy_speak import find_policy_speak
from grader._rubric import default_rubric

__all__ = ["KnowledgeRecord", "ModelAnswer", "Policy", "Tone"]

Tone = Literal["friendly", "professional", "concise"]
RecordId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")]
Tag = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


@cache
def _rubric_axes() -> tuple[frozenset[str], frozenset[str]]:
    scenarios = default_rubric().scenarios
    return frozenset(scenarios.inquiry_types), frozenset(scenarios.customer_states)


def _allowed(info: ValidationInfo, key: str, default: frozenset[str]) -> frozenset[str]:
    """The accepted values: from the validation context (another rubric) or the default rubric."""
    given = (info.context or {}).get(key)
    return frozenset(given) if given is not None else default


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId
    tags: list[Tag] = Field(default_factory=list, max_length=12)
    source: str = Field("", max_length=200, description="Where it came from (team, document).")

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: Any) -> Any:
        """CSV cells hold tags as 'a, b'; normalise case and drop empties."""
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list):
            return [t.strip().lower() for t in value if isinstance(t, str) and t.strip()]
        return value

    def record_json(self) -> str:
        """Canonical JSON: two records with the same content have the same text."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


class ModelAnswer(_Record):
    """A reply the team is proud of, with the situation it answers and why it works."""

    text: Annotated[str, Field(min_length=40, max_length=2000)]
    scenario: Slug = Field(description="The situation, e.g. refund_outside_window.")
    inquiry_type: str = Field(description="One of the rubric's inquiry types.")
    customer_state: str | None = Field(None, description="One of the rubric's customer states.")
    policy_topic: Slug | None = Field(None, description="The policy topic it applies, if any.")
    tone: Tone = "friendly"
    structure_note: Annotated[str, Field(min_length=20, max_length=400)] = Field(
        description="Why the structure works (acknowledge, reason, alternatives, next step)."
    )

    @field_validator("inquiry_type")
    @classmethod
    def _known_inquiry_type(cls, value: str, info: ValidationInfo) -> str:
        allowed = _allowed(info, "inquiry_types", _rubric_axes()[0])
        if value not in allowed:
            raise ValueError(f"unknown inquiry type '{value}'; expected one of {sorted(allowed)}")
        return value

    @field_validator("customer_state")
    @classmethod
    def _known_customer_state(cls, value: str | None, info: ValidationInfo) -> str | None:
        allowed = _allowed(info, "customer_states", _rubric_axes()[1])
        if value is not None and value not in allowed:
            raise ValueError(f"unknown customer state '{value}'; expected one of {sorted(allowed)}")
        return value

    @field_validator("text")
    @classmethod
    def _no_policy_speak(cls, text: str) -> str:
        curt = [h.phrase for h in find_policy_speak(text) if not h.explained]
        if curt:
            raise ValueError(f"a model answer may not use curt policy-speak: {curt}")
        return text

    def document(self) -> str:
        """The text that is embedded: the situation, then the answer."""
        return f"{self.scenario.replace('_', ' ')}: {self.text}"

    def metadata(self) -> dict[str, str]:
        """Flat fields chroma can filter on, plus the whole record."""
        return {
            "scenario": self.scenario,
            "inquiry_type": self.inquiry_type,
            "customer_state": self.customer_state or "",
            "policy_topic": self.policy_topic or "",
            "tone": self.tone,
            "source": self.source,
            "record": self.record_json(),
        }


class Policy(_Record):
    """A rule, the reason behind it, and what can be done instead."""

    topic: Slug
    title: Annotated[str, Field(min_length=3, max_length=120)]
    rule: Annotated[str, Field(min_length=10, max_length=600)]
    reason: Annotated[str, Field(min_length=20, max_length=600)] = Field(
        description="Why the rule exists, in words a customer would accept."
    )
    alternatives: list[Annotated[str, Field(min_length=3, max_length=300)]] = Field(
        default_factory=list, max_length=10, description="What the agent may offer instead."
    )
    exceptions: list[Annotated[str, Field(min_length=3, max_length=300)]] = Field(
        default_factory=list, max_length=10, description="When the rule may be set aside."
    )
    exception_approver: str | None = Field(
        None, max_length=120, description="Who may approve an exception."
    )

    @field_validator("alternatives", "exceptions", mode="before")
    @classmethod
    def _split_lines(cls, value: Any) -> Any:
        """CSV cells hold lists as 'a; b'."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()]
        return value

    @model_validator(mode="after")
    def _exceptions_need_an_approver(self) -> Policy:
        if self.exceptions and not (self.exception_approver or "").strip():
            raise ValueError(
                "a policy with exceptions must say who may approve one (exception_approver)"
            )
        return self

    def document(self) -> str:
        """The text that is embedded: title, rule and reason."""
        return f"{self.title}. {self.rule} {self.reason}"

    def metadata(self) -> dict[str, str]:
        """Flat fields chroma can filter on, plus the whole record."""
        return {"policy_topic": self.topic, "source": self.source, "record": self.record_json()}

    def offers(self) -> str:
        """Everything the policy allows: alternatives, exceptions and the approver."""
        return " ".join([*self.alternatives, *self.exceptions, self.exception_approver or ""])


KnowledgeRecord = ModelAnswer | Policy
