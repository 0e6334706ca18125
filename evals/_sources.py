"""What `grader eval SET...` reads: each SET as a calibration or contrast set with its gate.

A SET is a folder with `set.jsonl` or a `.jsonl` file (a calibration set, `evals/FORMAT.md`),
a folder of pair files or a `.yaml` file (a contrast set), or a shared-data name (`stc3`,
`politeness`). Its gate is `gate.yaml` in the folder, or `<name>.gate.yaml` / `gate.yaml`
beside a file. These are library functions, so the CLI and the application layer share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evals._contrast import ContrastSet, is_contrast_source, load_contrast
from evals._gate import GateCheck, Rule, check_gate, load_gate, merge_rules
from evals._pairwise import ContrastReport
from evals._run import EvalReport, SetReport
from evals._sets import CalibrationSet, CalibrationSetError, load_set
from evals._shared import SHARED_SETS
from grader._rubric import Rubric

__all__ = ["EvalSource", "apply_gates", "gate_file", "load_sources", "shared_focus"]


@dataclass(frozen=True)
class EvalSource:
    """One SET argument: the set it names and the gate rules that go with it."""

    set: CalibrationSet | ContrastSet
    gate: list[Rule] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The set's name (its folder or file stem)."""
        return self.set.name


def gate_file(path: Path) -> Path:
    """`gate.yaml` in a set folder; for a file, `<name>.gate.yaml`, else `gate.yaml` beside it."""
    if path.is_dir():
        return path / "gate.yaml"
    own = path.with_name(f"{path.stem}.gate.yaml")
    return own if own.is_file() else path.with_name("gate.yaml")


def load_sources(
    names: Sequence[str], rubric: Rubric, *, limit: int | None = None, seed: int = 0
) -> list[EvalSource]:
    """Each SET argument read and validated against `rubric`, with its gate."""
    out: list[EvalSource] = []
    for name in names:
        path = Path(name)
        if name in SHARED_SETS and not path.exists():
            out.append(EvalSource(SHARED_SETS[name](None, limit, seed)))
        elif is_contrast_source(path):
            out.append(
                EvalSource(load_contrast(path, rubric, limit=limit), load_gate(gate_file(path)))
            )
        else:
            out.append(EvalSource(load_set(path, rubric, limit=limit), load_gate(gate_file(path))))
    if len({s.name for s in out}) < len(out):
        raise CalibrationSetError("two sets have the same name; rename one folder")
    return out


def shared_focus(sources: Iterable[EvalSource]) -> list[str]:
    """The elements to grade when every calibration set labels only some (politeness: courtesy)."""
    sets = [s.set for s in sources]
    if not sets or not all(isinstance(s, CalibrationSet) and s.focus_elements for s in sets):
        return []
    return list(
        dict.fromkeys(e for s in sets if isinstance(s, CalibrationSet) for e in s.focus_elements)
    )


def apply_gates(
    report: EvalReport, sources: Iterable[EvalSource], flags: Iterable[Rule] = ()
) -> list[tuple[str, GateCheck]]:
    """Check every set of `report` against its gate plus the flag rules; the failed checks."""
    gates = {s.name: s.gate for s in sources}
    flags = list(flags)
    failed: list[tuple[str, GateCheck]] = []
    parts: list[SetReport | ContrastReport] = [*report.sets, *report.contrast]
    for part in parts:
        rules = merge_rules(gates.get(part.name, []), flags)
        part.gate = check_gate(part.metrics, rules, part.undefined)
        failed += [(part.name, c) for c in part.gate if not c.passed]
    return failed
