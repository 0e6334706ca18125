"""Adapters that turn the human-rated data in `../shared/data` into calibration sets.

The data is research / non-commercial, so it is read where it lies at run time (the
`GRADER_SHARED_DATA` folder, else `../shared/data` next to the project) and never copied.

* `stc3`: real helpdesk dialogues (NTCIR-14 STC-3 DCH-1) with 19 raters' customer
  satisfaction, task accomplishment and effectiveness on -2..2, kept as outcome ratings.
  Roles customer/helpdesk map to customer/agent; empty turns are dropped, and
  dialogues left without a helpdesk turn (there are a few) are skipped before sampling. The 19 values
  are in a fixed rater order: each position has a stable leniency across dialogues
  (split-half correlation of the per-position mean offset > 0.99), so a position is
  treated as one person.
* `politeness`: requests from the Stanford Politeness Corpus, each graded as a one-turn
  transcript spoken by the agent. The five 1..25 ratings are kept as the outcome
  "politeness" (not squeezed onto the courtesy element's 0..3 scale, which would invent
  cut points), and compared with the grader's `courtesy` score by rank correlation. The
  five positions are not the same five people across requests (390 raters in all), so
  one-versus-the-rest there measures a random single rating against the others.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from evals._sets import CalibrationItem, CalibrationSet, CalibrationSetError

__all__ = ["SHARED_SETS", "load_politeness", "load_stc3", "shared_data_dir"]

STC3_FILE = "stc3_helpdesk_en.jsonl"
POLITENESS_FILE = "stanford_politeness.jsonl"
_ROLES = {"customer": "customer", "helpdesk": "agent", "agent": "agent"}


def shared_data_dir() -> Path:
    """`$GRADER_SHARED_DATA`, else `../shared/data` relative to the project root."""
    env = os.environ.get("GRADER_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise CalibrationSetError(
            f"{path}: shared data not found; set GRADER_SHARED_DATA to the folder holding it"
        )
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _unique_ids(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records whose id repeats an earlier one's get `~2`, `~3`...: a transcript id names one text.

    The politeness corpus gives 263 different requests 126 shared ids; kept as they are, the
    eval would join two texts' grades under one id and a learned scorer could not tell which
    one it was fitted on.
    """
    seen: dict[str, int] = {}
    out = []
    for record in records:
        key = str(record["id"])
        seen[key] = seen.get(key, 0) + 1
        out.append(record if seen[key] == 1 else {**record, "id": f"{key}~{seen[key]}"})
    return out


def _sample(records: list[dict[str, Any]], limit: int | None, seed: int) -> list[dict[str, Any]]:
    """The first `limit` records of a seeded shuffle.

    A smaller limit is a prefix of a larger one, so answers cached for `--limit 30` are
    reused by `--limit 100` (and graded first).
    """
    if limit is None or limit >= len(records):
        return records
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    return [records[i] for i in order[:limit]]


def _item(data: dict[str, Any], where: str) -> CalibrationItem:
    try:
        return CalibrationItem.model_validate(data)
    except ValidationError as exc:
        raise CalibrationSetError(f"{where}: {exc.errors()[0]['msg']}") from exc


def _gradable(record: dict[str, Any]) -> bool:
    """A dialogue whose helpdesk never says anything (empty turns) cannot be graded."""
    return any(_ROLES.get(t["role"]) == "agent" and t["text"].strip() for t in record["turns"])


def load_stc3(path: Path | None = None, limit: int | None = None, seed: int = 0) -> CalibrationSet:
    """STC-3 helpdesk dialogues as an outcome-rating set (19 raters, -2..2)."""
    path = path or shared_data_dir() / STC3_FILE
    records = [r for r in _records(path) if _gradable(r)]
    items = []
    for record in _sample(records, limit, seed):
        turns = [
            {"role": _ROLES[t["role"]], "text": t["text"]}
            for t in record["turns"]
            if t["text"].strip()
        ]
        transcript = {
            "id": f"stc3-{record['id']}",
            "channel": record.get("channel", "social"),
            "turns": turns,
        }
        low, high = record.get("scale", [-2, 2])
        items.append(
            _item(
                {
                    "transcript": transcript,
                    "outcomes": record["ratings"],
                    "outcome_scales": {name: (low, high) for name in record["ratings"]},
                },
                f"{path}:{record['id']}",
            )
        )
    return CalibrationSet(
        name="stc3",
        source=str(path),
        items=items,
        description="NTCIR-14 STC-3 DCH-1 helpdesk dialogues; 19 raters per outcome, -2..2.",
    )


def _community_raters(record: dict[str, Any]) -> list[str]:
    """Each rater named with the community they rated in.

    The corpus normalised its scores per annotator within a community: a rater lenient on
    Wikipedia requests may be harsh on Stack Exchange ones.
    """
    community = record.get("community", "")
    return [f"{rater}@{community}" for rater in record.get("raters", [])]


def load_politeness(
    path: Path | None = None, limit: int | None = None, seed: int = 0
) -> CalibrationSet:
    """Stanford Politeness requests as one-turn agent transcripts; 5 raters, 1..25."""
    path = path or shared_data_dir() / POLITENESS_FILE
    items = []
    for record in _sample(_unique_ids(_records(path)), limit, seed):
        transcript = {
            "id": f"politeness-{record['id']}",
            "channel": "chat",
            "turns": [{"role": "agent", "text": record["text"]}],
            "metadata": {"tags": [record.get("community", "")]},
        }
        low, high = record.get("scale", [1, 25])
        items.append(
            _item(
                {
                    "transcript": transcript,
                    "outcomes": {"politeness": record["ratings"]["politeness"]},
                    "outcome_scales": {"politeness": (low, high)},
                    "outcome_raters": (
                        {"politeness": _community_raters(record)} if record.get("raters") else {}
                    ),
                },
                f"{path}:{record['id']}",
            )
        )
    return CalibrationSet(
        name="politeness",
        source=str(path),
        items=items,
        focus_elements=["courtesy"],
        description="Stanford Politeness Corpus requests graded as one agent turn; 5 raters, 1..25.",
    )


#: Set names the CLI accepts in place of a path.
SHARED_SETS = {"stc3": load_stc3, "politeness": load_politeness}
