"""QA on the service's storage: the dispute life cycle and its audit trail, gold-label export
read back by the evals loader, the spotlight with assignments, and tenant isolation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import make_transcript
from jobs_support import migrated
from qa_seed import grade, store_job_grades, verdict

import app.qa as qa
import evals
from app._errors import ConflictError, NotFoundError
from app._grade_store import record_grade
from app.qa._tables import AuditImmutableError, AuditRecord
from app.storage import Database
from grader import default_rubric
from grader._errors import InputError

RUBRIC = default_rubric()


def test_front_door_is_honest() -> None:
    for name in qa.__all__:
        assert hasattr(qa, name), name


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = migrated(database_url)
    yield database
    database.close()


def _seed(db: Database, tenant: str = "acme") -> list[str]:
    pairs = []
    for i, (overall, courtesy) in enumerate([(40.0, 1), (85.0, 3), (62.0, 2)]):
        transcript = make_transcript(f"{tenant}-t{i}")
        g = grade(
            transcript.id,
            overall,
            dims={"connection": overall},
            verdicts=[
                verdict("courtesy", courtesy, quote="Sorry, that's our policy."),
                verdict("recovery", None),
            ],
        )
        pairs.append((transcript, g))
    return store_job_grades(db, tenant, pairs)


def test_override_accept_and_dispute_life_cycle_with_audit(db: Database) -> None:
    keys = _seed(db)
    with db.session() as s:
        review = qa.submit_review(
            s,
            "acme",
            keys[0],
            {"courtesy": 3},
            reviewer="rita",
            reason="apology was sincere",
            kind="override",
        )
        assert review.status == "submitted" and review.grader_scores == {"courtesy": 1}
        accepted = qa.decide_review(s, "acme", review.id, "accept", lead="lena", note="agreed")
        assert accepted.status == "accepted" and accepted.decided_by == "lena"
        with pytest.raises(ConflictError, match="already accepted"):
            qa.decide_review(s, "acme", review.id, "reject", lead="lena")
        dispute = qa.raise_dispute(
            s,
            "acme",
            keys[2],
            reason="the customer was helped",
            raised_by="sam",
            proposed={"courtesy": 3},
        )
        assert (
            dispute.status == "open"
            and dispute.element_ids == ["courtesy"]
            and dispute.grader_scores == {"courtesy": 2}
        )
        decided = qa.decide_dispute(s, "acme", dispute.id, "accept", lead="lena", note="fair")
        assert decided.status == "accepted"
        rejected = qa.raise_dispute(s, "acme", keys[1], reason="too low", raised_by="sam")
        qa.decide_dispute(s, "acme", rejected.id, "reject", lead="lena", note="no")
        with pytest.raises(ConflictError):
            qa.decide_dispute(s, "acme", rejected.id, "accept", lead="lena")
    with db.session() as s:
        reviews = qa.list_reviews(s, "acme", status="accepted")
        assert [(r.kind, r.labels) for r in reviews] == [
            ("override", {"courtesy": 3}),
            ("dispute", {"courtesy": 3}),
        ]
        trail = qa.list_audit(s, "acme")
        assert [(e.actor, e.action) for e in trail] == [
            ("rita", "override.submitted"), ("lena", "review.accepted"), ("sam", "dispute.raised"),
            ("lena", "dispute.accepted"), ("lena", "review.accepted"), ("sam", "dispute.raised"),
            ("lena", "dispute.rejected"),
        ]  # fmt: skip
        assert trail[1].detail == {"before": "submitted", "after": "accepted", "note": "agreed"}
        assert [e.action for e in qa.list_audit(s, "acme", object_id=review.id)] == [
            "override.submitted",
            "review.accepted",
        ]
    with db.session() as s, pytest.raises(AuditImmutableError):  # never rewritten
        entry = s.get(AuditRecord, trail[0].id)
        assert entry is not None
        entry.actor = "someone else"
        s.flush()
    with db.session() as s, pytest.raises(AuditImmutableError):
        s.delete(s.get(AuditRecord, trail[0].id))
        s.flush()


def test_scores_are_checked_against_the_rubric(db: Database) -> None:
    keys = _seed(db)
    with db.session() as s:
        with pytest.raises(InputError, match=r"off the element's scale 0\.\.3"):
            qa.submit_review(
                s, "acme", keys[0], {"courtesy": 4}, reviewer="r", reason="x", kind="override"
            )
        with pytest.raises(InputError, match="not in this grade's rubric"):
            qa.submit_review(
                s, "acme", keys[0], {"politenes": 2}, reviewer="r", reason="x", kind="override"
            )
        with pytest.raises(InputError, match="never N/A"):
            qa.submit_review(
                s, "acme", keys[0], {"courtesy": None}, reviewer="r", reason="x", kind="override"
            )
        with pytest.raises(InputError, match="needs a reason"):
            qa.submit_review(s, "acme", keys[0], {"courtesy": 2}, reviewer="r", kind="override")
        with pytest.raises(InputError, match="exactly one"):
            qa.submit_review(
                s,
                "acme",
                keys[0],
                {"courtesy": 2, "empathy": 1},
                reviewer="r",
                reason="x",
                kind="override",
            )
        ok = qa.submit_review(s, "acme", keys[0], {"recovery": None, "empathy": 1}, reviewer="r")
        assert ok.kind == "review" and ok.labels == {"recovery": None, "empathy": 1}
        with pytest.raises(NotFoundError):
            qa.submit_review(s, "acme", "job_nope:0", {"courtesy": 2}, reviewer="r")


def test_gold_export_is_read_back_by_the_evals_loader(db: Database, tmp_path: Path) -> None:
    keys = _seed(db)
    with db.session() as s:
        plain = record_grade(
            s, "acme", grade("acme-nostore", 50.0, verdicts=[verdict("courtesy", 1)])
        )
        for key, labels in (
            (keys[0], {"courtesy": 3}),
            (keys[1], {"recovery": None, "courtesy": 2}),
            (plain.id, {"courtesy": 2}),
        ):
            r = qa.submit_review(s, "acme", key, labels, reviewer="Rita Q.", reason="seen")
            qa.decide_review(s, "acme", r.id, "accept", lead="lena")
        left_out = qa.submit_review(
            s, "acme", keys[2], {"courtesy": 0}, reviewer="rita", reason="x", kind="override"
        )
        qa.decide_review(s, "acme", left_out.id, "reject", lead="lena")
        export = qa.export_gold(s, "acme")
    assert export.missing_transcripts == ["acme-nostore"]  # a grade whose transcript was not kept
    path = tmp_path / "gold.jsonl"
    path.write_text(export.text)
    cset = evals.load_set(path, RUBRIC)
    by_id = {item.id: item for item in cset.items}
    assert set(by_id) == {"acme-t0", "acme-t1"}  # the rejected override is not gold
    assert by_id["acme-t0"].labels == {"Rita-Q": {"courtesy": 3}}
    assert by_id["acme-t1"].labels == {"Rita-Q": {"courtesy": 2, "recovery": None}}
    assert by_id["acme-t0"].transcript.turns == make_transcript("acme-t0").turns
    with db.session() as s:
        points = qa.reviewer_agreement(s, "acme")
    courtesy = next(p for p in points if p.element_id == "courtesy")
    # grader 1 vs human 3, grader 3 vs human 2, grader 1 vs human 2: none exact, 2 of 3 within one
    assert (courtesy.n, courtesy.exact, courtesy.within_one) == (
        3,
        0.0,
        pytest.approx(2 / 3, abs=1e-4),
    )
    assert courtesy.mean_difference == pytest.approx(((1 - 3) + (3 - 2) + (1 - 2)) / 3, abs=1e-4)


def test_spotlight_queue_with_assignments(db: Database) -> None:
    keys = _seed(db)
    with db.session() as s:
        queue = qa.spotlight_queue(s, "acme")
        assert queue[0].grade_id == keys[0] and queue[0].status == "open"  # 40/100 is the lowest
        qa.assign(s, "acme", keys[0], assignee="rita", status="in_review", actor="lena")
        entry = next(e for e in qa.spotlight_queue(s, "acme") if e.grade_id == keys[0])
        assert (entry.assignee, entry.status) == ("rita", "in_review")
        qa.assign(s, "acme", keys[0], assignee="rita", status="done", actor="rita")
        assert keys[0] not in [e.grade_id for e in qa.spotlight_queue(s, "acme")]
        assert keys[0] in [e.grade_id for e in qa.spotlight_queue(s, "acme", include_closed=True)]
        with pytest.raises(InputError, match="unknown status"):
            qa.assign(s, "acme", keys[0], assignee=None, status="lost", actor="x")
        lowest_open = qa.spotlight_queue(s, "acme", low_score=70)[0].grade_id
        made = qa.submit_review(
            s, "acme", lowest_open, {"courtesy": 2}, reviewer="r", reason="ok", kind="override"
        )
        assert lowest_open in [
            e.grade_id for e in qa.spotlight_queue(s, "acme", low_score=70)
        ]  # not yet accepted
        qa.decide_review(s, "acme", made.id, "accept", lead="lena")
        assert lowest_open not in [
            e.grade_id for e in qa.spotlight_queue(s, "acme", low_score=70)
        ]  # reviewed
        closed = {
            e.grade_id: e.status
            for e in qa.spotlight_queue(s, "acme", low_score=70, include_closed=True)
        }
        assert closed[lowest_open] == "reviewed"
        assert [e.action for e in qa.list_audit(s, "acme", grade_key=keys[0])] == [
            "assignment.set",
            "assignment.set",
        ]


def test_tenants_never_see_each_others_reviews_or_patterns(db: Database) -> None:
    acme = _seed(db, "acme")
    _seed(db, "globex")
    with db.session() as s:
        review = qa.submit_review(
            s, "acme", acme[0], {"courtesy": 3}, reviewer="r", reason="x", kind="override"
        )
        with pytest.raises(NotFoundError):
            qa.get_graded(s, "globex", acme[0])
        with pytest.raises(NotFoundError):
            qa.submit_review(
                s, "globex", acme[0], {"courtesy": 3}, reviewer="g", reason="x", kind="override"
            )
        with pytest.raises(NotFoundError):
            qa.decide_review(s, "globex", review.id, "accept", lead="g")
        with pytest.raises(NotFoundError):
            qa.raise_dispute(s, "globex", acme[0], reason="x", raised_by="g")
        assert qa.list_reviews(s, "globex") == [] and qa.list_audit(s, "globex") == []
        globex_items = qa.qa_items(s, "globex")
        assert {i.transcript_id for i in globex_items} == {"globex-t0", "globex-t1", "globex-t2"}
        assert all(
            e.grade_id.endswith("_globex:" + e.grade_id.rsplit(":", 1)[1])
            for e in qa.spotlight_queue(s, "globex")
        )
        examples = [
            ex.transcript_id
            for c in qa.failure_patterns(globex_items, _Words(), min_count=1).clusters
            for ex in c.examples
        ]
        assert examples and all(t.startswith("globex-") for t in examples)
        assert qa.export_gold(s, "globex").lines == []


class _Words:
    def embed(self, texts: list[str]):  # type: ignore[no-untyped-def]
        import numpy as np

        return np.ones((len(texts), 4), dtype=np.float32) / 2.0

    @staticmethod
    def name() -> str:
        return "words"
