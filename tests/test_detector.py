"""The policy-speak detector: measured on a held-out labelled set, with spans and reasons."""

from __future__ import annotations

import pytest

from retrieval import (
    Detector,
    LabelledDraft,
    curt_phrases,
    default_detector,
    load_labelled_drafts,
    policy_speak_detector,
)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return default_detector()


def test_the_sets_are_large_labelled_and_disjoint() -> None:
    memory = load_labelled_drafts()
    evaluation = load_labelled_drafts("detector_eval.jsonl")
    assert len(evaluation) >= 80
    assert sum(d.label == "curt" for d in evaluation) >= 35
    assert sum(d.hard for d in evaluation) >= 15  # fine drafts that mention a policy and explain it
    assert not {d.text.lower() for d in memory} & {d.text.lower() for d in evaluation}


def test_precision_and_recall_on_the_held_out_set(detector: Detector) -> None:
    evaluation = load_labelled_drafts("detector_eval.jsonl")
    tp = fp = fn = 0
    hard_false_positives = 0
    for draft in evaluation:
        flagged, curt = detector(draft.text).flagged, draft.label == "curt"
        tp += flagged and curt
        fp += flagged and not curt
        fn += curt and not flagged
        hard_false_positives += flagged and draft.hard
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(
        f"detector on {len(evaluation)} held-out drafts: precision {precision:.3f}, "
        f"recall {recall:.3f}, hard negatives flagged {hard_false_positives}"
    )
    assert precision >= 0.88
    assert recall >= 0.85
    assert hard_false_positives <= 2


def test_spans_point_at_the_phrase_with_a_reason(detector: Detector) -> None:
    draft = "Hi Maria,\n\nYour order is outside our 30-day return window. Sorry, that's our policy."
    found = detector(draft)
    assert found.flagged and found.score >= 0.9
    span = found.spans[0]
    assert draft[span.start : span.end] == span.phrase == "that's our policy"
    assert span.kind == "policy_citation" and "explaining" in span.reason


def test_similarity_catches_a_paraphrase_no_pattern_knows() -> None:
    memory = [
        LabelledDraft(
            id="c1", text="That's just how it works here.", label="curt", kind="deflection"
        ),
        LabelledDraft(id="c2", text="It is what it is.", label="curt", kind="deflection"),
        LabelledDraft(id="f1", text="Let me check that for you right away.", label="fine"),
        LabelledDraft(id="f2", text="I've emailed you a prepaid return label.", label="fine"),
    ]
    detect = policy_speak_detector(memory, k=3)
    draft = "Thanks for writing. That is simply how things work here."
    assert curt_phrases(draft) == []
    found = detect(draft)
    assert found.flagged and found.spans[0].found_by == "similarity"
    assert found.spans[0].phrase == "That is simply how things work here."


def test_an_explained_policy_with_an_alternative_is_not_flagged(detector: Detector) -> None:
    explained = (
        "That's our policy because returns after 30 days can't be resold as new, "
        "but I can offer you store credit for the full price."
    )
    assert not detector(explained).flagged
    assert curt_phrases(explained) == []
    assert detector("That's our policy.").flagged
