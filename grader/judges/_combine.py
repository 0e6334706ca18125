"""The one rule that turns an element's votes into its verdict.

* Deference: a vote marked `defers_to_learned` (a detector's general cue count, e.g. thanks
  and greetings for courtesy) is left out when a learned scorer voted on the element: a
  scorer fitted on people's ratings measures that better (courtesy on the politeness corpus:
  learned vote 0.50, cue detector 0.22, their mean 0.48). A detector vote with a
  service-specific finding (an apology was due, given or missing; a bare policy phrase;
  rude wording) never defers: a corpus of requests has not seen those. A finding such a
  corpus has no examples of at all (an apology owed or given, a bare policy phrase:
  `overrides_corpus`) also leaves out a learned vote fitted on a research corpus
  (`from_corpus`). With the politeness scorer fitted, courtesy on the 42 contrast pairs
  went from 0.80 to 0.88, and the courtesy value's Spearman on the politeness corpus
  (0.502) moved by less than 0.002; rude or curt wording as the trigger cost it 0.005.
* Outvoted exemplars: a similarity vote (a sentence near a rubric exemplar) that differs from
  the detectors' and signals' mean by more than half the scale is left out: a specific
  finding beats resemblance to a handful of example sentences. Kept, the disagreement made
  the verdict uncertain; on 408 outsider contrast pairs the similarity vote was the wrong
  one in 4 of the 5 such verdicts.
* N/A: if the element may be N/A and the N/A votes carry more confidence than the scoring
  votes, the verdict is `na`.
* Score: the confidence-weighted mean of the scoring votes (`value`), rounded for `score`.
* Agreement: 1 - (confidence-weighted mean absolute deviation from that mean) / (half the
  scale), clipped to 0..1; one vote agrees with itself (1.0).
* Confidence: the confidence-weighted mean of the votes' confidences, times
  (0.5 + 0.5 * agreement): judges that disagree make a less confident verdict.
* Below the rubric's `judging.confidence_floor`, or with no vote at all, the verdict is
  `uncertain`: no score, left out of the sums, and it says why.
* Evidence: the sentence ids cited by the votes, strongest vote first, at most three,
  restricted to the roles the element may quote; findings first, then the sentences a
  vote examined without finding anything (`Evidence.examined`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from grader._results import Evidence, JudgeVote, Verdict
from grader._rubric import Element, JudgingPolicy
from grader._segments import Segment
from grader._transcript import Transcript

__all__ = ["MAX_EVIDENCE", "combine_votes"]

MAX_EVIDENCE = 3


def _weighted(pairs: Sequence[tuple[float, float]]) -> float:
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total > 0 else 0.0


def _without_outvoted_exemplars(votes: Sequence[JudgeVote], top: int) -> list[JudgeVote]:
    """The votes, less similarity votes far from what the detectors and signals found."""
    found = [v for v in votes if v.kind in ("detector", "signals") and v.score is not None]
    if not found:
        return list(votes)
    mean = _weighted([(v.score or 0.0, v.confidence) for v in found])
    return [
        v
        for v in votes
        if not (v.kind == "similarity" and v.score is not None and abs(v.score - mean) > top / 2)
    ]


def _evidence(
    element: Element,
    votes: Sequence[JudgeVote],
    segments: dict[str, Segment],
    transcript: Transcript,
) -> list[Evidence]:
    ids: list[str] = []
    ranked = sorted(votes, key=lambda v: -v.confidence)
    for sid in [*(i for v in ranked for i in v.evidence), *(i for v in ranked for i in v.examined)]:
        seg = segments.get(sid)
        if seg is not None and seg.role in element.evidence_from and sid not in ids:
            ids.append(sid)
    found = {sid for v in votes for sid in v.evidence}
    return [
        Evidence.model_validate(
            {
                "sentence_id": sid,
                "turn_index": segments[sid].turn_index,
                "role": segments[sid].role,
                "quote": segments[sid].text,
                "examined": sid not in found,
            },
            context={"transcript": transcript},
        )
        for sid in ids[:MAX_EVIDENCE]
    ]


def combine_votes(
    element: Element,
    dimension_id: str,
    votes: Sequence[JudgeVote],
    *,
    weight: float,
    policy: JudgingPolicy,
    segments: dict[str, Segment],
    transcript: Transcript,
) -> Verdict:
    """The verdict on `element` from the votes its listed judges gave."""
    base = {
        "element_id": element.id,
        "dimension_id": dimension_id,
        "max_score": element.max_level,
        "weight": weight,
        "votes": list(votes),
    }
    if not votes:
        return Verdict(
            status="uncertain",
            score=None,
            confidence=0.0,
            rationale="uncertain: no judge able to score this element ran "
            f"(it accepts: {', '.join(element.judges)})",
            evidence=[],
            **base,
        )
    if any(v.kind == "learned" and v.score is not None for v in votes):
        votes = [v for v in votes if not v.defers_to_learned]
    if any(v.overrides_corpus for v in votes):
        votes = [v for v in votes if not v.from_corpus]
    votes = _without_outvoted_exemplars(votes, element.max_level)
    scoring = [v for v in votes if v.score is not None]
    na_votes = [v for v in votes if v.score is None]
    if element.na_when and sum(v.confidence for v in na_votes) > sum(v.confidence for v in scoring):
        best = max(na_votes, key=lambda v: v.confidence)
        return Verdict(
            status="na",
            score=None,
            confidence=round(_weighted([(v.confidence, v.confidence) for v in na_votes]), 3),
            rationale=f"n/a: {best.rationale}",
            evidence=_evidence(element, na_votes, segments, transcript),
            **base,
        )
    if not scoring:  # only N/A votes on an element that always applies
        return Verdict(
            status="uncertain",
            score=None,
            confidence=0.0,
            rationale="uncertain: judges found it not applicable, but this element always applies",
            evidence=[],
            **base,
        )
    top = float(element.max_level)
    value = min(top, max(0.0, _weighted([(v.score or 0.0, v.confidence) for v in scoring])))
    spread = _weighted([(abs((v.score or 0.0) - value), v.confidence) for v in scoring])
    agreement = max(0.0, min(1.0, 1 - spread / (top / 2)))
    mean_confidence = _weighted([(v.confidence, v.confidence) for v in scoring])
    confidence = round(mean_confidence * (0.5 + 0.5 * agreement), 3)
    strongest = max(scoring, key=lambda v: v.confidence)
    why = strongest.rationale or strongest.judge
    if len(scoring) > 1:
        why = f"{why} ({len(scoring)} judges, agreement {agreement:.2f})"
    if confidence < policy.confidence_floor:
        return Verdict(
            status="uncertain",
            score=None,
            confidence=confidence,
            agreement=round(agreement, 3),
            value=None,
            rationale=f"uncertain (confidence {confidence:.2f} < "
            f"{policy.confidence_floor:.2f}): {why}",
            evidence=_evidence(element, scoring, segments, transcript),
            **base,
        )
    return Verdict(
        status="scored",
        score=math.floor(value + 0.5),  # half up, not to even
        value=round(value, 3),
        confidence=confidence,
        agreement=round(agreement, 3),
        rationale=why,
        evidence=_evidence(element, scoring, segments, transcript),
        **base,
    )
