"""Grades for the QA tests: hand-made ones, and a few hundred synthetic ones over weeks.

Synthetic grades are drawn from a seeded generator with known structure (team "north"
better than "south", agent "a3" improving, location "remote" weaker), so tests can check
that the figures find it, next to hand computations on small fixtures.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from app.qa import Feedback, QAItem
from grader import default_rubric
from grader._results import DimensionScore, Evidence, Grade, Verdict
from grader._rubric import Scenario
from grader._signals import EscalationEvent, PolicySpeakHit, Signals
from grader._transcript import Channel, Role

RUBRIC = default_rubric()
DIMENSION_OF = {e.id: d.id for d in RUBRIC.dimensions for e in d.elements}
START = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # a Monday


def verdict(
    element_id: str,
    score: int | None,
    *,
    quote: str = "",
    agreement: float | None = None,
    status: str | None = None,
) -> Verdict:
    """A verdict on the default rubric (0..3); `quote` becomes one evidence sentence."""
    evidence = (
        [Evidence(sentence_id="T1.1", turn_index=1, role=Role.AGENT, quote=quote)] if quote else []
    )
    data = {
        "element_id": element_id,
        "dimension_id": DIMENSION_OF[element_id],
        "score": score,
        "max_score": 3,
        "rationale": "",
        "evidence": evidence,
        "weight": 1.0,
        "agreement": agreement,
    }
    if status:
        data["status"] = status
    return Verdict.model_validate(data)


def grade(
    tid: str,
    overall: float | None,
    *,
    dims: dict[str, float] | None = None,
    verdicts: list[Verdict] | None = None,
    auto_failed: bool = False,
    needs_review: bool = False,
    review_reasons: list[str] | None = None,
    injection: list[str] | None = None,
    escalations: list[str] | None = None,
    policy: list[str] | None = None,
    customer_state: str = "calm",
    status: str = "graded",
) -> Grade:
    """A stored-looking grade with exactly the facts given."""
    signals = Signals(
        customer_turns=2,
        agent_turns=2,
        escalations=[EscalationEvent(kind=k, turn_index=1) for k in escalations or []],
        policy_speak=[
            PolicySpeakHit(turn_index=1, phrase=p, kind="policy", explained=False)
            for p in policy or []
        ],
    )
    return Grade(
        transcript_id=tid,
        status=status,
        rubric_id="cx_core",
        rubric_version="v",
        prompt_version="p",
        model="test",
        scenario=Scenario(
            touchpoint=Channel.CHAT,
            inquiry_type="order_status",
            customer_state=customer_state,
            objective="resolve",
        ),
        overall=overall,
        auto_failed=auto_failed,
        auto_fail_reasons=["accuracy: scored 0"] if auto_failed else [],
        needs_review=needs_review,
        review_reasons=review_reasons or [],
        injection=injection or [],
        dimensions=[
            DimensionScore(dimension_id=d, name=d, score=s, weight=1.0, applicable_elements=1)
            for d, s in (dims or {}).items()
        ],
        verdicts=verdicts or [],
        signals=signals,
    )


def item(
    g: Grade,
    *,
    when: datetime = START,
    agent: str | None = None,
    team: str | None = None,
    location: str | None = None,
    csat: float | None = None,
    nps: float | None = None,
) -> QAItem:
    """The grade as a QA item."""
    feedback = Feedback(csat=csat, nps=nps) if csat is not None or nps is not None else None
    return QAItem(
        grade_id=f"grd_{g.transcript_id}",
        grade=g,
        graded_at=when,
        agent=agent,
        team=team,
        location=location,
        feedback=feedback,
    )


TEAMS = {"north": ("a1", "a2", "a3"), "south": ("a4", "a5", "a6")}
LOCATIONS = ("lisbon", "austin", "remote")
FAIL_QUOTES = {
    "message_framing": [
        "That's our policy, nothing I can do.",
        "Policy does not allow that, sorry.",
        "Our policy says no refunds.",
    ],
    "empathy": ["Please calm down.", "Calm down and wait please."],
    "courtesy": ["Whatever, it is what it is."],
}


def synthetic(n: int = 300, weeks: int = 6, seed: int = 7) -> list[QAItem]:
    """`n` grades over `weeks` weeks, 2 teams x 3 agents, 3 locations, some with CSAT."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        team = rng.choice(sorted(TEAMS))
        agent = rng.choice(TEAMS[team])
        location = LOCATIONS[i % 3]
        week = i % weeks
        when = START + timedelta(days=7 * week + rng.randrange(5), hours=rng.randrange(8))
        base = 70 if team == "north" else 58
        base -= 12 if location == "remote" else 0
        base += 4 * week if agent == "a3" else 0
        overall = max(0.0, min(100.0, rng.gauss(base, 8)))
        dims = {d.id: max(0.0, min(100.0, overall + rng.gauss(0, 6))) for d in RUBRIC.dimensions}
        verdicts = []
        for element in ("message_framing", "empathy", "courtesy", "clarity"):
            score = max(0, min(3, round(overall / 33 + rng.gauss(0, 0.6))))
            quote = (
                rng.choice(FAIL_QUOTES[element]) if score <= 1 and element in FAIL_QUOTES else ""
            )
            verdicts.append(verdict(element, score, quote=quote))
        policy = (
            ["that's our policy"]
            if any(
                v.element_id == "message_framing" and v.score is not None and v.score <= 1
                for v in verdicts
            )
            else []
        )
        csat = (
            float(max(1, min(5, round(overall / 20 + rng.gauss(0, 0.7))))) if i % 2 == 0 else None
        )
        g = grade(
            f"s{i:03d}",
            round(overall, 2),
            dims={k: round(v, 2) for k, v in dims.items()},
            verdicts=verdicts,
            policy=policy,
        )
        out.append(item(g, when=when, agent=agent, team=team, location=location, csat=csat))
    return out


def store_job_grades(
    db: object,
    tenant: str,
    pairs: list[tuple[Any, Grade]],
    *,
    job: str = "job_seed",
    when: list[datetime] | None = None,
) -> list[str]:
    """Write (transcript, grade) pairs as one completed bulk job's results; their grade keys."""
    from app.jobs import Job, JobItem, JobResult
    from app.storage import Database

    assert isinstance(db, Database)
    job_id = f"{job}_{tenant}"
    keys = []
    with db.session() as session:
        session.add(
            Job(
                id=job_id,
                tenant_id=tenant,
                status="completed",
                body_sha256="0" * 64,
                format="jsonl",
                model="test",
                total=len(pairs),
            )
        )
        session.flush()
        for index, (transcript, g) in enumerate(pairs):
            at = when[index] if when else START
            session.add(
                JobItem(
                    job_id=job_id,
                    item_index=index,
                    tenant_id=tenant,
                    transcript_id=g.transcript_id,
                    status="graded",
                    payload=transcript.model_dump_json(),
                )
            )
            session.flush()
            session.add(
                JobResult(
                    job_id=job_id,
                    item_index=index,
                    tenant_id=tenant,
                    transcript_id=g.transcript_id,
                    status=g.status,
                    overall=g.overall,
                    model="test",
                    prompt_version="p",
                    rubric_version="v",
                    grade=g.model_dump(mode="json"),
                    created_at=at,
                    updated_at=at,
                )
            )
            keys.append(f"{job_id}:{index}")
    return keys


def synthetic_transcript(qa_item: QAItem) -> Any:
    """A short transcript carrying the item's agent, team, location and CSAT as metadata."""
    from grader._transcript import Transcript

    return Transcript.model_validate(
        {
            "id": qa_item.transcript_id,
            "turns": [
                {"role": "customer", "text": "Where is my order?"},
                {"role": "agent", "text": "That's our policy, it ships in 14 days."},
            ],
            "metadata": {
                "agent": qa_item.agent,
                "team": qa_item.team,
                "location": qa_item.location,
                "csat": qa_item.feedback.csat if qa_item.feedback else None,
            },
        }
    )


def store_synthetic(db: object, tenant: str, items: list[QAItem]) -> list[str]:
    """The synthetic items as stored job results (metadata in the transcripts)."""
    pairs = [(synthetic_transcript(i), i.grade) for i in items]
    return store_job_grades(db, tenant, pairs, job="job_synth", when=[i.graded_at for i in items])
