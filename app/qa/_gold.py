"""Gold labels: accepted reviews as a calibration set, and reviewer-vs-grader agreement.

A label is what a person said about one element of one conversation, accepted by a lead.
Exported, the labels are `evals/` calibration records (one line per conversation, one rater
per reviewer), which `grader eval` and `grader calibrate` read back. Only what a person
said is exported: an override of one element labels that element alone.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from app.qa._items import Period, period_start
from grader._transcript import Transcript

__all__ = [
    "OUTCOME_SCALES",
    "AgreementPoint",
    "GoldLabel",
    "agreement_over_time",
    "gold_records",
    "rater_name",
]

_RATER = re.compile(r"[^A-Za-z0-9_.-]+")


def rater_name(reviewer: str) -> str:
    """A reviewer's name as a calibration-set rater name (letters, digits, _ . -)."""
    cleaned = _RATER.sub("-", reviewer.strip()).strip("-_.")[:64]
    return cleaned or "reviewer"


@dataclass(frozen=True)
class GoldLabel:
    """One accepted human score (None: N/A) of one element, and the grader's own score."""

    transcript_id: str
    element_id: str
    reviewer: str
    score: int | None
    grader_score: int | None
    decided_at: datetime
    reason: str = ""


#: The customer's own ratings, exported as outcomes on their scales.
OUTCOME_SCALES = {"csat": (1.0, 5.0), "nps": (0.0, 10.0)}


def gold_records(
    labels: Iterable[GoldLabel],
    transcripts: dict[str, Transcript],
    *,
    source: str = "qa",
    outcomes: dict[str, dict[str, float]] | None = None,
) -> list[str]:
    """Calibration-set JSONL lines, one per conversation that has a transcript; later wins.

    `outcomes` (transcript id -> csat/nps) adds the customer's rating as an outcome.
    """
    by_conversation: dict[str, dict[str, dict[str, int | None]]] = defaultdict(dict)
    reasons: dict[str, list[str]] = defaultdict(list)
    for label in sorted(labels, key=lambda g: g.decided_at):
        raters = by_conversation[label.transcript_id]
        raters.setdefault(rater_name(label.reviewer), {})[label.element_id] = label.score
        if label.reason:
            reasons[label.transcript_id].append(f"{label.element_id}: {label.reason}")
    lines = []
    for transcript_id, raters in sorted(by_conversation.items()):
        transcript = transcripts.get(transcript_id)
        if transcript is None:
            continue
        record: dict[str, object] = {
            "transcript": transcript.model_dump(mode="json", exclude_defaults=True),
            "labels": {
                rater: {e: "na" if s is None else s for e, s in sorted(scores.items())}
                for rater, scores in raters.items()
            },
            "note": f"{source}: " + "; ".join(reasons[transcript_id])[:2000],
        }
        rated = (outcomes or {}).get(transcript_id, {})
        if rated:
            record["outcomes"] = {name: [value] for name, value in sorted(rated.items())}
            record["outcome_scales"] = {name: list(OUTCOME_SCALES[name]) for name in sorted(rated)}
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


class AgreementPoint(BaseModel):
    """How often reviewers agreed with the grader on one element in one period."""

    period: datetime
    element_id: str
    n: int
    exact: float
    within_one: float
    mean_difference: float | None


def agreement_over_time(
    labels: Iterable[GoldLabel], *, period: Period = "week"
) -> list[AgreementPoint]:
    """Per element and period: exact agreement, within one level, and grader minus human."""
    cells: dict[tuple[datetime, str], list[tuple[int | None, int | None]]] = defaultdict(list)
    for label in labels:
        cells[(period_start(label.decided_at, period), label.element_id)].append(
            (label.score, label.grader_score)
        )
    out = []
    for (start, element), pairs in sorted(cells.items()):
        both = [(h, g) for h, g in pairs if h is not None and g is not None]
        exact = sum(h == g for h, g in pairs) / len(pairs)
        near = sum(
            (h is not None and g is not None and abs(h - g) <= 1) or h == g for h, g in pairs
        )
        out.append(
            AgreementPoint(
                period=start,
                element_id=element,
                n=len(pairs),
                exact=round(exact, 4),
                within_one=round(near / len(pairs), 4),
                mean_difference=round(sum(g - h for h, g in both) / len(both), 4) if both else None,
            )
        )
    return out
