"""Dashboard figures against hand computations on a small fixture, and on synthetic grades."""

from __future__ import annotations

from datetime import timedelta

import pytest
from qa_seed import START, grade, item, synthetic, verdict

from app.qa import (
    breakdown,
    consistency,
    feedback_report,
    most_improved,
    parse_feedback,
    scores_over_time,
)
from app.qa._feedback import FeedbackError

WEEK2 = START + timedelta(days=7)


def _small() -> list:
    return [
        item(grade("n1", 80.0, dims={"timing": 70.0, "information": 90.0}, verdicts=[verdict("courtesy", 3)]),
             agent="a1", team="north", location="lisbon", csat=4.0),
        item(grade("n2", 60.0, dims={"timing": 50.0, "information": 70.0}), when=WEEK2,
             agent="a1", team="north", location="austin", csat=3.0),
        item(grade("n3", 90.0, dims={"timing": 80.0}), agent="a2", team="north", location="lisbon", csat=5.0),
        item(grade("s1", 40.0, dims={"timing": 30.0, "information": 50.0}, verdicts=[verdict("courtesy", 1)]),
             agent="a4", team="south", location="austin", csat=1.0),
        item(grade("s2", 50.0, dims={"timing": 60.0}), when=WEEK2, agent="a4", team="south", location="austin", csat=2.0),
        item(grade("x", 100.0), when=WEEK2),  # no agent, team or location
    ]  # fmt: skip


def test_breakdown_by_team_matches_hand_means() -> None:
    rows = {r.group: r for r in breakdown(_small(), "team")}
    assert set(rows) == {"north", "south"}  # the unassigned conversation is left out
    north, south = rows["north"], rows["south"]
    assert north.conversations == 3 and north.overall.n == 3
    assert north.overall.mean == pytest.approx(76.67)  # (80 + 60 + 90) / 3
    assert north.dimensions["timing"].mean == pytest.approx(66.67)  # (70 + 50 + 80) / 3
    assert north.dimensions["information"].mean == 80.0 and north.dimensions["information"].n == 2
    assert south.overall.mean == 45.0 and south.dimensions["information"].n == 1
    assert north.csat.mean == 4.0 and north.csat.n == 3  # (4 + 3 + 5) / 3
    assert north.elements["courtesy"].mean == 100.0 and south.elements[
        "courtesy"
    ].mean == pytest.approx(33.33)


def test_trends_by_week() -> None:
    overall = scores_over_time(_small(), measure="overall", period="week")
    assert [(p.period, p.mean, p.n) for p in overall] == [
        (START.replace(hour=0), 70.0, 3),
        (WEEK2.replace(hour=0), 70.0, 3),
    ]
    courtesy = [p for p in scores_over_time(_small(), measure="element") if p.key == "courtesy"]
    assert [(p.mean, p.n) for p in courtesy] == [(pytest.approx(66.67), 2)]  # (100 + 33.3) / 2
    timing = [p for p in scores_over_time(_small(), measure="dimension") if p.key == "timing"]
    assert [(p.mean, p.n) for p in timing] == [(60.0, 3), (55.0, 2)]  # (70+80+30)/3, (50+60)/2


def test_consistency_spread_and_z_by_hand() -> None:
    rows = {r.measure: r for r in consistency(_small(), "team", min_n=2, z_limit=1.4)}
    row = rows["overall"]
    # all five: mean 64, population sd sqrt(1720 / 5) = 18.547
    assert row.n == 5 and row.mean == 64.0 and row.sd == pytest.approx(18.55, abs=0.01)
    groups = {g.group: g for g in row.groups}
    assert groups["north"].z == pytest.approx((76.667 - 64) / (18.547 / 3**0.5), abs=0.01)
    assert groups["south"].z == pytest.approx((45 - 64) / (18.547 / 2**0.5), abs=0.01)
    assert row.spread == pytest.approx(31.67) and row.between_sd == pytest.approx(15.83)
    assert row.outliers == ["south"]  # |z| = 1.45 >= 1.4; north's 1.18 is not
    assert consistency(_small(), "team", min_n=3)[0].outliers == []  # south has 2 < min_n


def test_most_improved_by_hand() -> None:
    rows = most_improved(
        _small(), "agent", before=(START, WEEK2), after=(WEEK2, WEEK2 + timedelta(days=7)), min_n=1
    )
    assert [(r.group, r.change) for r in rows] == [("a4", 10.0), ("a1", -20.0)]  # a2 only before
    assert rows[0].before.n == 1 and rows[0].after.mean == 50.0


def test_feedback_correlation_by_hand() -> None:
    report = feedback_report(_small())
    assert report.graded == 6 and report.with_feedback == 5 and report.csat_mean == 3.0
    overall = next(c for c in report.correlations if c.measure == "overall" and c.rating == "csat")
    assert overall.n == 5 and overall.rho == 1.0  # same order: 40<50<60<80<90 and 1<2<3<4<5
    timing = next(c for c in report.correlations if c.measure == "timing")
    # timing 70,50,80,30,60 -> ranks 4,2,5,1,3 against csat 4,3,5,1,2: d^2 = 0+1+0+0+1 = 2
    assert timing.rho == pytest.approx(1 - 6 * 2 / (5 * 24))
    info = next(c for c in report.correlations if c.measure == "information")
    assert info.n == 3 and info.rho is None  # under min_n
    assert not [c for c in report.correlations if c.rating == "nps"]


def test_synthetic_figures_find_the_planted_structure() -> None:
    items = synthetic()
    assert len(items) == 300
    teams = {r.group: r for r in breakdown(items, "team")}
    assert teams["north"].overall.mean > teams["south"].overall.mean + 5
    assert sum(r.conversations for r in teams.values()) == 300
    by_location = {r.measure: r for r in consistency(items, "location")}
    assert "remote" in by_location["overall"].outliers
    assert all(g.n == 100 for g in by_location["overall"].groups)
    mid = START + timedelta(days=21)
    improved = most_improved(
        items, "agent", before=(START, mid), after=(mid, mid + timedelta(days=21))
    )
    assert improved[0].group == "a3" and improved[0].change > 8
    weeks = scores_over_time(items, measure="overall")
    assert len(weeks) == 6 and sum(p.n for p in weeks) == 300
    report = feedback_report(items)
    overall = next(c for c in report.correlations if c.measure == "overall" and c.rating == "csat")
    assert (
        overall.n == 150
        and overall.rho is not None
        and overall.rho > 0.5
        and overall.p_value < 1e-6
    )


def test_feedback_upload_rows_and_errors() -> None:
    rows = parse_feedback("transcript_id,csat,nps\nt1,5,\nt2,,3\n", fmt="csv")
    assert [(r.transcript_id, r.csat, r.nps) for r in rows] == [
        ("t1", 5.0, None),
        ("t2", None, 3.0),
    ]
    assert parse_feedback('{"transcript_id": "t1", "nps": 9}\n', fmt="jsonl")[0].nps == 9
    with pytest.raises(FeedbackError, match=r"upload:2: .*csat"):
        parse_feedback("transcript_id,csat\nt1,9\n", fmt="csv")
    with pytest.raises(FeedbackError, match="neither csat nor nps"):
        parse_feedback("transcript_id,csat\nt1,\n", fmt="csv")
    with pytest.raises(FeedbackError, match="header"):
        parse_feedback("id,csat\nt1,3\n", fmt="csv")
