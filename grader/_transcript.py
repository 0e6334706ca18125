"""A conversation between a customer and a company, as every importer produces it."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["AGENT_SIDE", "Channel", "Role", "Transcript", "TranscriptMetadata", "Turn"]

#: The longest text one turn may carry; a larger one is almost surely a paste accident.
MAX_TURN_CHARS = 20_000
#: The most turns one transcript may hold.
MAX_TURNS = 2_000


class Channel(StrEnum):
    """The touchpoint the conversation happened on."""

    CHAT = "chat"
    EMAIL = "email"
    VOICE = "voice"
    SOCIAL = "social"


class Role(StrEnum):
    """Who speaks in a turn."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


#: Roles that speak for the company: the ones whose behaviour is graded.
AGENT_SIDE = frozenset({Role.AGENT, Role.BOT, Role.SUPERVISOR})


class Turn(BaseModel):
    """One message or utterance."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    role: Role
    text: Annotated[str, Field(max_length=MAX_TURN_CHARS)]
    timestamp: datetime | None = None
    author_id: str | None = None

    @field_validator("timestamp")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        """A time without a zone is taken as UTC, so gaps between turns can always be measured."""
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty")
        return value


class TranscriptMetadata(BaseModel):
    """What a QA team filters and groups by; everything optional."""

    model_config = ConfigDict(extra="forbid")

    agent: str | None = None
    customer: str | None = Field(
        default=None, description="The customer's name; masked before any hosted-model call."
    )
    customer_address: str | None = Field(
        default=None, description="The customer's address; masked like the name."
    )
    team: str | None = None
    location: str | None = None
    queue: str | None = None
    tags: list[str] = Field(default_factory=list)
    csat: float | None = Field(default=None, description="Customer satisfaction, if known.")


class Transcript(BaseModel):
    """A whole conversation, ready to grade."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=200)]
    channel: Channel = Channel.CHAT
    turns: Annotated[list[Turn], Field(min_length=1, max_length=MAX_TURNS)]
    metadata: TranscriptMetadata = Field(default_factory=TranscriptMetadata)

    @field_validator("turns")
    @classmethod
    def _has_agent_side(cls, turns: list[Turn]) -> list[Turn]:
        if not any(t.role in AGENT_SIDE for t in turns):
            raise ValueError("no agent, bot or supervisor turn: nothing to grade")
        return turns
