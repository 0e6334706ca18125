"""Test data builders shared by the test modules (a plain module: `conftest` names collide)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from grader import Role, Transcript, Turn

if TYPE_CHECKING:
    from grader import Rubric
    from grader.judges import JudgeContext
    from retrieval import KnowledgeStore

ROOT = Path(__file__).resolve().parent.parent


def make_transcript(
    tid: str = "t1",
    texts: list[tuple[Role, str]] | None = None,
    gap_minutes: list[int] | None = None,
) -> Transcript:
    texts = texts or [
        (Role.CUSTOMER, "Hi, my order hasn't arrived. Where is it?"),
        (Role.AGENT, "Sorry, that's our policy. Shipping takes up to 14 days."),
        (Role.CUSTOMER, "Can you check the tracking please?"),
        (Role.AGENT, "I checked it. It is in Denver and arrives Friday."),
    ]
    start = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    gaps = gap_minutes or [0] + [5] * (len(texts) - 1)
    turns, t = [], start
    for (role, text), gap in zip(texts, gaps, strict=True):
        t = t + timedelta(minutes=gap)
        turns.append(Turn(role=role, text=text, timestamp=t))
    return Transcript(id=tid, turns=turns)


def judge_context(rubric: Rubric, texts: list[tuple[Role, str]]) -> JudgeContext:
    """The judges' context for a conversation of `texts`, without sentence vectors (no encoder)."""
    from grader import compute_signals, segment_transcript
    from grader.judges import build_context

    transcript = make_transcript(texts=texts)
    return build_context(
        transcript,
        rubric,
        segments=segment_transcript(transcript),
        signals=compute_signals(transcript),
        encoder=None,
    )


def starter_store(directory: Path) -> KnowledgeStore:
    """A knowledge store in `directory` holding the coach's starter policies and model answers."""
    from importlib import resources

    from retrieval import KnowledgeStore, ingest_file

    data = Path(str(resources.files("retrieval").joinpath("data")))
    store = KnowledgeStore(directory)
    ingest_file(store, "policies", data / "policies.yaml")
    ingest_file(store, "model_answers", data / "model_answers.yaml")
    return store


async def rapport_score(
    rubric: Rubric, texts: list[tuple[Role, str]], element: str
) -> float | None:
    """The rapport judge's score on `element` for a conversation of `texts` (no encoder)."""
    from grader.judges._rapport import rapport_judge

    return (await rapport_judge(None)(judge_context(rubric, texts)))[element].score
