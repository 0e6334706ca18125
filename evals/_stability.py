"""Stability: the same transcript graded several times should get the same verdicts.

Per element, the variance of a transcript's scores across samples (averaged over
transcripts) and the flip rate, the share of transcripts whose samples did not all give the
same answer (N/A counts as an answer). A verdict whose samples disagree is *unstable*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel

from grader._results import Grade
from grader._rubric import Rubric

__all__ = ["ElementStability", "Stability", "stability"]


class ElementStability(BaseModel):
    """How much one element's verdict moves between samples."""

    element_id: str
    items: int
    variance: float | None
    flip_rate: float | None


class Stability(BaseModel):
    """Stability over `samples` gradings of each transcript."""

    samples: int
    items: int
    elements: list[ElementStability]
    overall_sd: float | None
    unstable: dict[str, list[str]]


def stability(rubric: Rubric, grades: Mapping[str, Sequence[Grade]]) -> Stability:
    """Variance, flip rate and unstable verdicts from every transcript's graded samples."""
    graded = {
        item: [g for g in samples if g.status == "graded"] for item, samples in grades.items()
    }
    repeated = {item: samples for item, samples in graded.items() if len(samples) >= 2}
    unstable: dict[str, list[str]] = {}
    elements = []
    for element in rubric.elements:
        variances, flips = [], []
        for item, samples in repeated.items():
            answers = [v.score for g in samples for v in g.verdicts if v.element_id == element.id]
            if len(answers) < 2:
                continue
            flipped = len(set(answers)) > 1
            flips.append(flipped)
            if flipped:
                unstable.setdefault(item, []).append(element.id)
            numeric = [a for a in answers if a is not None]
            if len(numeric) >= 2:
                variances.append(float(np.var(numeric)))
        elements.append(
            ElementStability(
                element_id=element.id,
                items=len(flips),
                variance=float(np.mean(variances)) if variances else None,
                flip_rate=float(np.mean(flips)) if flips else None,
            )
        )
    sds = [
        float(np.std(overalls))
        for samples in repeated.values()
        if len(overalls := [g.overall for g in samples if g.overall is not None]) >= 2
    ]
    most = max((len(s) for s in grades.values()), default=0)
    return Stability(
        samples=most,
        items=len(repeated),
        elements=elements,
        overall_sd=float(np.mean(sds)) if sds else None,
        unstable=unstable,
    )
