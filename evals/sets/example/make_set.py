"""Write `set.jsonl` from `conversations.yaml`: the example calibration set.

Written for this project: Northwind Outfitters (a fictional outdoor-gear shop) support
conversations, each labelled on the default rubric's elements by two fictional raters,
rater_a and rater_b. In the YAML, labels are 17 tokens in rubric order (`|` between
dimensions is ignored): a level 0-3, `n` for N/A, `-` for not labelled. Turn offsets are
seconds after `start`; a conversation without `start` has no timestamps.

    .venv/bin/python evals/sets/example/make_set.py     # rewrites set.jsonl next to it
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ELEMENTS = [
    "responsiveness",
    "efficient_resolution",
    "expectation_setting",
    "escalation",
    "clarity",
    "accuracy",
    "proactive_information",
    "diligence",
    "message_framing",
    "courtesy",
    "professionalism",
    "empathy",
    "tailoring",
    "recovery",
    "empowerment",
    "extra_mile",
    "brand_voice",
]
ROLES = {"c": "customer", "a": "agent", "b": "bot", "s": "supervisor"}


def labels(tokens: str) -> dict[str, int | str]:
    """A label string as element -> level ('na' for N/A; unlabelled elements left out)."""
    parts = [t for t in tokens.split() if t != "|"]
    if len(parts) != len(ELEMENTS):
        raise ValueError(f"{len(parts)} labels, expected {len(ELEMENTS)}: {tokens!r}")
    out: dict[str, int | str] = {}
    for element, token in zip(ELEMENTS, parts, strict=True):
        if token == "n":
            out[element] = "na"
        elif token != "-":
            out[element] = int(token)
    return out


def record(conv: dict[str, Any]) -> dict[str, Any]:
    """One JSONL record from one YAML conversation."""
    start = datetime.fromisoformat(conv["start"]) if conv.get("start") else None
    turns = []
    for role, offset, text in conv["turns"]:
        turn: dict[str, Any] = {"role": ROLES[role], "text": text}
        if start is not None and offset is not None:
            turn["timestamp"] = (start + timedelta(seconds=offset)).isoformat()
        turns.append(turn)
    return {
        "transcript": {
            "id": conv["id"],
            "channel": conv.get("channel", "chat"),
            "turns": turns,
            "metadata": {"team": conv.get("team"), "tags": conv.get("tags", [])},
        },
        "labels": {"rater_a": labels(conv["rater_a"]), "rater_b": labels(conv["rater_b"])},
        "note": conv.get("note", ""),
    }


def main() -> None:
    """Rewrite set.jsonl from the conversations."""
    here = Path(__file__).parent
    conversations = yaml.safe_load((here / "conversations.yaml").read_text(encoding="utf-8"))
    path = here / "set.jsonl"
    lines = [json.dumps(record(c), ensure_ascii=False) for c in conversations]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} records to {path}")


if __name__ == "__main__":
    main()
