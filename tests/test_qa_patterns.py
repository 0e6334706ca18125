"""Failure patterns: co-failing elements and phrases by hand, evidence clusters with a keyword
encoder (exact) and with the real MiniLM encoder (the shipped behaviour)."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray
from qa_seed import grade, item, synthetic, verdict

from app.qa import failure_patterns


class KeywordEncoder:
    """Unit vectors by keyword: texts sharing the first keyword they contain are identical."""

    KEYS = ("policy", "calm", "whatever")

    def embed(self, texts: list[str]) -> NDArray[np.float32]:
        out = np.zeros((len(texts), 8), dtype=np.float32)
        for row, text in enumerate(texts):
            hit = next((i for i, k in enumerate(self.KEYS) if k in text.lower()), None)
            out[row, hit if hit is not None else 3 + row % 5] = 1.0
        return out

    @staticmethod
    def name() -> str:
        return "keywords"


def _items() -> list:
    framing = "That's our policy, nothing I can do."
    return [
        item(grade("a", 30.0, verdicts=[verdict("message_framing", 0, quote=framing), verdict("empathy", 1, quote="Calm down.")], policy=["that's our policy"])),
        item(grade("b", 35.0, verdicts=[verdict("message_framing", 1, quote="Our policy says no."), verdict("empathy", 0, quote="Please calm down.")], policy=["That's our policy"])),
        item(grade("c", 50.0, verdicts=[verdict("message_framing", 1, quote="Policy is policy."), verdict("empathy", 3)])),
        item(grade("d", 90.0, verdicts=[verdict("message_framing", 3), verdict("empathy", 3), verdict("courtesy", 0, quote="Whatever.")])),
    ]  # fmt: skip


def test_co_failures_and_phrases_by_hand() -> None:
    report = failure_patterns(_items(), KeywordEncoder())
    assert report.conversations == 4 and report.with_failures == 4
    pair = report.co_failures[0]
    assert pair.elements == ("empathy", "message_framing") and pair.together == 2
    # framing failed in 3 of 4, empathy in 2 of 4, both in 2: lift = 2 * 4 / (3 * 2)
    assert (pair.first_failed, pair.second_failed) == (2, 3) and pair.lift == pytest.approx(
        1.333, abs=1e-3
    )
    assert len(report.co_failures) == 1  # courtesy failed alone
    phrase = report.phrases[0]
    assert (phrase.phrase, phrase.conversations) == ("that's our policy", 2)  # case folded
    assert phrase.failed_elements == {"message_framing": 2, "empathy": 2}


def test_evidence_clusters_group_what_is_said_alike() -> None:
    report = failure_patterns(_items(), KeywordEncoder())
    clusters = {c.label: c for c in report.clusters}
    policy = next(c for c in report.clusters if "olicy" in c.label)
    assert (
        policy.conversations == 3
        and policy.sentences == 3
        and policy.elements == {"message_framing": 3}
    )
    assert {e.transcript_id for e in policy.examples} == {"a", "b", "c"}
    calm = next(c for c in report.clusters if "alm" in c.label)
    assert calm.conversations == 2 and calm.elements == {"empathy": 2}
    assert "Whatever." not in clusters  # one conversation is no pattern


def test_minilm_clusters_synthetic_failures() -> None:
    pytest.importorskip("onnxruntime")
    from grader._embedding import default_encoder

    encoder = default_encoder()
    try:
        encoder.embed(["probe"])
    except Exception as exc:  # the model packages are optional in a dev install
        pytest.skip(f"MiniLM unavailable: {exc}")
    report = failure_patterns(synthetic(120), encoder, threshold=0.6)
    assert report.clusters
    top = report.clusters[0]
    assert top.conversations >= 10 and len(top.examples) == 5
    # the policy refusals cluster together and are cited for message framing
    framing = [c for c in report.clusters if "message_framing" in c.elements]
    assert framing and all("olicy" in c.label for c in framing[:1])
