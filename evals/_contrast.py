"""Contrast-pair sets: two conversations identical except for one element's behaviour.

A grader that discriminates scores the better twin higher on that element. The pairs are
written in YAML (see `evals/FORMAT.md`, "Contrast pairs"): either shared turns where a turn
that differs holds a `better:` and a `worse:` variant, or two whole transcripts. Anything
wrong in a pair file is a `ContrastSetError` naming the file, the pair and the problem.

    cset = load_contrast("evals/sets/contrast", rubric)
    cset.pairs[0].better, cset.pairs[0].worse   # two Transcripts
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from grader._errors import InputError
from grader._rubric import Rubric
from grader._transcript import Channel, Role, Transcript

__all__ = [
    "TWINS",
    "ContrastPair",
    "ContrastSet",
    "ContrastSetError",
    "is_contrast_source",
    "load_contrast",
    "parse_pairs",
    "spread",
]

Twin = Literal["better", "worse"]
TWINS: tuple[Twin, Twin] = ("better", "worse")
_ROLES = {r.value for r in Role}
_TURN_KEYS = {"at", "time", "author_id"}
_PAIR_KEYS = {
    "id", "element", "industry", "channel", "start", "subtle", "note", "turns", "better",
    "worse", "metadata",
}  # fmt: skip
PairId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")]


class ContrastSetError(InputError):
    """A contrast set cannot be used: says which file and pair, and why."""


class ContrastPair(BaseModel):
    """Two twins of one conversation; `better` behaves better on `element`."""

    model_config = ConfigDict(extra="forbid")

    id: PairId
    element: str
    better: Transcript
    worse: Transcript
    industry: str = ""
    subtle: bool = False
    note: str = ""

    def twin(self, which: Twin) -> Transcript:
        """The better or the worse twin."""
        return self.better if which == "better" else self.worse


class ContrastSet(BaseModel):
    """A named list of contrast pairs."""

    name: str
    source: str = ""
    pairs: list[ContrastPair]
    description: str = ""

    @property
    def elements(self) -> list[str]:
        """The elements the pairs test, in order of first appearance."""
        return list(dict.fromkeys(p.element for p in self.pairs))

    def transcripts(self) -> list[Transcript]:
        """Every twin, better then worse, pair by pair."""
        return [p.twin(w) for p in self.pairs for w in TWINS]


def twin_id(pair_id: str, which: Twin) -> str:
    """The transcript id of one twin: `<pair id>/better`."""
    return f"{pair_id}/{which}"


def _sides(value: Any) -> dict[Twin, Any]:
    """A shared value for both twins, or a `{better:, worse:}` mapping (a side may be absent)."""
    if isinstance(value, dict) and value and set(value) <= set(TWINS):
        return {w: value[w] for w in TWINS if w in value and value[w] is not None}
    return {"better": value, "worse": value}


def _time(turn: dict[str, Any], which: Twin, start: datetime | None, where: str) -> datetime | None:
    if "time" in turn:
        raw = _sides(turn["time"]).get(which)
        if raw is None:
            return None
        try:
            return raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
        except ValueError as exc:
            raise ContrastSetError(f"{where}: time {raw!r} is not an ISO 8601 time") from exc
    if "at" not in turn:
        return None
    offset = _sides(turn["at"]).get(which)
    if offset is None:
        return None
    if start is None:
        raise ContrastSetError(f"{where}: 'at' (seconds after start) needs the pair's 'start'")
    if isinstance(offset, bool) or not isinstance(offset, int | float) or offset < 0:
        raise ContrastSetError(f"{where}: 'at' must be seconds after start (>= 0), got {offset!r}")
    return start + timedelta(seconds=float(offset))


def _shared_turns(
    turns: Any, start: datetime | None, where: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each twin's native turns from the shared list with `better:`/`worse:` variants."""
    if not isinstance(turns, list) or not turns:
        raise ContrastSetError(f"{where}: 'turns' must be a non-empty list")
    out: dict[Twin, list[dict[str, Any]]] = {"better": [], "worse": []}
    for number, turn in enumerate(turns, start=1):
        at = f"{where}: turn {number}"
        if not isinstance(turn, dict):
            raise ContrastSetError(f"{at}: a turn is a mapping like {{agent: 'text'}}")
        roles = [k for k in turn if k in _ROLES]
        unknown = set(turn) - _ROLES - _TURN_KEYS
        if unknown:
            raise ContrastSetError(
                f"{at}: unknown key(s) {sorted(unknown)}; a turn has one role "
                f"({', '.join(sorted(_ROLES))}) and optionally at, time, author_id"
            )
        if len(roles) != 1:
            raise ContrastSetError(f"{at}: exactly one role key, got {roles or 'none'}")
        role = roles[0]
        for which, text in _sides(turn[role]).items():
            if not isinstance(text, str):
                raise ContrastSetError(f"{at}: the {which} text must be a string, got {text!r}")
            native: dict[str, Any] = {"role": role, "text": text}
            stamp = _time(turn, which, start, at)
            if stamp is not None:
                native["timestamp"] = stamp
            if turn.get("author_id"):
                native["author_id"] = str(turn["author_id"])
            out[which].append(native)
    return out["better"], out["worse"]


def _whole_twin(value: Any, which: Twin, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or "turns" not in value:
        raise ContrastSetError(f"{where}: '{which}' must be a transcript with 'turns'")
    return dict(value)


def _error_text(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _pair(data: Any, rubric: Rubric, where: str) -> ContrastPair:
    if not isinstance(data, dict):
        raise ContrastSetError(f"{where}: a pair is a mapping with id, element and turns")
    pid = data.get("id")
    where = f"{where} ({pid})" if pid else where
    unknown = set(data) - _PAIR_KEYS
    if unknown:
        raise ContrastSetError(f"{where}: unknown key(s) {sorted(unknown)}")
    elements = {e.id for e in rubric.elements}
    element = data.get("element")
    if element not in elements:
        raise ContrastSetError(
            f"{where}: element {element!r} is not in rubric '{rubric.id}' "
            f"(known: {', '.join(sorted(elements))})"
        )
    channel = data.get("channel", "chat")
    if channel not in {c.value for c in Channel}:
        raise ContrastSetError(
            f"{where}: channel {channel!r} is not one of chat, email, voice, social"
        )
    shared, whole = "turns" in data, "better" in data or "worse" in data
    if shared == whole:
        raise ContrastSetError(
            f"{where}: give either 'turns' (shared, with better/worse variants) "
            "or both 'better' and 'worse' transcripts"
        )
    if shared:
        start = None
        if data.get("start") is not None:
            try:
                raw = data["start"]
                start = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
            except ValueError as exc:
                raise ContrastSetError(f"{where}: start {data['start']!r} is not ISO 8601") from exc
        b_turns, w_turns = _shared_turns(data["turns"], start, where)
        base = {"channel": channel, "metadata": data.get("metadata") or {}}
        twins = {"better": {**base, "turns": b_turns}, "worse": {**base, "turns": w_turns}}
    else:
        twins = {w: _whole_twin(data.get(w), w, where) for w in TWINS}
    try:
        built = {
            w: Transcript.model_validate({**twins[w], "id": twin_id(str(pid), w)}) for w in TWINS
        }
        pair = ContrastPair.model_validate(
            {
                "id": pid,
                "element": element,
                "industry": data.get("industry") or "",
                "subtle": bool(data.get("subtle", False)),
                "note": data.get("note") or "",
                **built,
            }
        )
    except ValidationError as exc:
        raise ContrastSetError(f"{where}: {_error_text(exc)}") from exc
    if pair.better.turns == pair.worse.turns:
        raise ContrastSetError(f"{where}: the two twins are identical; nothing to contrast")
    return pair


def parse_pairs(data: Any, rubric: Rubric, *, source: str) -> list[ContrastPair]:
    """Pairs from parsed YAML: a list of pairs, or a mapping with `pairs:`."""
    if isinstance(data, dict) and "pairs" in data:
        data = data["pairs"]
    if not isinstance(data, list) or not data:
        raise ContrastSetError(f"{source}: a contrast file holds a non-empty list of pairs")
    return [_pair(item, rubric, f"{source}: pair {n}") for n, item in enumerate(data, start=1)]


def _pair_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(
        p
        for p in path.iterdir()
        if p.suffix in {".yaml", ".yml", ".json"} and p.name != "gate.yaml"
        and not p.name.endswith(".gate.yaml")
    )  # fmt: skip


def is_contrast_source(path: Path) -> bool:
    """A YAML/JSON file, or a folder of them with no `set.jsonl`: contrast pairs."""
    if path.is_file():
        return path.suffix in {".yaml", ".yml", ".json"}
    return path.is_dir() and not (path / "set.jsonl").exists() and bool(_pair_files(path))


def spread(pairs: list[ContrastPair], limit: int | None) -> list[ContrastPair]:
    """The first `limit` pairs taken round-robin over elements, so a small run covers them all."""
    if not limit or limit >= len(pairs):
        return pairs
    queues: dict[str, list[ContrastPair]] = {}
    for pair in pairs:
        queues.setdefault(pair.element, []).append(pair)
    order: list[ContrastPair] = []
    while len(order) < limit:
        for queue in queues.values():
            if queue and len(order) < limit:
                order.append(queue.pop(0))
    return order


def load_contrast(path: str | Path, rubric: Rubric, *, limit: int | None = None) -> ContrastSet:
    """Read a contrast set: one YAML file, or every YAML file of a folder (but gate.yaml)."""
    path = Path(path)
    if not path.exists():
        raise ContrastSetError(f"{path}: no such file or folder")
    files = _pair_files(path)
    if not files:
        raise ContrastSetError(f"{path}: no pair files (*.yaml) in the folder")
    pairs: list[ContrastPair] = []
    seen: dict[str, str] = {}
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ContrastSetError(f"{file}: cannot read ({exc})") from exc
        for pair in parse_pairs(data, rubric, source=str(file)):
            if pair.id in seen:
                raise ContrastSetError(
                    f"{file}: pair id '{pair.id}' already used in {seen[pair.id]}"
                )
            seen[pair.id] = str(file)
            pairs.append(pair)
    readme = path / "README.md" if path.is_dir() else None
    description = ""
    if readme is not None and readme.is_file():
        description = readme.read_text(encoding="utf-8").strip().splitlines()[0].lstrip("# ")
    name = path.name if path.is_dir() else path.stem
    return ContrastSet(
        name=name,
        source=str(path),
        pairs=spread(pairs, limit),
        description=description,
    )
