"""Pairwise accuracy on contrast pairs: is the better twin scored higher on its element.

Per pair the credit is 1 when the better twin's verdict on the pair's element is higher, 0 when
lower, and 1/2 for a tie. "Higher" compares the verdicts' points, the unrounded combined score
the grader sums into the dimensions (the shown level when a verdict has no finer value). A verdict that is `uncertain`, N/A or missing (an unscored grade)
counts as a tie: a grader that abstains earns chance, not a win. The same is done for every
judge from the verdicts' votes (a judge that voted on both twins is compared on its own vote
scores; one that did not vote on both is left out of that pair and its coverage drops).

An element is `uncertain` when most of its pairs had an uncertain verdict on a twin; its
accuracy is then not a gate metric (`pairwise.element.E.accuracy` is undefined with the reason)
and `pairwise.uncertain_elements` counts it, so a gate bounds how many may abstain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field

from evals._contrast import TWINS, ContrastPair, ContrastSet, spread, twin_id
from evals._gate import GateCheck
from grader._grading import GradeFn, grade_all
from grader._results import Grade, Verdict
from grader._rubric import Rubric

__all__ = [
    "ContrastReport",
    "ElementPairwise",
    "JudgePairwise",
    "PairOutcome",
    "TwinView",
    "grade_twins",
    "measure_contrast",
    "pair_credit",
    "run_contrast",
]


class TwinView(BaseModel):
    """What the grader said about one twin on the pair's element."""

    status: str = Field(description="scored, na, uncertain or unscored (no grade).")
    score: float | None = Field(
        default=None, description="The element's points as the grader sums them (unrounded)."
    )
    confidence: float | None = None
    votes: dict[str, float] = Field(default_factory=dict, description="Judge -> its vote score.")


class PairOutcome(BaseModel):
    """One pair's result: both twins' views and the credit earned."""

    pair_id: str
    element: str
    industry: str = ""
    channel: str = ""
    subtle: bool = False
    better: TwinView
    worse: TwinView
    credit: float
    judges: dict[str, float] = Field(default_factory=dict, description="Judge -> its credit.")

    @property
    def uncertain(self) -> bool:
        """Whether either twin's verdict was uncertain."""
        return "uncertain" in (self.better.status, self.worse.status)


class ElementPairwise(BaseModel):
    """Pairwise accuracy of one element, with how it was reached."""

    element_id: str
    pairs: int
    accuracy: float
    wins: int
    ties: int
    losses: int
    uncertain_pairs: int
    status: str = Field(description="'scored', or 'uncertain' when most pairs abstained.")
    judges: dict[str, float] = Field(default_factory=dict)


class JudgePairwise(BaseModel):
    """One judge over every pair it voted on both twins of."""

    judge: str
    pairs: int
    accuracy: float | None
    coverage: float
    elements: dict[str, float] = Field(default_factory=dict)


class ContrastReport(BaseModel):
    """Everything measured on one contrast set by one grader."""

    name: str
    source: str
    description: str = ""
    grader: str = Field(description="Which path graded it, e.g. 'judges' or 'single-call'.")
    pairs: int
    graded_twins: int
    accuracy: float | None
    subtle_accuracy: float | None
    uncertain_elements: list[str]
    elements: list[ElementPairwise]
    judges: list[JudgePairwise]
    outcomes: list[PairOutcome]
    single_call: ContrastReport | None = None
    metrics: dict[str, float | None] = Field(default_factory=dict)
    undefined: dict[str, str] = Field(default_factory=dict)
    gate: list[GateCheck] = Field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every gate check passed."""
        return all(c.passed for c in self.gate)


def pair_credit(better: float | None, worse: float | None) -> float:
    """1 better higher, 0 lower, 1/2 tie or either side missing."""
    if better is None or worse is None or better == worse:
        return 0.5
    return 1.0 if better > worse else 0.0


def _verdict(grade: Grade | None, element: str) -> Verdict | None:
    if grade is None or grade.status != "graded":
        return None
    return next((v for v in grade.verdicts if v.element_id == element), None)


def _view(grade: Grade | None, element: str) -> TwinView:
    verdict = _verdict(grade, element)
    if verdict is None:
        return TwinView(status="unscored" if grade is None or grade.status != "graded" else "na")
    status = str(getattr(verdict, "status", "scored" if verdict.score is not None else "na"))
    votes: dict[str, float] = {}
    for vote in getattr(verdict, "votes", None) or []:
        if vote.score is not None:
            votes[vote.judge] = float(vote.score)
    confidence: Any = getattr(verdict, "confidence", None)
    points: Any = getattr(verdict, "points", verdict.score)
    return TwinView(
        status=status,
        score=None if status != "scored" or points is None else float(points),
        confidence=None if confidence is None else float(confidence),
        votes=votes,
    )


def _outcome(pair: ContrastPair, grades: Mapping[str, Grade]) -> PairOutcome:
    better, worse = (_view(grades.get(twin_id(pair.id, w)), pair.element) for w in TWINS)
    judges = {
        j: pair_credit(better.votes[j], worse.votes[j])
        for j in better.votes.keys() & worse.votes.keys()
    }
    return PairOutcome(
        pair_id=pair.id,
        element=pair.element,
        industry=pair.industry,
        channel=pair.better.channel.value,
        subtle=pair.subtle,
        better=better,
        worse=worse,
        credit=pair_credit(better.score, worse.score),
        judges=dict(sorted(judges.items())),
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _element(element_id: str, outcomes: list[PairOutcome]) -> ElementPairwise:
    credits = [o.credit for o in outcomes]
    by_judge: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        for judge, credit in o.judges.items():
            by_judge[judge].append(credit)
    uncertain = sum(o.uncertain for o in outcomes)
    return ElementPairwise(
        element_id=element_id,
        pairs=len(outcomes),
        accuracy=sum(credits) / len(credits),
        wins=credits.count(1.0),
        ties=credits.count(0.5),
        losses=credits.count(0.0),
        uncertain_pairs=uncertain,
        status="uncertain" if 2 * uncertain > len(outcomes) else "scored",
        judges={j: sum(c) / len(c) for j, c in sorted(by_judge.items())},
    )


def _judges(outcomes: list[PairOutcome]) -> list[JudgePairwise]:
    names = sorted({j for o in outcomes for j in o.judges})
    out = []
    for judge in names:
        mine = [o for o in outcomes if judge in o.judges]
        per_element: dict[str, list[float]] = defaultdict(list)
        for o in mine:
            per_element[o.element].append(o.judges[judge])
        out.append(
            JudgePairwise(
                judge=judge,
                pairs=len(mine),
                accuracy=_mean([o.judges[judge] for o in mine]),
                coverage=len(mine) / len(outcomes),
                elements={e: sum(c) / len(c) for e, c in per_element.items()},
            )
        )
    return out


def _metrics(report: ContrastReport) -> tuple[dict[str, float | None], dict[str, str]]:
    m: dict[str, float | None] = {}
    u: dict[str, str] = {}
    twins = 2 * report.pairs
    m["pairwise.graded_fraction"] = report.graded_twins / twins if twins else None
    m["pairwise.accuracy"] = report.accuracy
    m["pairwise.subtle.accuracy"] = report.subtle_accuracy
    if report.subtle_accuracy is None:
        u["pairwise.subtle.accuracy"] = "no pair is marked subtle"
    m["pairwise.uncertain_elements"] = float(len(report.uncertain_elements))
    for e in report.elements:
        p = f"pairwise.element.{e.element_id}"
        m[f"{p}.accuracy_all"] = e.accuracy
        m[f"{p}.uncertain"] = e.uncertain_pairs / e.pairs
        if e.status == "uncertain":
            m[f"{p}.accuracy"] = None
            u[f"{p}.accuracy"] = f"uncertain on {e.uncertain_pairs} of {e.pairs} pairs"
        else:
            m[f"{p}.accuracy"] = e.accuracy
    for j in report.judges:
        m[f"pairwise.judge.{j.judge}.accuracy"] = j.accuracy
        m[f"pairwise.judge.{j.judge}.coverage"] = j.coverage
    if report.single_call is not None:
        m["pairwise.single_call.accuracy"] = report.single_call.accuracy
        for e in report.single_call.elements:
            m[f"pairwise.single_call.element.{e.element_id}.accuracy"] = e.accuracy
    return m, u


def measure_contrast(
    cset: ContrastSet,
    grades: Mapping[str, Grade],
    *,
    grader: str = "judges",
    single_call: ContrastReport | None = None,
) -> ContrastReport:
    """Pairwise accuracy of the grades of a contrast set's twins (keyed by twin id)."""
    outcomes = [_outcome(p, grades) for p in cset.pairs]
    by_element: dict[str, list[PairOutcome]] = defaultdict(list)
    for o in outcomes:
        by_element[o.element].append(o)
    elements = [_element(e, by_element[e]) for e in cset.elements]
    subtle = [o.credit for o in outcomes if o.subtle]
    report = ContrastReport(
        name=cset.name,
        source=cset.source,
        description=cset.description,
        grader=grader,
        pairs=len(outcomes),
        graded_twins=sum(
            1
            for p in cset.pairs
            for w in TWINS
            if (g := grades.get(twin_id(p.id, w))) is not None and g.status == "graded"
        ),
        accuracy=_mean([o.credit for o in outcomes]),
        subtle_accuracy=_mean(subtle),
        uncertain_elements=[e.element_id for e in elements if e.status == "uncertain"],
        elements=elements,
        judges=_judges(outcomes),
        outcomes=outcomes,
        single_call=single_call,
    )
    report.metrics, report.undefined = _metrics(report)
    return report


async def grade_twins(
    cset: ContrastSet,
    grade: GradeFn,
    *,
    rubric: Rubric,
    model: str,
    concurrency: int = 2,
    limit: int | None = None,
    on_grade: Callable[[str, Grade], None] | None = None,
) -> dict[str, Grade]:
    """Grade every twin (of the first `limit` pairs), keyed by twin id."""
    pairs = spread(cset.pairs, limit)
    transcripts = [p.twin(w) for p in pairs for w in TWINS]
    grades: dict[str, Grade] = {}
    async for result in grade_all(
        transcripts, grade, rubric=rubric, model=model, concurrency=concurrency
    ):
        grades[result.transcript_id] = result
        if on_grade is not None:
            on_grade(cset.name, result)
    return grades


async def run_contrast(
    cset: ContrastSet,
    grade: GradeFn,
    *,
    rubric: Rubric,
    model: str,
    single_call: GradeFn | None = None,
    single_call_limit: int | None = None,
    concurrency: int = 2,
    on_grade: Callable[[str, Grade], None] | None = None,
) -> ContrastReport:
    """Grade both twins of every pair and measure; optionally the single-call path beside it.

    The single-call path (one structured LLM answer for every element) is slow on the embedded
    model, so `single_call_limit` measures it on the first N pairs only.
    """
    grades = await grade_twins(
        cset, grade, rubric=rubric, model=model, concurrency=concurrency, on_grade=on_grade
    )
    baseline = None
    if single_call is not None:
        sub = cset.model_copy(update={"pairs": spread(cset.pairs, single_call_limit)})
        llm_grades = await grade_twins(
            sub, single_call, rubric=rubric, model=model, concurrency=concurrency,
            on_grade=on_grade,
        )  # fmt: skip
        baseline = measure_contrast(sub, llm_grades, grader="single-call")
    return measure_contrast(cset, grades, single_call=baseline)
