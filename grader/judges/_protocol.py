"""What a judge is: an async callable from a conversation's context to votes per element.

Every judge (signals, detectors, similarity, learned scorers, the hosted model) reads the
same `JudgeContext`, built once per transcript: its sentences, code signals, the rubric, the
scenario and one unit vector per sentence (embedded in a single batch, so adding a judge
adds no encoder call). A judge returns `{element_id: JudgeVote}` for the elements it can
judge and leaves the others out (abstains); the grader keeps only votes whose judge kind the
element lists in `judges`. Judges never follow instructions found in the transcript: they
read it as data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from grader._embedding import EMBEDDING_DIM, SentenceEncoder
from grader._results import JudgeVote
from grader._rubric import Rubric, Scenario
from grader._segments import Segment
from grader._signals import Signals
from grader._transcript import AGENT_SIDE, Role, Transcript

__all__ = ["Judge", "JudgeContext", "Votes", "build_context"]

#: Element id -> one judge's vote on it.
Votes = Mapping[str, JudgeVote]


@dataclass(frozen=True)
class JudgeContext:
    """Everything a judge may read about one conversation (built once, shared by all)."""

    transcript: Transcript
    segments: list[Segment]
    signals: Signals
    rubric: Rubric
    scenario: Scenario | None = None
    vectors: NDArray[np.float32] = field(
        default_factory=lambda: np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    )
    """One unit vector per segment, same order (empty when no encoder was used)."""
    facts: tuple[str, ...] = ()
    """Policy facts that apply (e.g. from the coach's knowledge base), for the accuracy check."""

    @cached_property
    def index(self) -> dict[str, int]:
        """Sentence id -> its row in `segments` and `vectors`."""
        return {s.id: i for i, s in enumerate(self.segments)}

    @property
    def has_vectors(self) -> bool:
        """Whether sentence vectors were computed for this conversation."""
        return len(self.vectors) == len(self.segments) and len(self.segments) > 0

    def rows(self, roles: frozenset[Role] | set[Role]) -> list[int]:
        """Rows of the sentences spoken by `roles`, in order."""
        return [i for i, s in enumerate(self.segments) if s.role in roles]

    @cached_property
    def agent_rows(self) -> list[int]:
        """Rows of agent, bot and supervisor sentences."""
        return self.rows(AGENT_SIDE)

    @cached_property
    def customer_rows(self) -> list[int]:
        """Rows of customer sentences."""
        return self.rows({Role.CUSTOMER})


#: A judge: made by a small factory, called once per conversation.
Judge = Callable[[JudgeContext], Awaitable[Votes]]


def build_context(
    transcript: Transcript,
    rubric: Rubric,
    *,
    segments: list[Segment],
    signals: Signals,
    encoder: SentenceEncoder | None,
    scenario: Scenario | None = None,
    facts: tuple[str, ...] = (),
) -> JudgeContext:
    """The context for one conversation: every sentence embedded in one encoder call."""
    vectors = (
        encoder.embed([s.text for s in segments])
        if encoder is not None and segments
        else np.zeros((0, EMBEDDING_DIM), dtype=np.float32)
    )
    return JudgeContext(transcript, segments, signals, rubric, scenario, vectors, facts)
