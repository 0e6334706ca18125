"""Customers' own ratings beside the grades: reading a feedback upload, and rank correlations.

CSAT is on 1..5 and NPS on 0..10 (a CSAT given on 0..1, as Zendesk's good/bad maps, is
scaled to 1..5). The rubric's dimensions and the ratings are compared by Spearman's rank
correlation only, so no mapping from a 0-100 score to a 1..5 rating is assumed.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from scipy.stats import spearmanr

from app.qa._items import QAItem
from grader._errors import InputError

__all__ = [
    "Correlation",
    "FeedbackError",
    "FeedbackReport",
    "FeedbackRow",
    "feedback_report",
    "parse_feedback",
]


class FeedbackError(InputError):
    """A feedback upload cannot be read: says which line and why."""


class FeedbackRow(BaseModel):
    """One customer's rating of one conversation."""

    transcript_id: str = Field(min_length=1, max_length=200)
    csat: float | None = Field(default=None, ge=1, le=5)
    nps: float | None = Field(default=None, ge=0, le=10)
    comment: str = Field(default="", max_length=5000)

    @field_validator("csat", "nps", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _has_rating(self) -> FeedbackRow:
        if self.csat is None and self.nps is None:
            raise ValueError("neither csat nor nps given")
        return self


def _row(data: object, where: str) -> FeedbackRow:
    try:
        return FeedbackRow.model_validate(data)
    except ValidationError as exc:
        detail = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}".removeprefix(
                "row: Value error, "
            )
            for e in exc.errors()
        )
        raise FeedbackError(f"{where}: {detail}") from None


def parse_feedback(text: str, *, fmt: str, source: str = "upload") -> list[FeedbackRow]:
    """Rows from CSV (header transcript_id,csat,nps[,comment]) or JSON Lines."""
    rows: list[FeedbackRow] = []
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "transcript_id" not in reader.fieldnames:
            raise FeedbackError(f"{source}: CSV needs a header with transcript_id and csat or nps")
        known = {"transcript_id", "csat", "nps", "comment"}
        for number, record in enumerate(reader, start=2):
            rows.append(_row({k: v for k, v in record.items() if k in known}, f"{source}:{number}"))
    elif fmt == "jsonl":
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FeedbackError(f"{source}:{number}: not valid JSON ({exc.msg})") from None
            rows.append(_row(data, f"{source}:{number}"))
    else:
        raise FeedbackError(f"{source}: unknown feedback format {fmt!r}; use csv or jsonl")
    if not rows:
        raise FeedbackError(f"{source}: no feedback rows")
    return rows


class Correlation(BaseModel):
    """Spearman's rho between one rubric measure and one customer rating."""

    measure: str
    rating: str
    rho: float | None
    p_value: float | None
    n: int


class FeedbackReport(BaseModel):
    """Grades joined with customers' ratings."""

    graded: int
    with_feedback: int
    csat_mean: float | None
    nps: float | None = Field(description="Net promoter score: % promoters - % detractors.")
    correlations: list[Correlation]


def _spearman(
    pairs: list[tuple[float, float]], measure: str, rating: str, min_n: int
) -> Correlation:
    xs, ys = [p[0] for p in pairs], [p[1] for p in pairs]
    if len(pairs) < min_n or len(set(xs)) < 2 or len(set(ys)) < 2:
        return Correlation(measure=measure, rating=rating, rho=None, p_value=None, n=len(pairs))
    result = spearmanr(xs, ys)
    return Correlation(
        measure=measure,
        rating=rating,
        rho=round(float(result.statistic), 4),
        p_value=round(float(result.pvalue), 6),
        n=len(pairs),
    )


def feedback_report(items: Iterable[QAItem], *, min_n: int = 5) -> FeedbackReport:
    """Correlate overall and each dimension with CSAT and NPS, over the rated conversations."""
    every = list(items)
    rated = [
        i
        for i in every
        if i.feedback and (i.feedback.csat is not None or i.feedback.nps is not None)
    ]
    measures = sorted({k for i in rated for k in i.dimensions})
    correlations = []
    for rating in ("csat", "nps"):
        for measure in ["overall", *measures]:
            pairs = []
            for item in rated:
                value = getattr(item.feedback, rating)
                score = item.grade.overall if measure == "overall" else item.dimensions.get(measure)
                if value is not None and score is not None:
                    pairs.append((score, float(value)))
            if pairs:
                correlations.append(_spearman(pairs, measure, rating, min_n))
    csats = [i.feedback.csat for i in rated if i.feedback and i.feedback.csat is not None]
    npss = [i.feedback.nps for i in rated if i.feedback and i.feedback.nps is not None]
    nps = (
        round(100 * (sum(v >= 9 for v in npss) - sum(v <= 6 for v in npss)) / len(npss), 2)
        if npss
        else None
    )
    return FeedbackReport(
        graded=len(every),
        with_feedback=len(rated),
        csat_mean=round(sum(csats) / len(csats), 3) if csats else None,
        nps=nps,
        correlations=correlations,
    )
