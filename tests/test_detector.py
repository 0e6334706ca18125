"""The policy-speak detector: measured on a held-out labelled set, with spans and reasons."""

from __future__ import annotations

import pytest

from grader import find_policy_speak, split_sentences
from grader._policy_speak import is_explained, reassures, reply_cues
from retrieval import (
    Detector,
    LabelledDraft,
    curt_phrases,
    default_detector,
    load_labelled_drafts,
    policy_speak_detector,
    sentence_spans,
)


@pytest.fixture(scope="module")
def detector() -> Detector:
    return default_detector()


def test_the_sets_are_large_labelled_and_disjoint() -> None:
    memory = load_labelled_drafts()
    evaluation = load_labelled_drafts("detector_eval.jsonl")
    assert len(evaluation) >= 250
    assert sum(d.label == "curt" for d in evaluation) >= 120
    assert sum(d.hard for d in evaluation) >= 50  # fine drafts that mention a policy and explain it
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
    assert precision >= 0.95
    assert recall >= 0.95
    assert hard_false_positives <= 1


def test_spans_point_at_the_phrase_with_a_reason(detector: Detector) -> None:
    draft = "Hi Maria,\n\nYour order is outside our 30-day return window. Sorry, that's our policy."
    found = detector(draft)
    assert found.flagged and found.score >= 0.9
    span = next(s for s in found.spans if s.kind == "policy_citation")
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


@pytest.mark.parametrize(
    "draft",
    [
        "You'll need to take that up with the courier.",  # deflection
        "Reach out to your card issuer about it.",
        "Our guidelines don't permit a second replacement.",  # appeal to guidelines / terms
        "It's all in the terms and conditions.",
        "We aren't liable once the driver has left it.",  # denial of responsibility
        "That's the warehouse's fault, not ours.",
        "There really isn't anything we can do now.",  # nothing I can do
        "You should have cancelled before the renewal date.",  # blaming the customer
        "If you'd read the listing, you'd know it was used.",
        "Upgrades aren't offered on this fare.",  # a bare no
        "Honestly, that isn't up to me.",  # disclaiming the decision
        "I've told you several times already.",  # repeating oneself
        "Had you registered the product, it would be covered.",  # the counterfactual
        "That one is a question for your landlord.",
        "Those are the conditions, sorry.",
        "Deadlines are deadlines.",  # a tautology
        "Our stance remains unchanged.",
        "There's nothing we can reimburse here.",
        "We do not refund shipping.",  # 'we don't <verb>'
        "The trial period has already ended.",
    ],
)
def test_curt_replies_that_never_say_policy_are_caught(detector: Detector, draft: str) -> None:
    assert "policy" not in draft.lower()
    assert detector(draft).flagged, draft
    assert any(not h.explained for h in find_policy_speak(draft)), draft  # the core sees it too


@pytest.mark.parametrize(
    "draft",
    [
        "Our guidelines don't permit a second replacement, because each one is checked by hand, "
        "but I can send the part you need so you can fix it in minutes.",
        "We aren't liable once the driver has left it, but I've opened a claim with the courier "
        "and I'll refund you if they can't find it by Friday.",
        "Upgrades aren't offered on this fare since it's priced for a fixed seat; you can switch "
        "to a flexible fare and then choose any seat.",
        "It's our policy to wait 30 days because carriers need that time to trace a parcel.",
    ],
)
def test_a_rule_mentioned_and_explained_is_not_flagged(detector: Detector, draft: str) -> None:
    assert not detector(draft).flagged, detector(draft).spans
    assert all(h.explained for h in find_policy_speak(draft))


@pytest.mark.parametrize(
    "draft",
    [
        "There's no charge to swap sizes.",
        "You won't be billed until the trial ends.",
        "Nothing else is required on your side.",
        "No, you don't have to print anything.",
        "Your points haven't been lost; they move with you to the new plan.",
        "There aren't any limits on how often you can change the date.",
        "It's no trouble, and your seat is now 12A.",
    ],
)
def test_good_news_said_with_a_negation_is_not_flagged(detector: Detector, draft: str) -> None:
    assert not detector(draft).flagged, detector(draft).spans
    assert curt_phrases(draft) == [], draft
    assert all(reassures(s) for s in split_sentences(draft) if "n't" in s or "no" in s.lower())


def test_the_blind_batches_are_held_back() -> None:
    """Drafts written blind (never tuned on before measuring) count in the eval, not the memory."""
    evaluation = {d.id for d in load_labelled_drafts("detector_eval.jsonl")}
    memory = {d.id for d in load_labelled_drafts()}
    blind = {i for i in evaluation if i.startswith(("bl1-", "bl2-", "bl3-", "bl4-"))}
    assert len(blind) >= 200 and not blind & memory


def test_one_explained_rule_for_grader_and_coach(detector: Detector) -> None:
    """A reason answers a citation, not a closed door; a way forward answers both."""
    reason_only = "Refunds stop at 30 days so we can resell returns as new. Nothing more I can do."
    cues = reply_cues(reason_only)
    assert cues.reason and not cues.way_forward
    assert is_explained("policy_citation", cues) and not is_explained("nothing_to_do", cues)
    kinds = {h.kind: h.explained for h in find_policy_speak(reason_only)}
    assert kinds.get("nothing_to_do") is False
    assert detector(reason_only).flagged
    assert [s.kind for s in detector(reason_only).spans] == ["nothing_to_do"]


def test_sentences_are_cut_by_the_core_splitter() -> None:
    text = "Hi Jo.  Your refund of $42.10 is on its way!\nAnything else? Thanks."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == split_sentences(text)
