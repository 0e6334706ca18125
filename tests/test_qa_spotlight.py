"""The spotlight queue: order on seeded grades, and the reasons each entry gives."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

from qa_seed import START, grade, item, synthetic, verdict

from app.qa import REASON_WEIGHTS, spotlight


def _seeded() -> list:
    return [
        item(grade("fine", 92.0)),
        item(grade("low", 40.0)),
        item(grade("unstable", 75.0, verdicts=[verdict("empathy", 2, agreement=0.2)])),
        item(
            grade("review", 80.0, needs_review=True, review_reasons=["scores spread across judges"])
        ),
        item(
            grade(
                "injection",
                85.0,
                needs_review=True,
                review_reasons=["suspected prompt injection"],
                injection=["T1.2: ignore previous instructions"],
            )
        ),
        item(grade("escalated", 70.0, escalations=["bot_to_human"])),
        item(grade("senior", 72.0, escalations=["to_supervisor"])),
        item(
            grade(
                "angry-recovered", 78.0, customer_state="angry", verdicts=[verdict("recovery", 3)]
            )
        ),
        item(grade("angry-lost", 65.0, customer_state="angry", verdicts=[verdict("recovery", 1)])),
        item(grade("rated-low", 88.0), csat=1.0),
        item(grade("critical", 0.0, auto_failed=True, escalations=["bot_to_human"])),
    ]


def test_escalated_unrecovered_and_critical_come_first() -> None:
    queue = spotlight(_seeded())
    order = [e.transcript_id for e in queue]
    assert "fine" not in order  # nothing to look at
    # critical (+ escalated + low score) first, then the unrecovered customers, then escalations
    assert order[0] == "critical"
    assert set(order[1:3]) == {"angry-lost", "rated-low"}
    assert set(order[3:5]) == {"escalated", "senior"}
    assert order.index("injection") > order.index("senior")
    assert order.index("review") > order.index("injection")
    assert order.index("unstable") > order.index("review")
    assert order[-1] == "angry-recovered"  # recovered: listed, but last
    assert order.index("low") > order.index("review")


def test_each_entry_says_why_and_priority_sums_reasons() -> None:
    entries = {e.transcript_id: e for e in spotlight(_seeded())}
    critical = entries["critical"]
    kinds = [r.kind for r in critical.reasons]
    assert kinds[:2] == ["critical_failure", "escalated"]
    assert "accuracy: scored 0" in critical.reasons[0].detail
    # low score 0 on a threshold of 60: 10 + 30 * (60 - 0) / 60 = 40
    assert (
        critical.priority == REASON_WEIGHTS["critical_failure"] + REASON_WEIGHTS["escalated"] + 40
    )
    assert "not recovered (recovery 1/3)" in entries["angry-lost"].reasons[0].detail
    assert "CSAT 1" in entries["rated-low"].reasons[0].detail
    assert "tier 1 to a senior" in entries["senior"].reasons[0].detail
    assert entries["angry-recovered"].reasons[0].kind == "unhappy_recovered"
    assert [r.kind for r in entries["injection"].reasons] == ["suspected_injection"]  # not twice
    assert "empathy" in entries["unstable"].reasons[0].detail
    assert entries["low"].priority == 10 + 30 * (60 - 40) / 60


def test_ties_put_lower_scores_then_newer_first() -> None:
    a = item(grade("a", 70.0, escalations=["bot_to_human"]), when=START)
    b = item(grade("b", 70.0, escalations=["bot_to_human"]), when=START + timedelta(hours=1))
    c = item(grade("c", 68.0, escalations=["bot_to_human"]), when=START)
    assert [e.transcript_id for e in spotlight([a, b, c], low_score=50)] == ["c", "b", "a"]


def test_synthetic_queue_is_sorted_and_limited() -> None:
    queue = spotlight(synthetic(), limit=25)
    assert len(queue) == 25
    assert all(x.priority >= y.priority for x, y in pairwise(queue))
    assert all(e.reasons for e in queue)


def test_unknown_recovery_and_unscored_grades_are_listed() -> None:
    frustrated = item(grade("frustrated", 80.0, customer_state="frustrated"))
    failed = item(grade("failed", None, status="unscored"))
    entries = {e.transcript_id: e for e in spotlight([frustrated, failed])}
    assert [r.kind for r in entries["frustrated"].reasons] == ["unhappy_unknown"]
    assert "whether they were recovered is unknown" in entries["frustrated"].reasons[0].detail
    assert [r.kind for r in entries["failed"].reasons] == ["unscored"]
    nps = item(grade("detractor", 90.0), nps=3.0)
    assert spotlight([nps])[0].reasons[0].detail.endswith("NPS 3")
