"""Precision and recall of the policy-speak detector on labelled drafts.

    .venv/bin/python bench/bench_detector.py [FILE.jsonl ...] [--misses] [--out results.json]

Each file holds `retrieval.LabelledDraft` lines (`label` curt or fine; `hard` marks fine drafts
that mention a rule and explain it). Without files it measures the shipped held-back set
`retrieval/data/detector_eval.jsonl`. Two rows per file: `detector` is what `grader detect`,
the coach and the API use (core patterns + the MiniLM neighbour layer); `core` is
`grader.find_policy_speak` alone (a draft is curt when one phrase is not explained), which the
grader's framing judge reads. `--misses` lists the drafts each got wrong: leave it off when
measuring a blind batch you mean to keep blind.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from grader import find_policy_speak
from retrieval import LabelledDraft, default_detector

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "retrieval" / "data" / "detector_eval.jsonl"


def read_drafts(path: Path) -> list[LabelledDraft]:
    """The labelled drafts of one JSONL file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [LabelledDraft.model_validate(json.loads(line)) for line in lines if line.strip()]


def measure(
    drafts: Sequence[LabelledDraft], flags: Callable[[str], bool]
) -> tuple[dict[str, Any], list[LabelledDraft]]:
    """Counts, precision, recall and the drafts `flags` got wrong."""
    tp = fp = fn = hard_fp = 0
    wrong = []
    for draft in drafts:
        flagged, curt = flags(draft.text), draft.label == "curt"
        tp += flagged and curt
        fp += flagged and not curt
        fn += curt and not flagged
        hard_fp += flagged and draft.hard
        if flagged != curt:
            wrong.append(draft)
    row = {
        "drafts": len(drafts),
        "curt": sum(d.label == "curt" for d in drafts),
        "hard": sum(d.hard for d in drafts),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "hard_fp": hard_fp,
        "precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
    }
    return row, wrong


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--misses", action="store_true", help="list the drafts got wrong")
    parser.add_argument("--out", type=Path, help="write the rows as JSON")
    args = parser.parse_args(argv)
    detector = default_detector()
    judges: dict[str, Callable[[str], bool]] = {
        "detector": lambda text: detector(text).flagged,
        "core": lambda text: any(not h.explained for h in find_policy_speak(text)),
    }
    rows = []
    for path in args.files:
        drafts = read_drafts(path)
        for name, flags in judges.items():
            row, wrong = measure(drafts, flags)
            where = path.resolve()
            shown = where.relative_to(ROOT) if where.is_relative_to(ROOT) else where
            rows.append({"file": str(shown), "judge": name, **row})
            print(
                f"{path.name:<28} {name:<8} n={row['drafts']:<4} curt={row['curt']:<4} "
                f"P={row['precision']:.3f} R={row['recall']:.3f} "
                f"fp={row['fp']} fn={row['fn']} hard_fp={row['hard_fp']}"
            )
            if args.misses:
                for draft in wrong:
                    print(f"    {draft.label:<5} {draft.id}: {draft.text}")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
