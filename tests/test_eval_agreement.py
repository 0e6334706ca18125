"""`grader eval`'s numbers equal scikit-learn, scipy and krippendorff on the same inputs."""

from __future__ import annotations

import asyncio
import statistics
import warnings

import krippendorff
import numpy as np
import pytest
from scipy.stats import kendalltau, spearmanr
from sklearn.metrics import cohen_kappa_score, confusion_matrix
from test_eval_fakes import ELEMENTS, RUBRIC, example_set, lenient_scores, scripted_grader

import evals


@pytest.fixture(scope="module")
def example_report() -> tuple[evals.CalibrationSet, evals.SetReport]:
    cset = example_set()
    grade, llm = scripted_grader([i.transcript for i in cset.items], lenient_scores(cset))
    report = asyncio.run(
        evals.run_eval([cset], grade, rubric=RUBRIC, model=llm.model, resamples=200, seed=7)
    )
    return cset, report.sets[0]


def _consensus(labels: list[int | None]) -> int | None:
    """Independent restatement: N/A by strict majority, else the lower median."""
    numeric = [v for v in labels if v is not None]
    if len(labels) - len(numeric) > len(labels) / 2 or not numeric:
        return None
    return int(statistics.median_low(numeric))


def test_every_transcript_is_graded(
    example_report: tuple[evals.CalibrationSet, evals.SetReport],
) -> None:
    cset, report = example_report
    assert len(cset.items) >= 30
    assert report.graded == report.items == len(cset.items)
    assert report.raters == ["rater_a", "rater_b"]


def test_element_statistics_equal_sklearn_and_krippendorff(
    example_report: tuple[evals.CalibrationSet, evals.SetReport],
) -> None:
    cset, report = example_report
    rows = {r.id: r for r in report.rows}
    checked = 0
    for result in report.elements:
        el = result.element_id
        labelled = [i for i in cset.items if i.element_labels(el)]
        human, grader = [], []
        for item in labelled:
            h = _consensus(list(item.element_labels(el).values()))
            g = rows[item.id].grader_elements[el]
            if h is not None and g is not None:
                human.append(h)
                grader.append(g)
        assert result.n == len(human)
        levels = list(range(ELEMENTS[el].max_level + 1))
        if len(set(human) | set(grader)) > 1:
            expected = cohen_kappa_score(human, grader, weights="quadratic", labels=levels)
            assert result.kappa.value == pytest.approx(expected, abs=1e-12)
            checked += 1
        assert result.confusion == confusion_matrix(human, grader, labels=levels).tolist()
        diffs = np.subtract(grader, human)
        assert result.exact == pytest.approx(np.mean(diffs == 0))
        assert result.within_one == pytest.approx(np.mean(np.abs(diffs) <= 1))
        assert result.mae == pytest.approx(np.mean(np.abs(diffs)))
        assert result.bias == pytest.approx(np.mean(diffs))

        a_pairs = [
            (i.labels["rater_a"][el], rows[i.id].grader_elements[el])
            for i in labelled
            if i.labels["rater_a"].get(el) is not None
            and rows[i.id].grader_elements[el] is not None
        ]
        if len({v for p in a_pairs for v in p}) > 1:
            expected_a = cohen_kappa_score(
                [p[0] for p in a_pairs], [p[1] for p in a_pairs], weights="quadratic", labels=levels
            )
            assert result.kappa_by_rater["rater_a"].value == pytest.approx(expected_a, abs=1e-12)

        matrix = [
            [np.nan if (v := i.labels.get(r, {}).get(el)) is None else v for i in labelled]
            for r in ("rater_a", "rater_b")
        ]
        values = {v for row in matrix for v in row if not np.isnan(v)}
        if len(values) > 1:
            alpha = krippendorff.alpha(
                reliability_data=np.array(matrix, dtype=float),
                value_domain=levels,
                level_of_measurement="ordinal",
            )
            assert result.alpha_humans.value == pytest.approx(alpha, abs=1e-12)
            graded = [
                np.nan if (v := rows[i.id].grader_elements.get(el)) is None else v for i in labelled
            ]
            alpha_g = krippendorff.alpha(
                reliability_data=np.array([*matrix, graded], dtype=float),
                value_domain=levels,
                level_of_measurement="ordinal",
            )
            assert result.alpha_with_grader.value == pytest.approx(alpha_g, abs=1e-12)
        else:
            assert result.alpha_humans.value is None
            assert result.alpha_humans.reason
    assert checked >= 10
    kappas = [e.kappa.value for e in report.elements if e.kappa.value is not None]
    assert report.metrics["element_mean.kappa"] == pytest.approx(np.mean(kappas))


def test_score_correlations_equal_scipy(
    example_report: tuple[evals.CalibrationSet, evals.SetReport],
) -> None:
    _, report = example_report
    pairs = [
        (r.grader_overall, r.human_overall)
        for r in report.rows
        if r.grader_overall is not None and r.human_overall is not None
    ]
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    overall = next(c for c in report.scores if c.target == "overall")
    assert overall.spearman.value == pytest.approx(spearmanr(xs, ys).statistic, abs=1e-12)
    assert overall.kendall.value == pytest.approx(kendalltau(xs, ys).statistic, abs=1e-12)
    low, value, high = overall.spearman.low, overall.spearman.value, overall.spearman.high
    assert low is not None and value is not None and high is not None
    assert low <= value <= high
    assert report.metrics["overall.spearman"] == overall.spearman.value
    assert {c.target for c in report.scores} == {"overall"} | {
        f"dimension.{d.id}" for d in RUBRIC.dimensions
    }
    # with two raters, one-versus-the-rest is their Spearman with each other
    assert overall.human_vs_rest is not None and overall.human_vs_rest.value is not None


def test_consensus_and_na_agreement() -> None:
    assert evals.consensus([2, 3]) == 2
    assert evals.consensus([None, 3]) == 3
    assert evals.consensus([None, None, 1]) is None
    assert evals.consensus([1, 3, 2]) == 2
    na = evals.na_agreement([True, True, False, False, True], [True, False, False, True, True])
    assert (na.n, na.both_na, na.grader_only_na, na.human_only_na) == (5, 2, 1, 1)
    assert na.agreement == pytest.approx(3 / 5)


def test_na_agreement_in_a_run(
    example_report: tuple[evals.CalibrationSet, evals.SetReport],
) -> None:
    cset, report = example_report
    recovery = next(e for e in report.elements if e.element_id == "recovery")
    rows = {r.id: r for r in report.rows}
    pairs = [
        (
            _consensus(list(i.element_labels("recovery").values())) is None,
            rows[i.id].grader_elements["recovery"] is None,
        )
        for i in cset.items
        if i.element_labels("recovery")
    ]
    assert recovery.na is not None
    assert recovery.na.n == len(pairs)
    assert recovery.na.agreement == pytest.approx(np.mean([h == g for h, g in pairs]))
    assert (
        recovery.na.grader_only_na + recovery.na.human_only_na > 0
    )  # the fake disagrees sometimes
    clarity = next(e for e in report.elements if e.element_id == "clarity")
    assert clarity.na is None  # never N/A in the rubric


def test_undefined_statistics_are_null_with_a_reason() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        kappa = evals.weighted_kappa([2, 2, 2], [2, 2, 2], 3)
        stats = evals.rank_correlations([1.0, 1.0, 1.0, 1.0], [1.0, 2.0, 3.0, 4.0])
        alpha = evals.ordinal_alpha([[1, 1, None], [1, 1, 1]], [0, 1, 2, 3])
        few = evals.rank_correlations([1.0, 2.0], [2.0, 1.0])
        alone = evals.one_vs_rest([[1, 2, 3]])
    for estimate in (kappa, stats["spearman"], stats["kendall"], alpha, few["spearman"], alone):
        assert estimate.value is None
        assert estimate.reason


def test_one_vs_rest_is_each_rater_against_the_mean_of_the_others() -> None:
    rows = [[1, 2, 3, 4, 5, 2], [2, 1, 4, 3, 5, 1], [1, 3, 2, 5, 4, 2]]
    data = np.array(rows, dtype=float)
    expected = np.mean(
        [spearmanr(data[r], np.delete(data, r, axis=0).mean(axis=0)).statistic for r in range(3)]
    )
    assert evals.one_vs_rest(rows).value == pytest.approx(expected)


def test_bootstrap_is_seeded() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=40).tolist()
    y = (np.array(x) + rng.normal(size=40)).tolist()
    a = evals.rank_correlations(x, y, resamples=300, seed=1)
    b = evals.rank_correlations(x, y, resamples=300, seed=1)
    assert a == b
    assert a["spearman"].low is not None and a["spearman"].high is not None
    assert a["spearman"].low < a["spearman"].value < a["spearman"].high  # type: ignore[operator]
