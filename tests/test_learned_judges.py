"""Learned judges: fitted text scorers, measured out of fold, stored outside the project, absent when unfitted."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray

import evals
from grader import Transcript, compute_signals, default_rubric, segment_transcript
from grader._errors import ConfigurationError, InputError
from grader.judges import build_context
from grader.judges._learned import learned_judge, learned_judges, load_scorers, save_scorer
from grader.judges._learned_fit import ScorerSpec, cross_validated, fit_scorer, rater_normalised

RUBRIC = default_rubric()
POLITE = ["Could you please check this for me? Thank you so much.",
          "Thanks a lot, I really appreciate your help with this.",
          "Would you mind having a look when you have a moment? Thanks!",
          "Sorry to bother you, could you please resend the link?"]  # fmt: skip
RUDE = ["Why is this still broken? Fix it.",
        "This is useless and wrong, do it again.",
        "What is wrong with you people?",
        "Just send it. Now."]  # fmt: skip
SPEC = ScorerSpec(element_id="courtesy", fitted_on="toy", target="toy politeness 0..1")


class HashEncoder:
    """A fake sentence encoder: a fixed pseudo-random unit vector per text (fast, offline)."""

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        rows = []
        for text in texts:
            seed = int(hashlib.sha256(text.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=384)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), 384)

    @staticmethod
    def name() -> str:
        return "hash-test"


def _corpus(n: int = 60) -> tuple[list[str], NDArray[np.float32], list[float]]:
    texts, targets = [], []
    for i in range(n):
        polite = i % 2 == 0
        base = (POLITE if polite else RUDE)[i % 4]
        texts.append(f"{base} (ticket {i})")
        targets.append(1.0 if polite else 0.0)
    return texts, HashEncoder().embed(texts), targets


def test_scorer_ranks_held_out_texts_and_is_measured_out_of_fold() -> None:
    texts, vectors, targets = _corpus()
    folded = cross_validated(texts, vectors, targets, SPEC, folds=5, seed=0)
    assert folded.spearman is not None and folded.spearman > 0.6
    # a held-out text's prediction does not depend on its own target (spy: flip it)
    flipped = list(targets)
    flipped[0] = 1.0 - flipped[0]
    again = cross_validated(texts, vectors, flipped, SPEC, folds=5, seed=0)
    assert again.predictions[0] == pytest.approx(folded.predictions[0])
    assert sorted(np.concatenate(folded.folds).tolist()) == list(range(len(texts)))


def test_rater_normalised_targets_remove_a_harsh_or_lenient_raters_offset() -> None:
    """Same standing among what each rater rated -> same target, whatever the rater's offset."""
    harsh = [[("harsh", float(r))] for r in (1, 2, 3, 4, 5)]
    lenient = [[("lenient", float(r))] for r in (15, 16, 17, 18, 19)]
    z = rater_normalised(harsh + lenient)
    assert z[:5] == pytest.approx(z[5:])
    assert list(np.argsort(z[:5])) == [0, 1, 2, 3, 4]
    # a rater seen too rarely is standardised with the pool: their high rating stays high
    few = rater_normalised([*harsh, *lenient, [("once", 19.0)]])
    assert few[-1] > few[0]


def test_fitting_rater_normalised_targets_recovers_the_text_signal() -> None:
    """Texts carry a quality; each is rated by one of two raters, one 10 points harsher.

    On the raw means the offset is noise the scorer cannot read from the text; fitted on
    rater-normalised targets the out-of-fold predictions rank the texts' quality better.
    """
    rng = np.random.default_rng(0)
    n = 120
    quality = rng.normal(size=n)
    vectors = np.zeros((n, 384), dtype=np.float32)
    vectors[:, 0] = quality
    vectors[:, 1:] = rng.normal(scale=0.05, size=(n, 383))
    raters = ["harsh" if rng.random() < 0.5 else "lenient" for _ in range(n)]
    raw = [q * 2 + (-10.0 if r == "harsh" else 10.0) for q, r in zip(quality, raters, strict=True)]
    texts = [f"text {i}" for i in range(n)]
    spec = ScorerSpec(element_id="courtesy", fitted_on="toy", target="toy", ngrams=False)
    plain = cross_validated(texts, vectors, raw, spec, folds=5, seed=0)
    ratings = [[(r, y)] for r, y in zip(raters, raw, strict=True)]
    normed = cross_validated(texts, vectors, raw, spec, folds=5, seed=0, rater_ratings=ratings)

    def rho(p: NDArray[np.float64]) -> float:
        from scipy.stats import spearmanr

        return float(spearmanr(p, quality)[0])

    assert (
        rho(normed.predictions) > 0.99 and rho(normed.predictions) > rho(plain.predictions) + 0.03
    )


def test_outcome_raters_must_match_the_ratings() -> None:
    with pytest.raises(ValueError, match="names 2 raters for 3 ratings"):
        evals.CalibrationItem.model_validate(
            {
                "transcript": {"id": "t", "turns": [{"role": "agent", "text": "Hi."}]},
                "outcomes": {"csat": [1, 2, 3]},
                "outcome_raters": {"csat": ["a", "b"]},
            }
        )


def test_too_few_texts_is_a_clear_error() -> None:
    texts, vectors, targets = _corpus(10)
    with pytest.raises(InputError, match="at least 12 texts"):
        fit_scorer(texts, vectors, targets, SPEC)


def _transcript(agent: str) -> Transcript:
    return Transcript.model_validate(
        {"id": "t", "turns": [{"role": "customer", "text": "My order is late."},
                              {"role": "agent", "text": agent}]}
    )  # fmt: skip


def _vote(judge, transcript: Transcript):  # type: ignore[no-untyped-def]
    ctx = build_context(
        transcript, RUBRIC, segments=segment_transcript(transcript),
        signals=compute_signals(transcript), encoder=HashEncoder(),
    )  # fmt: skip
    return asyncio.run(judge(ctx))


def test_stored_scorer_votes_on_its_element_and_round_trips(tmp_path: Path) -> None:
    texts, vectors, targets = _corpus()
    scorer = fit_scorer(texts, vectors, targets, SPEC, cv_spearman=0.7)
    path = save_scorer(scorer, tmp_path)
    assert path.name == "courtesy.toy.json"
    (loaded,) = load_scorers([tmp_path])
    assert loaded.id == scorer.id and loaded.confidence == 0.7
    judge = learned_judge(loaded)
    polite = _vote(judge, _transcript(POLITE[0]))["courtesy"]
    rude = _vote(judge, _transcript(RUDE[0]))["courtesy"]
    assert polite.judge == "learned:toy" and polite.kind == "learned"
    assert polite.score is not None and rude.score is not None and polite.score > rude.score
    assert 0 <= rude.score <= 3 and polite.evidence == ["T1.1", "T1.2"]


def test_judge_is_absent_without_a_fitted_scorer_and_skips_its_own_data(tmp_path: Path) -> None:
    assert learned_judges([tmp_path / "missing"], RUBRIC) == []
    texts, vectors, targets = _corpus()
    save_scorer(fit_scorer(texts, vectors, targets, SPEC, ids=["a", "b"]), tmp_path)
    assert len(learned_judges([tmp_path], RUBRIC)) == 1
    assert len(learned_judges([tmp_path], RUBRIC, exclude_ids={"c"})) == 1
    assert learned_judges([tmp_path], RUBRIC, exclude_ids={"c", "b"}) == []
    assert learned_judges([tmp_path], RUBRIC.focused(["clarity"])) == []


def test_a_transcript_a_scorer_was_fitted_on_is_graded_by_the_fold_that_held_it_out(
    tmp_path: Path,
) -> None:
    texts, vectors, targets = _corpus()
    ids = [f"t{i}" for i in range(len(texts))]
    folded = cross_validated(texts, vectors, targets, SPEC, folds=3, seed=0, ids=ids)
    full = fit_scorer(texts, vectors, targets, SPEC, cv_spearman=folded.spearman, ids=ids)
    for scorer in [full, *folded.scorers]:
        save_scorer(scorer, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir())[:2] == ["courtesy.toy.fold1.json",
                                                              "courtesy.toy.fold2.json"]  # fmt: skip
    (judge,) = learned_judges([tmp_path], RUBRIC)  # one judge: full scorer, then its folds
    for k, test in enumerate(folded.folds, start=1):
        i = int(test[0])
        seen = Transcript.model_validate(
            {"id": ids[i], "turns": [{"role": "agent", "text": texts[i]}]}
        )
        vote = _vote(judge, seen)["courtesy"]
        assert f"fold {k}," in vote.rationale  # the one scorer that never saw it
        assert ids[i] not in folded.scorers[k - 1].fitted_set
    new = _vote(judge, _transcript(POLITE[0]))["courtesy"]
    assert "toy, out-of-fold" in new.rationale  # an unseen transcript: the full scorer
    # fold files are read only when a transcript of the corpus comes by
    (lazy,) = learned_judges([tmp_path], RUBRIC)
    for path in tmp_path.glob("*.fold*.json"):
        path.write_text("{}")
    assert "toy, out-of-fold" in _vote(lazy, _transcript(POLITE[0]))["courtesy"].rationale
    seen = Transcript.model_validate({"id": ids[0], "turns": [{"role": "agent", "text": "Hi"}]})
    with pytest.raises(ConfigurationError, match=r"courtesy\.toy\.fold1\.json"):
        _vote(lazy, seen)
    # only scorers that saw it: no vote at all
    lone = learned_judge(full)
    assert _vote(lone, Transcript.model_validate(
        {"id": ids[0], "turns": [{"role": "agent", "text": texts[0]}]})) == {}  # fmt: skip


def test_no_vote_without_sentence_vectors() -> None:
    texts, vectors, targets = _corpus()
    judge = learned_judge(fit_scorer(texts, vectors, targets, SPEC))
    transcript = _transcript(POLITE[0])
    ctx = build_context(
        transcript, RUBRIC, segments=segment_transcript(transcript),
        signals=compute_signals(transcript), encoder=None,
    )  # fmt: skip
    assert asyncio.run(judge(ctx)) == {}


def test_a_broken_scorer_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "courtesy.bad.json").write_text(json.dumps({"element_id": "courtesy"}))
    with pytest.raises(ConfigurationError, match=r"courtesy\.bad\.json"):
        load_scorers([tmp_path])


def test_team_labels_fit_one_scorer_per_element(tmp_path: Path) -> None:
    cache = evals_cache()
    rows = []
    for i in range(24):
        polite = i % 2 == 0
        agent = (POLITE if polite else RUDE)[i % 4] + f" Order {i}."
        rows.append({"transcript": {"id": f"t{i}", "turns": [
            {"role": "customer", "text": "Where is my order?"}, {"role": "agent", "text": agent}]},
            "labels": {"ana": {"courtesy": 3 if polite else 0, "clarity": 2}}})  # fmt: skip
    path = tmp_path / "team.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    cset = evals.load_set(path, RUBRIC)
    fits = evals.fit_judges(
        [cset], cache, corpus_dir=tmp_path / "corpus", tenant_dir=tmp_path / "tenant", folds=4
    )
    (fit,) = fits  # clarity has a single level: nothing to learn
    assert fit.element_id == "courtesy" and fit.n == 24 and fit.path is not None
    assert fit.path.parent == tmp_path / "tenant"
    assert fit.spearman is not None and fit.spearman > 0.5
    scorer, *folds = sorted(load_scorers([tmp_path / "tenant"]), key=lambda s: s.fold or 0)
    assert scorer.fold is None and [f.fold for f in folds] == [1, 2, 3, 4]
    assert scorer.scale == "level" and scorer.unit == "conversation"
    assert all(f.cv_spearman == scorer.cv_spearman and len(f.fitted_ids) == 18 for f in folds)


def evals_cache():  # type: ignore[no-untyped-def]
    from grader._embedding_cache import EmbeddingCache

    return EmbeddingCache(None, HashEncoder())


@pytest.mark.skipif(
    not (evals.shared_data_dir() / "stanford_politeness.jsonl").is_file(),
    reason="shared politeness data absent",
)
def test_courtesy_scorer_on_politeness_is_measured_out_of_fold(tmp_path: Path) -> None:
    """On 600 real requests (fake vectors, so the n-grams and cues carry it) the OOF rank is positive."""
    cset = evals.load_politeness(limit=600)
    (fit,) = evals.fit_judges(
        [cset], evals_cache(), corpus_dir=tmp_path / "c", tenant_dir=tmp_path / "t", save=False
    )
    assert fit.n == 600 and fit.path is None
    assert fit.spearman is not None and fit.spearman > 0.2
    assert set(fit.by_group) == {"wikipedia", "stack_exchange"}


def test_cli_fit_judges_stores_team_scorers_in_the_tenant_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cli import app

    rows = []
    for i in range(24):
        polite = i % 2 == 0
        agent = (POLITE if polite else RUDE)[i % 4] + f" Order {i}."
        rows.append({"transcript": {"id": f"t{i}", "turns": [
            {"role": "customer", "text": "Where is my order?"}, {"role": "agent", "text": agent}]},
            "labels": {"ana": {"courtesy": 3 if polite else 0}}})  # fmt: skip
    path = tmp_path / "team.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, ["eval", str(path), "--fit-judges", "--tenant", "acme"])
    assert result.exit_code == 0, result.output
    assert "courtesy from team: n=24, out-of-fold Spearman" in " ".join(result.output.split())
    stored = tmp_path / "cache" / "calibration" / "judges" / "acme" / "courtesy.team.json"
    assert stored.is_file()
    assert not (tmp_path / "cache" / "judges").exists()  # corpus scorers only from corpora


def test_through_the_grader_a_general_cue_count_defers_to_the_learned_vote() -> None:
    """One agent turn with no service finding (and no cue to quote, so the evidence step adds
    examined sentences): the courtesy verdict is the learned vote's."""
    from grader import rubric_grader
    from grader.model import LLM, MockLLM

    texts, vectors, targets = _corpus()
    scorer = fit_scorer(texts, vectors, targets, SPEC, cv_spearman=0.5)
    grade = rubric_grader(
        RUBRIC.focused(["courtesy"]), LLM("local/test", provider=MockLLM()),
        extra_judges=[learned_judge(scorer)], encoder=HashEncoder(), use_cache=False,
    )  # fmt: skip
    request = Transcript.model_validate(
        {"id": "r", "turns": [{"role": "agent", "text": "Could you resend the file when you can?"}]}
    )
    (verdict,) = asyncio.run(grade(request)).verdicts
    detector = next(v for v in verdict.votes if v.kind == "detector")
    learned = next(v for v in verdict.votes if v.kind == "learned")
    assert detector.defers_to_learned and detector.score != learned.score
    assert verdict.value == pytest.approx(learned.score, abs=1e-3)


@pytest.mark.parametrize(
    ("texts", "overrides"),
    [
        # an apology owed or a bare policy phrase: nothing a corpus of requests has seen
        (
            [
                ("c", "Can I get a refund? It arrived broken."),
                ("a", "No refunds after 14 days. That's our policy."),
            ],
            True,
        ),
        (
            [
                ("c", "My order is late."),
                ("a", "I'm so sorry, that's our mistake. I've sent a new one today."),
            ],
            True,
        ),
        # rude or curt wording alone: the corpus has rude requests, so its scorer still votes
        (
            [
                ("c", "Where do I find my invoice?"),
                ("a", "Obviously it's on the account page. Read it."),
            ],
            False,
        ),
        # general cues: the detector defers instead
        (
            [("c", "Could you check my order?"), ("a", "Thanks for asking! It ships tomorrow.")],
            False,
        ),
    ],
)
def test_only_findings_a_corpus_has_no_example_of_override_its_scorer(
    texts: list[tuple[str, str]], overrides: bool
) -> None:
    from factories import judge_context

    from grader import Role
    from grader.judges._rapport import rapport_judge

    roles = {"c": Role.CUSTOMER, "a": Role.AGENT}
    ctx = judge_context(RUBRIC, [(roles[r], t) for r, t in texts])
    vote = asyncio.run(rapport_judge(None)(ctx))["courtesy"]
    assert vote.overrides_corpus is overrides, vote.rationale
