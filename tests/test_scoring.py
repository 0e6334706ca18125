"""Scores are computed in code: N/A re-normalisation, element and dimension weights, auto-fail."""

from __future__ import annotations

import pytest

from grader import Rubric, Verdict, WeightProfile, score_verdicts


def _rubric() -> Rubric:
    level = {0: "bad", 1: "weak", 2: "good", 3: "great"}

    def el(i, **kw):
        return {
            "id": i,
            "name": i,
            "description": i,
            "how_to_apply": i,
            "levels": level,
            **kw,
        }

    return Rubric.model_validate(
        {
            "id": "mini",
            "name": "mini",
            "dimensions": [
                {
                    "id": "timing",
                    "name": "Timing",
                    "question": "?",
                    "elements": [el("speed"), el("wait", na_when="no wait")],
                },
                {
                    "id": "connection",
                    "name": "Connection",
                    "question": "?",
                    "elements": [
                        el("courtesy", weight=2.0),
                        el("rude", critical=True),
                        el("recovery", na_when="calm"),
                    ],
                },
            ],
            "scenarios": {
                "inquiry_types": {"other": "x"},
                "customer_states": {"calm": "x"},
                "objectives": {"resolve": "x"},
            },
            "weight_profiles": [{"id": "default", "dimensions": {"timing": 1, "connection": 3}}],
        }
    )


def _verdicts(
    rubric: Rubric, scores: dict[str, int | None], weights: dict[str, float] | None = None
) -> list[Verdict]:
    return [
        Verdict(
            element_id=e.id,
            dimension_id=rubric.dimension_of(e.id).id,
            score=scores[e.id],
            max_score=3,
            rationale="r",
            evidence=[],
            weight=e.weight * (weights or {}).get(e.id, 1.0),
        )
        for e in rubric.elements
    ]


def test_na_elements_drop_out_and_weights_renormalise() -> None:
    rubric = _rubric()
    verdicts = _verdicts(
        rubric, {"speed": 3, "wait": None, "courtesy": 3, "rude": 0 + 3, "recovery": None}
    )
    scores = score_verdicts(rubric, rubric.weight_profiles[0], verdicts)
    timing, connection = scores.dimensions
    assert timing.score == 100.0 and timing.applicable_elements == 1
    assert connection.score == 100.0 and connection.applicable_elements == 2


def test_element_weights_and_dimension_weights() -> None:
    rubric = _rubric()
    verdicts = _verdicts(
        rubric, {"speed": 0, "wait": 3, "courtesy": 3, "rude": 1, "recovery": None}
    )
    scores = score_verdicts(rubric, rubric.weight_profiles[0], verdicts)
    timing, connection = scores.dimensions
    assert timing.score == pytest.approx(50.0)
    # courtesy weight 2 at 3/3, rude weight 1 at 1/3 -> (2*1 + 1/3) / 3
    assert connection.score == pytest.approx(100 * (2 + 1 / 3) / 3, abs=0.01)
    assert scores.overall == pytest.approx((1 * 50 + 3 * connection.score) / 4, abs=0.01)
    assert not scores.auto_fail_reasons


def test_profile_element_multiplier_changes_the_dimension() -> None:
    rubric = _rubric()
    scores_by = {"speed": 0, "wait": 3, "courtesy": 3, "rude": 1, "recovery": None}
    profile = WeightProfile(
        id="framing", dimensions={"timing": 1, "connection": 1}, elements={"speed": 3.0}
    )
    scores = score_verdicts(rubric, profile, _verdicts(rubric, scores_by, profile.elements))
    assert scores.dimensions[0].score == pytest.approx(100 * 1 / 4)


def test_all_na_dimension_is_unscored_and_excluded() -> None:
    rubric = _rubric()
    verdicts = [
        v
        for v in _verdicts(
            rubric, {"speed": 3, "wait": None, "courtesy": 3, "rude": 3, "recovery": None}
        )
        if v.element_id != "speed"
    ]
    scores = score_verdicts(rubric, rubric.weight_profiles[0], verdicts)
    assert scores.dimensions[0].score is None
    assert scores.overall == 100.0


def test_critical_zero_sets_overall_to_zero_and_says_why() -> None:
    rubric = _rubric()
    verdicts = _verdicts(rubric, {"speed": 3, "wait": 3, "courtesy": 3, "rude": 0, "recovery": 3})
    scores = score_verdicts(rubric, rubric.weight_profiles[0], verdicts)
    assert scores.overall == 0.0
    assert scores.auto_fail_reasons == ["rude: critical element scored 0 (r)"]
    assert scores.dimensions[1].score is not None and scores.dimensions[1].score > 0
