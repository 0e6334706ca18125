"""Synthetic graded conversations for the dashboard: weeks, teams, locations, agents.

Deterministic (seeded), scored through the grader's own `score_verdicts`, with evidence
quoting the transcript verbatim, so the dashboard draws what a real tenant would see.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from grader import Role, Rubric, Transcript, Turn, default_rubric
from grader._results import Evidence, Grade, JudgeVote, Verdict
from grader._scoring import score_verdicts
from grader._transcript import TranscriptMetadata

TEAMS = ("Orders", "Returns", "Billing")
LOCATIONS = ("Leeds", "Manila", "Austin")
AGENTS = ("Ana", "Ben", "Chen", "Dana", "Eli", "Fay")
START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)

CURT = "Sorry, that's our policy."
GOOD = "I'm sorry about the wait, I can see your order left our warehouse yesterday."
#: Elements every seeded grade scores, with the turn (agent reply) their evidence quotes.
ELEMENTS = ("responsiveness", "clarity", "message_framing", "courtesy", "empathy", "empowerment")


@dataclass(frozen=True)
class Seeded:
    """One graded conversation and who handled it."""

    transcript: Transcript
    grade: Grade
    agent: str
    team: str
    location: str
    graded_at: datetime


def _transcript(tid: str, curt: bool, when: datetime, who: tuple[str, str, str]) -> Transcript:
    reply = (
        f"{CURT} Returns are 30 days only."
        if curt
        else f"{GOOD} It should arrive on Friday. Can I help with anything else?"
    )
    texts = [
        (Role.CUSTOMER, "Hi, my order NW-4410 hasn't arrived. Where is it?"),
        (Role.AGENT, reply),
        (Role.CUSTOMER, "Thanks." if not curt else "That's not helpful at all."),
    ]
    agent, team, location = who
    return Transcript(
        id=tid,
        metadata=TranscriptMetadata(agent=agent, team=team, location=location),
        turns=[
            Turn(role=r, text=t, timestamp=when + timedelta(minutes=3 * i))
            for i, (r, t) in enumerate(texts)
        ],
    )


def _verdict(
    rubric: Rubric, element_id: str, score: int, transcript: Transcript, rng: random.Random
) -> Verdict:
    element = next(e for e in rubric.elements if e.id == element_id)
    reply = transcript.turns[1].text
    quote = reply.split(". ")[0].rstrip(".") + "."
    confidence = round(rng.uniform(0.55, 0.95), 2)
    judge = "detector:framing" if element_id == "message_framing" else "signals"
    return Verdict(
        element_id=element_id,
        dimension_id=rubric.dimension_of(element_id).id,
        score=score,
        max_score=max(element.levels),
        rationale=f"{element_id}: {'curt policy-speak' if score <= 1 else 'meets the anchor'}",
        evidence=[Evidence(sentence_id="T1.1", turn_index=1, role=Role.AGENT, quote=quote)],
        weight=element.weight,
        status="scored",
        confidence=confidence,
        votes=[
            JudgeVote(judge=judge, score=float(score), confidence=confidence, evidence=["T1.1"])
        ],
    )


def _score(element_id: str, curt: bool, rng: random.Random) -> int:
    if not curt:
        return rng.choice((2, 3))
    return 0 if element_id in ("message_framing", "empathy") else 1


def seeded_grades(count: int = 120, seed: int = 7) -> list[Seeded]:
    """`count` conversations over six weeks; Returns/Manila start weak and improve."""
    rng = random.Random(seed)
    rubric = default_rubric()
    profile = next(p for p in rubric.weight_profiles if not p.when)
    out: list[Seeded] = []
    for i in range(count):
        week = i * 6 // count
        team, location, agent = TEAMS[i % 3], LOCATIONS[(i // 3) % 3], AGENTS[i % 6]
        weak = (team == "Returns" or location == "Manila") and week < 3
        curt = (weak and rng.random() < 0.7) or rng.random() < 0.1
        when = START + timedelta(days=7 * week + rng.randint(0, 4), hours=rng.randint(0, 7))
        transcript = _transcript(f"conv-{i:03d}", curt, when, (agent, team, location))
        verdicts = [_verdict(rubric, e, _score(e, curt, rng), transcript, rng) for e in ELEMENTS]
        scores = score_verdicts(rubric, profile, verdicts)
        grade = Grade(
            transcript_id=transcript.id,
            status="graded",
            rubric_id=rubric.id,
            rubric_version=rubric.version,
            prompt_version="seed",
            model="seed",
            overall=scores.overall,
            dimensions=scores.dimensions,
            verdicts=verdicts,
            needs_review=curt and rng.random() < 0.5,
            review_reasons=["low-confidence framing"] if curt else [],
        )
        out.append(Seeded(transcript, grade, agent, team, location, when))
    return out
