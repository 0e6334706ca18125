"""The rubric as data: dimensions, elements with anchored levels, scenario weight profiles.

A rubric is YAML validated by these models; its version is the hash of its content, so a
grade names exactly the rubric it was made with.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from grader._errors import RubricError
from grader._transcript import Channel, Role

__all__ = [
    "JUDGE_KINDS",
    "Dimension",
    "Element",
    "JudgingPolicy",
    "ResponseTimes",
    "Rubric",
    "Scenario",
    "ScenarioSpace",
    "WeightProfile",
    "default_rubric",
    "load_rubric",
    "rubric_problems",
]

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")]
#: The kinds of judge an element may name in `judges`; a vote's `judge` is one of these,
#: optionally followed by ":detail" (e.g. "detector:framing", "learned:courtesy").
JUDGE_KINDS = ("signals", "detector", "similarity", "learned", "llm")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
#: Elements of a well-built rubric, per the design card; outside this range `check` warns.
RECOMMENDED_ELEMENTS = (8, 20)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _seconds(value: Any) -> Any:
    """'90s', '2m', '4h', '1.5d' or a number of seconds."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"not a duration: {value!r} (use e.g. 90s, 2m, 4h, 1d)")
        return float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"]
    return value


class ResponseTimes(_Strict):
    """How long a reply may take on one channel: prompt, and slow (beyond it: very slow)."""

    prompt: Annotated[float, Field(gt=0, description="Seconds; a reply within it is prompt.")]
    slow: Annotated[float, Field(gt=0, description="Seconds; a reply beyond it is slow.")]

    @field_validator("prompt", "slow", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return _seconds(value)

    @model_validator(mode="after")
    def _ordered(self) -> ResponseTimes:
        if self.slow < self.prompt:
            raise ValueError(f"slow ({self.slow:g}s) is shorter than prompt ({self.prompt:g}s)")
        return self


class JudgingPolicy(_Strict):
    """How votes become verdicts (docs/rubric-format.md, "Judges")."""

    confidence_floor: Annotated[float, Field(ge=0, le=1)] = Field(
        0.35, description="A combined confidence below it leaves the element uncertain."
    )
    critical_confidence: Annotated[float, Field(ge=0, le=1)] = Field(
        0.7, description="A critical 0 fails the conversation only at this confidence or more."
    )
    llm_confidence: Annotated[float, Field(ge=0, le=1)] = Field(
        0.75, description="The confidence given to a hosted model's verdict (one vote)."
    )
    match_similarity: Annotated[float, Field(ge=0, le=1)] = Field(
        0.5, description="Cosine similarity at which a sentence matches a level's exemplar."
    )


class Element(_Strict):
    """One observable behaviour with an anchored scale and a rule for applying it."""

    id: Identifier
    name: str
    description: str
    how_to_apply: str = Field(description="The specific rule a grader follows.")
    levels: dict[int, str] = Field(description="Anchor text for each score, 0 = worst.")
    na_when: str | None = Field(
        default=None, description="When it does not apply; None: always applies."
    )
    critical: bool = Field(default=False, description="Scoring 0 fails the whole conversation.")
    weight: Annotated[float, Field(gt=0)] = 1.0
    evidence_from: list[Role] = Field(
        default_factory=lambda: [Role.AGENT, Role.BOT, Role.SUPERVISOR],
        description="Whose turns a verdict may quote.",
    )
    judges: list[str] = Field(
        default_factory=lambda: list(JUDGE_KINDS),
        description="Which kinds of judge may score it (default: any that can).",
    )
    thresholds: dict[Channel, ResponseTimes] = Field(
        default_factory=dict, description="Reply times per channel, for the signals judge."
    )
    exemplars: dict[int, list[str]] = Field(
        default_factory=dict,
        description="Level -> sentences an agent at that level says, for the similarity judge.",
    )

    @model_validator(mode="after")
    def _levels_are_contiguous(self) -> Element:
        keys = sorted(self.levels)
        if len(keys) < 2 or keys != list(range(len(keys))):
            raise ValueError(f"levels must be numbered 0..N without gaps (N >= 1), got {keys}")
        if not self.evidence_from:
            raise ValueError("evidence_from must name at least one role")
        unknown = [j for j in self.judges if j not in JUDGE_KINDS]
        if unknown or not self.judges:
            raise ValueError(
                f"element '{self.id}': unknown judge(s) {unknown or '(none listed)'}; "
                f"the judges are {', '.join(JUDGE_KINDS)}"
            )
        stray = sorted(k for k in self.exemplars if k not in self.levels)
        if stray:
            raise ValueError(f"element '{self.id}': exemplars for levels it lacks: {stray}")
        return self

    @property
    def max_level(self) -> int:
        """The best score."""
        return max(self.levels)


class Dimension(_Strict):
    """One of the four questions a conversation answers (Timing, Information, …)."""

    id: Identifier
    name: str
    question: str
    elements: Annotated[list[Element], Field(min_length=1)]


class ScenarioSpace(_Strict):
    """The values each scenario axis may take, each with a description for the classifier."""

    inquiry_types: dict[Identifier, str]
    customer_states: dict[Identifier, str]
    objectives: dict[Identifier, str]

    @model_validator(mode="after")
    def _non_empty(self) -> ScenarioSpace:
        for axis in ("inquiry_types", "customer_states", "objectives"):
            if not getattr(self, axis):
                raise ValueError(f"{axis} needs at least one value")
        return self


class Scenario(_Strict):
    """Touchpoint × inquiry type × customer state of mind × objective."""

    touchpoint: Channel
    inquiry_type: str
    customer_state: str
    objective: str


class WeightProfile(_Strict):
    """Dimension weights (and element multipliers) for the scenarios it matches."""

    id: Identifier
    description: str = ""
    when: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Axis -> accepted values; an empty mapping matches every scenario.",
    )
    dimensions: dict[str, Annotated[float, Field(ge=0)]]
    elements: dict[str, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)

    def matches(self, scenario: Scenario) -> bool:
        """Whether every axis this profile constrains accepts the scenario's value."""
        values = scenario.model_dump(mode="json")
        return all(values.get(axis) in accepted for axis, accepted in self.when.items())


class Rubric(_Strict):
    """A whole rubric; build it with `load_rubric` or `Rubric.model_validate`."""

    id: Identifier
    name: str
    revision: str = "1"
    description: str = ""
    dimensions: Annotated[list[Dimension], Field(min_length=1)]
    scenarios: ScenarioSpace
    weight_profiles: Annotated[list[WeightProfile], Field(min_length=1)]
    judging: JudgingPolicy = Field(default_factory=JudgingPolicy)

    @model_validator(mode="after")
    def _references_resolve(self) -> Rubric:
        problems: list[str] = []
        dim_ids = [d.id for d in self.dimensions]
        el_ids = [e.id for d in self.dimensions for e in d.elements]
        for kind, ids in (("dimension", dim_ids), ("element", el_ids)):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                problems.append(f"duplicate {kind} ids: {', '.join(dupes)}")
        axes: dict[str, set[str]] = {
            "touchpoint": {c.value for c in Channel},
            "inquiry_type": set(self.scenarios.inquiry_types),
            "customer_state": set(self.scenarios.customer_states),
            "objective": set(self.scenarios.objectives),
        }
        for profile in self.weight_profiles:
            where = f"weight_profiles[{profile.id}]"
            for dim in profile.dimensions:
                if dim not in dim_ids:
                    problems.append(f"{where}.dimensions: unknown dimension '{dim}'")
            if not any(w > 0 for w in profile.dimensions.values()):
                problems.append(f"{where}.dimensions: every weight is 0")
            for el in profile.elements:
                if el not in el_ids:
                    problems.append(f"{where}.elements: unknown element '{el}'")
            for axis, accepted in profile.when.items():
                if axis not in axes:
                    problems.append(f"{where}.when: unknown scenario axis '{axis}'")
                    continue
                for value in accepted:
                    if value not in axes[axis]:
                        problems.append(f"{where}.when.{axis}: unknown value '{value}'")
        if not any(not p.when for p in self.weight_profiles):
            problems.append("weight_profiles: needs a default profile with an empty 'when'")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @cached_property
    def version(self) -> str:
        """Content hash: two rubrics with the same content have the same version."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def elements(self) -> list[Element]:
        """Every element, in rubric order."""
        return [e for d in self.dimensions for e in d.elements]

    def dimension_of(self, element_id: str) -> Dimension:
        """The dimension an element belongs to; an unknown element is a `RubricError` naming it."""
        for d in self.dimensions:
            if any(e.id == element_id for e in d.elements):
                return d
        known = ", ".join(sorted(e.id for e in self.elements))
        raise RubricError(f"rubric '{self.id}' has no element '{element_id}'; known: {known}")

    def matching_profiles(self, scenario: Scenario) -> list[WeightProfile]:
        """Every profile matching `scenario`, most specific first (most axes; then listed order)."""
        matching = [p for p in self.weight_profiles if p.matches(scenario)]
        return sorted(matching, key=lambda p: -len(p.when))  # stable: listed order on ties

    def profile_for(self, scenario: Scenario) -> WeightProfile:
        """The weights for `scenario`: every matching profile merged, most specific first.

        Dimension weights come from the most specific profile (most axes in `when`; the
        first listed on a tie). Each element multiplier comes from the most specific profile
        that names the element, so an angry customer asking for a refund gets the upset
        profile's weights and still the refund profile's framing multiplier. The merged
        profile's id joins the ids of the profiles that contributed (`a+b`).
        """
        ordered = self.matching_profiles(scenario)  # the default always matches
        winner = ordered[0]
        elements: dict[str, float] = {}
        contributors = [winner.id]
        for profile in ordered:
            new = {k: m for k, m in profile.elements.items() if k not in elements}
            if new and profile.id not in contributors:
                contributors.append(profile.id)
            elements.update(new)
        if len(contributors) == 1:
            return winner
        when: dict[str, list[str]] = {}
        for profile in reversed(ordered):
            when.update(profile.when)
        return winner.model_copy(
            update={"id": "+".join(contributors), "elements": elements, "when": when}
        )

    def focused(self, element_ids: list[str]) -> Rubric:
        """A copy cut down to some elements, for a set whose people labelled only those.

        Grading the elements nobody labelled costs output tokens and buys nothing; the cut
        rubric keeps its id and gets its own content version. Weight profiles keep the
        remaining dimensions; one left with no weight falls back to equal weights.
        """
        known = {e.id for e in self.elements}
        unknown = [e for e in element_ids if e not in known]
        if unknown or not element_ids:
            raise RubricError(
                f"cannot focus rubric '{self.id}' on {element_ids or 'no elements'}: "
                f"unknown element(s) {unknown}; known: {', '.join(sorted(known))}"
            )
        wanted = set(element_ids)
        dimensions = [
            d.model_copy(update={"elements": [e for e in d.elements if e.id in wanted]})
            for d in self.dimensions
            if any(e.id in wanted for e in d.elements)
        ]
        kept = {d.id for d in dimensions}
        profiles = []
        for p in self.weight_profiles:
            weights = {k: w for k, w in p.dimensions.items() if k in kept}
            if not any(w > 0 for w in weights.values()):
                weights = dict.fromkeys(kept, 1.0)
            multipliers = {k: m for k, m in p.elements.items() if k in wanted}
            profiles.append(p.model_copy(update={"dimensions": weights, "elements": multipliers}))
        data = self.model_dump(mode="json")
        data.update(
            name=f"{self.name} (focus: {', '.join(element_ids)})",
            dimensions=[d.model_dump(mode="json") for d in dimensions],
            weight_profiles=[p.model_dump(mode="json") for p in profiles],
        )
        return Rubric.model_validate(data)

    def warnings(self) -> list[str]:
        """Advice that does not make the rubric invalid."""
        low, high = RECOMMENDED_ELEMENTS
        n = len(self.elements)
        out = []
        if not low <= n <= high:
            out.append(f"{n} elements; a rubric usually has {low}-{high}")
        for d in self.dimensions:
            if all(e.na_when for e in d.elements):
                out.append(f"dimension '{d.id}': every element can be N/A, so it may go unscored")
        return out


def _format_loc(loc: tuple[int | str, ...], data: Any) -> str:
    """Render a pydantic location with element/dimension ids instead of bare indexes."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and 0 <= key < len(node):
            item = node[key]
            label = item.get("id") if isinstance(item, dict) else None
            parts.append(f"[{label or key}]")
            node = item
        else:
            parts.append(f".{key}" if parts else str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return "".join(parts) or "(top level)"


def rubric_problems(data: Any) -> list[str]:
    """Every reason `data` is not a valid rubric, as 'path: reason' lines (empty if valid)."""
    try:
        Rubric.model_validate(data)
    except ValidationError as exc:
        return [f"{_format_loc(err['loc'], data)}: {err['msg']}" for err in exc.errors()]
    return []


def load_rubric(path: str | Path) -> Rubric:
    """Read and validate a rubric YAML file, raising `RubricError` naming every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricError(f"{path}: cannot read rubric ({exc.strerror})") from exc
    return _parse_rubric(text, str(path))


def _parse_rubric(text: str, source: str) -> Rubric:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RubricError(f"{source}:{where} not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise RubricError(f"{source}: a rubric is a mapping at the top level")
    problems = rubric_problems(data)
    if problems:
        raise RubricError(f"{source}: invalid rubric", problems)
    return Rubric.model_validate(data)


def default_rubric() -> Rubric:
    """The rubric shipped with the package."""
    text = resources.files("grader").joinpath("rubrics/default.yaml").read_text(encoding="utf-8")
    return _parse_rubric(text, "grader/rubrics/default.yaml")
