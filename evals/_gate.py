"""The gate: thresholds on named metrics, from `gate.yaml` next to a set and from flags.

    # gate.yaml
    min:
      overall.spearman: 0.30
      element.*.kappa: 0.20            # every element ...
      element.accuracy.kappa: 0.40     # ... and a stricter one for accuracy
    max:
      element.*.abs_bias: 0.75

Patterns use shell wildcards; for each metric the most specific matching rule wins (an exact
name beats a wildcard, a longer literal beats a shorter one), and a flag (`--min
overall.spearman=0.3`) replaces the file's rule with the same pattern. A gate does not pass
on what it could not measure: a metric named exactly that is undefined on the data (say,
kappa when every score is the same) fails, and so does a rule that matches no metric at all.
Under a wildcard, an undefined metric is skipped and listed as such (an element too rare in
the set to measure should not block every run); name it exactly to require it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel

from grader._errors import InputError

__all__ = [
    "GateCheck",
    "GateConfigError",
    "Rule",
    "check_gate",
    "load_gate",
    "merge_rules",
    "parse_rule",
]

Bound = Literal["min", "max"]


class GateConfigError(InputError):
    """A gate file or threshold flag cannot be read."""


class Rule(BaseModel):
    """A threshold: metric pattern, which side is bad, the value, and where it came from."""

    pattern: str
    bound: Bound
    value: float
    source: str

    @property
    def specificity(self) -> tuple[int, int]:
        """Exact names first, then the longest literal part."""
        wild = any(c in self.pattern for c in "*?[")
        return (0 if wild else 1, len(self.pattern.replace("*", "")))


class GateCheck(BaseModel):
    """One metric checked against one rule."""

    metric: str
    bound: Bound
    threshold: float
    value: float | None
    passed: bool
    source: str
    reason: str | None = None
    skipped: bool = False

    def describe(self) -> str:
        """A line naming the metric, its value and the threshold."""
        sign = ">=" if self.bound == "min" else "<="
        shown = "undefined" if self.value is None else f"{self.value:.3f}"
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.metric} = {shown}, needs {sign} {self.threshold:g} [{self.source}]{why}"


def load_gate(path: Path) -> list[Rule]:
    """Rules from a gate YAML file (empty when the file does not exist)."""
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise GateConfigError(f"{path}: cannot read gate ({exc})") from exc
    if not isinstance(data, dict) or set(data) - {"min", "max"}:
        raise GateConfigError(f"{path}: a gate has only 'min' and 'max' mappings")
    rules = []
    for bound in ("min", "max"):
        section = data.get(bound) or {}
        if not isinstance(section, dict):
            raise GateConfigError(f"{path}: '{bound}' maps metric names to numbers")
        for pattern, value in section.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise GateConfigError(f"{path}: {bound}.{pattern} must be a number, got {value!r}")
            rules.append(
                Rule(pattern=str(pattern), bound=bound, value=float(value), source=str(path))
            )
    return rules


def parse_rule(text: str, bound: Bound) -> Rule:
    """A `--min`/`--max` flag value: METRIC=VALUE."""
    pattern, sep, value = text.partition("=")
    try:
        number = float(value)
    except ValueError:
        number = None
    if not sep or not pattern.strip() or number is None:
        raise GateConfigError(
            f"--{bound} {text!r}: expected METRIC=NUMBER, e.g. overall.spearman=0.3"
        )
    return Rule(pattern=pattern.strip(), bound=bound, value=number, source=f"--{bound}")


def merge_rules(base: Iterable[Rule], overrides: Iterable[Rule]) -> list[Rule]:
    """`overrides` replace rules of `base` with the same pattern and bound."""
    merged = {(r.pattern, r.bound): r for r in base}
    merged.update({(r.pattern, r.bound): r for r in overrides})
    return list(merged.values())


def check_gate(
    metrics: Mapping[str, float | None],
    rules: Iterable[Rule],
    undefined: Mapping[str, str] | None = None,
) -> list[GateCheck]:
    """Check every metric some rule covers; a rule covering nothing is a failed check."""
    rules = list(rules)
    undefined = undefined or {}
    checks = []
    used: set[tuple[str, Bound]] = set()
    for metric, value in metrics.items():
        for bound in ("min", "max"):
            matching = [r for r in rules if r.bound == bound and fnmatchcase(metric, r.pattern)]
            if not matching:
                continue
            rule = max(matching, key=lambda r: r.specificity)
            used.update((r.pattern, r.bound) for r in matching)
            if value is None:
                wild = rule.specificity[0] == 0
                checks.append(
                    GateCheck(
                        metric=metric,
                        bound=bound,
                        threshold=rule.value,
                        value=None,
                        passed=wild,
                        skipped=wild,
                        source=rule.source,
                        reason=undefined.get(metric, "not measured"),
                    )
                )
                continue
            passed = value >= rule.value if bound == "min" else value <= rule.value
            checks.append(
                GateCheck(
                    metric=metric,
                    bound=bound,
                    threshold=rule.value,
                    value=value,
                    passed=passed,
                    source=rule.source,
                )
            )
    for rule in rules:
        if (rule.pattern, rule.bound) not in used:
            checks.append(
                GateCheck(
                    metric=rule.pattern,
                    bound=rule.bound,
                    threshold=rule.value,
                    value=None,
                    passed=False,
                    source=rule.source,
                    reason="no metric of this set has that name",
                )
            )
    return checks
