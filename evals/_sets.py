"""Calibration sets: transcripts with human labels, read from JSONL and checked against a rubric.

One record a line (see `evals/FORMAT.md`):

    {"transcript": {...a Transcript...},
     "labels": {"rater_a": {"courtesy": 3, "recovery": "na"}, "rater_b": {...}},
     "outcomes": {"customer_satisfaction": [1, 2, 0]},
     "outcome_scales": {"customer_satisfaction": [-2, 2]}}

`labels` are per-element scores by named raters ("na" or null where the element did not
apply); `outcomes` are ratings of the whole conversation, one value per rater, raters in
the same order on every record. Either kind, or both. A label the rubric does not know, a
score off the element's scale, or "na" on an element that is never N/A is an error naming
the file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from grader._errors import InputError
from grader._rubric import Rubric
from grader._transcript import Transcript

__all__ = [
    "NA_LABEL",
    "CalibrationItem",
    "CalibrationSet",
    "CalibrationSetError",
    "load_set",
    "parse_items",
]

#: How a rater writes "this element did not apply" (JSON null is accepted too).
NA_LABEL = "na"

Name = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


class CalibrationSetError(InputError):
    """A calibration set cannot be used: says which file and line, and why."""


class CalibrationItem(BaseModel):
    """One transcript with what people said about it."""

    model_config = ConfigDict(extra="forbid")

    transcript: Transcript
    labels: dict[Name, dict[str, int | None]] = Field(
        default_factory=dict, description="Rater -> element id -> score (None: N/A)."
    )
    outcomes: dict[Name, list[float]] = Field(
        default_factory=dict,
        description="Outcome -> one rating per rater, same rater order on every item.",
    )
    outcome_scales: dict[Name, tuple[float, float]] = Field(default_factory=dict)
    outcome_raters: dict[Name, list[str]] = Field(
        default_factory=dict,
        description="Outcome -> who gave each rating, when raters differ from item to item.",
    )
    note: str = ""

    @model_validator(mode="before")
    @classmethod
    def _na_to_none(cls, data: Any) -> Any:
        """Accept the string "na" for N/A, as the grader's own answers spell it."""
        if isinstance(data, dict) and isinstance(data.get("labels"), dict):
            data = dict(data)
            data["labels"] = {
                rater: {el: None if s == NA_LABEL else s for el, s in scores.items()}
                if isinstance(scores, dict)
                else scores
                for rater, scores in data["labels"].items()
            }
        return data

    @model_validator(mode="after")
    def _labels_fit_rubric(self, info: ValidationInfo) -> CalibrationItem:
        """With a rubric in the context, every label must be one of its elements, on its scale."""
        if not self.labels and not self.outcomes:
            raise ValueError("no labels and no outcomes: nothing to compare the grader with")
        for name, values in self.outcomes.items():
            if not values:
                raise ValueError(f"outcome '{name}' has no ratings")
        for name, raters in self.outcome_raters.items():
            given = self.outcomes.get(name)
            if given is None or len(given) != len(raters):
                raise ValueError(
                    f"outcome_raters '{name}' names {len(raters)} raters for "
                    f"{'no' if given is None else len(given)} ratings of that outcome"
                )
        rubric = (info.context or {}).get("rubric")
        if not isinstance(rubric, Rubric):
            return self
        elements = {e.id: e for e in rubric.elements}
        for rater, scores in self.labels.items():
            for element_id, score in scores.items():
                element = elements.get(element_id)
                if element is None:
                    raise ValueError(
                        f"rater '{rater}' labels element '{element_id}', which rubric "
                        f"'{rubric.id}' does not have (known: {', '.join(elements)})"
                    )
                if score is None and not element.na_when:
                    raise ValueError(
                        f"rater '{rater}': element '{element_id}' is never N/A in this rubric"
                    )
                if score is not None and not 0 <= score <= element.max_level:
                    raise ValueError(
                        f"rater '{rater}': {element_id}={score} is off the "
                        f"element's scale 0..{element.max_level}"
                    )
        return self

    @property
    def id(self) -> str:
        """The transcript's id."""
        return self.transcript.id

    @property
    def raters(self) -> list[str]:
        """Raters who labelled elements, in order of appearance."""
        return list(self.labels)

    def element_labels(self, element_id: str) -> dict[str, int | None]:
        """Rater -> score for one element, for the raters who labelled it."""
        return {r: s[element_id] for r, s in self.labels.items() if element_id in s}


class CalibrationSet(BaseModel):
    """A named list of calibration items, and options the metrics need."""

    name: str
    source: str = ""
    items: list[CalibrationItem]
    focus_elements: list[str] = Field(
        default_factory=list,
        description="Elements whose raw scores are also correlated with the outcome ratings.",
    )
    description: str = ""

    @property
    def raters(self) -> list[str]:
        """Every rater who labelled elements, in order of first appearance."""
        return list(dict.fromkeys(r for item in self.items for r in item.labels))

    @property
    def outcome_names(self) -> list[str]:
        """Every outcome rated on some item, in order of first appearance."""
        return list(dict.fromkeys(o for item in self.items for o in item.outcomes))

    def outcome_scale(self, name: str) -> tuple[float, float]:
        """The declared scale of an outcome, or the range of its values."""
        for item in self.items:
            if name in item.outcome_scales:
                return item.outcome_scales[name]
        values = [v for item in self.items for v in item.outcomes.get(name, [])]
        return (min(values), max(values))

    @property
    def has_element_labels(self) -> bool:
        """Whether any item carries per-element labels."""
        return any(item.labels for item in self.items)


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def parse_items(lines: Iterable[str], rubric: Rubric, *, source: str) -> list[CalibrationItem]:
    """Validate JSONL records against `rubric`; the first bad one raises, naming file:line."""
    items: list[CalibrationItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CalibrationSetError(f"{where}: not valid JSON ({exc.msg})") from exc
        try:
            item = CalibrationItem.model_validate(data, context={"rubric": rubric})
        except ValidationError as exc:
            raise CalibrationSetError(f"{where}: {_error_text(exc)}") from exc
        if item.id in seen:
            raise CalibrationSetError(
                f"{where}: transcript id '{item.id}' already used on line {seen[item.id]}"
            )
        seen[item.id] = number
        items.append(item)
    if not items:
        raise CalibrationSetError(f"{source}: no records")
    return items


def _set_file(path: Path) -> Path:
    if path.is_dir():
        candidate = path / "set.jsonl"
        if not candidate.is_file():
            raise CalibrationSetError(f"{path}: a set folder holds its records in set.jsonl")
        return candidate
    if not path.is_file():
        raise CalibrationSetError(f"{path}: no such file or folder")
    return path


def load_set(path: str | Path, rubric: Rubric, *, limit: int | None = None) -> CalibrationSet:
    """Read a calibration set from a JSONL file or a folder holding `set.jsonl`."""
    path = Path(path)
    file = _set_file(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationSetError(f"{file}: cannot read ({exc})") from exc
    items = parse_items(text.splitlines(), rubric, source=str(file))
    name = path.name if path.is_dir() else path.stem
    return CalibrationSet(name=name, source=str(file), items=items[:limit] if limit else items)
