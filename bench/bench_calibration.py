"""Cross-validated Spearman of the learned calibration against the embedding-ridge baseline.

    .venv/bin/python bench/bench_calibration.py [--data ../shared/data] [--folds 5]
        [--grades out/eval-stc3/report.json ...] [--bootstrap 1000]

On every gradable STC-3 dialogue and every politeness request (Wikipedia and Stack Exchange
fitted and measured apart), with a fixed outer K-fold: the baseline (mean of MiniLM turn
vectors, ridge; computed here), the calibrated grader without the LLM's verdicts, the gain
(paired bootstrap), one human against the rest and split-half reliability (random halves of
the raters: 9 vs 10 on STC-3, 2 vs 3 on politeness), all on the same conversations in the
same run. Where cached grades exist (`grader eval` report.json or grades JSONL; found in
`out/eval-*` unless given), the subset they cover is measured again with the verdicts as
features, next to the raw grader. Writes `bench/results/calibration.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

import evals
from evals._learned_cv import LearnedCheck
from grader import default_rubric, get_settings
from retrieval import EmbeddingCache

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = default_rubric()


def fmt(e: evals.Estimate | None) -> str:
    if e is None or e.value is None:
        return "-"
    if e.low is None or e.high is None:
        return f"{e.value:.3f}"
    return f"{e.value:.3f} [{e.low:.3f}, {e.high:.3f}]"


def as_dict(e: evals.Estimate | None) -> dict[str, Any] | None:
    return None if e is None else e.model_dump(exclude_none=True)


def measure(
    name: str,
    cset: evals.CalibrationSet,
    cache: EmbeddingCache,
    args: argparse.Namespace,
    verdicts: dict[str, evals.VerdictView] | None = None,
) -> LearnedCheck:
    started = time.perf_counter()
    lset = evals.learning_set(
        cset.items, RUBRIC, cache, scales=evals.target_scales(cset, RUBRIC), verdicts=verdicts
    )
    check = evals.cross_validate_learned(
        lset,
        folds=args.folds,
        seed=args.seed,
        resamples=args.bootstrap,
        raters=evals.rater_rows(cset.items, RUBRIC),
        on_fold=lambda n: print(f"  {name}: fold {n + 1}/{args.folds}", flush=True),
    )
    print(f"  {name}: {len(lset)} conversations, {time.perf_counter() - started:.0f} s", flush=True)
    return check


def subset(cset: evals.CalibrationSet, ids: set[str], name: str) -> evals.CalibrationSet:
    items = [item for item in cset.items if item.id in ids]
    return cset.model_copy(update={"name": name, "items": items})


def find_grades(given: list[Path]) -> list[Path]:
    if given:
        return given
    found = sorted((ROOT / "out").glob("eval-*/report.json"))
    found += sorted((ROOT / "out").glob("eval-*/*grades*.jsonl"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--grades", type=Path, action="append", default=[])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "calibration.json")
    args = parser.parse_args()
    started = time.perf_counter()
    cache = EmbeddingCache(get_settings().cache_dir / "embeddings")
    stc3 = evals.load_stc3(args.data / "stc3_helpdesk_en.jsonl")
    politeness = evals.load_politeness(args.data / "stanford_politeness.jsonl")
    datasets = {"stc3": stc3}
    for community in ("wikipedia", "stack_exchange"):
        items = [i for i in politeness.items if community in i.transcript.metadata.tags]
        datasets[f"politeness.{community}"] = politeness.model_copy(
            update={"name": f"politeness.{community}", "items": items}
        )
    checks = {}
    for name, cset in datasets.items():
        print(f"{name}: {len(cset.items)} conversations", flush=True)
        checks[name] = measure(name, cset, cache, args)

    verdicts: dict[str, evals.VerdictView] = {}
    grade_files = find_grades(args.grades)
    for path in grade_files:
        verdicts |= evals.load_verdicts(path)
    graded: dict[str, dict[str, LearnedCheck]] = {}
    for name, cset in datasets.items():
        ids = {item.id for item in cset.items if item.id in verdicts}
        if len(ids) < 4 * args.folds:
            continue
        part = subset(cset, ids, f"{name}.graded")
        print(f"{name}: graded subset of {len(ids)}", flush=True)
        graded[name] = {
            "without_llm": measure(f"{name} graded, no LLM", part, cache, args),
            "with_llm": measure(f"{name} graded, with LLM", part, cache, args, verdicts),
        }

    print()
    header = f"{'dataset / target':48} {'n':>5}  {'baseline [95% CI]':26} {'calibrated, no LLM':26} {'gain':26} {'one human':>9} {'split-half':>10}"
    print(header)
    print("-" * len(header))
    rows = []
    for name, check in checks.items():
        for t in check.targets:
            label = f"{name} / {t.target.removeprefix('outcome.')}"
            print(
                f"{label:48} {t.items:>5}  {fmt(t.baseline):26} {fmt(t.calibrated):26} "
                f"{fmt(t.gain):26} {fmt(t.one_human):>9} "
                f"{(t.split_half.value if t.split_half and t.split_half.value else float('nan')):>10.3f}"
            )
            rows.append(
                {
                    "dataset": name,
                    "target": t.target,
                    "n": t.items,
                    "baseline": as_dict(t.baseline),
                    "calibrated_no_llm": as_dict(t.calibrated),
                    "gain": as_dict(t.gain),
                    "one_human": as_dict(t.one_human),
                    "split_half": as_dict(t.split_half),
                    "feature_sets_chosen": t.chosen,
                }
            )
    subset_rows = []
    if graded:
        print()
        print("On the graded subset (cached LLM verdicts as features):")
        for name, pair in graded.items():
            for with_t, without_t in zip(
                pair["with_llm"].targets, pair["without_llm"].targets, strict=True
            ):
                print(
                    f"{name} / {with_t.target}: n={with_t.items}  raw grader {fmt(with_t.raw)}  "
                    f"baseline {fmt(without_t.baseline)}  calibrated no LLM "
                    f"{fmt(without_t.calibrated)}  calibrated with LLM {fmt(with_t.calibrated)}"
                )
                subset_rows.append(
                    {
                        "dataset": name,
                        "target": with_t.target,
                        "n": with_t.items,
                        "raw_grader": as_dict(with_t.raw),
                        "raw_source": with_t.raw_source,
                        "baseline": as_dict(without_t.baseline),
                        "calibrated_no_llm": as_dict(without_t.calibrated),
                        "calibrated_with_llm": as_dict(with_t.calibrated),
                        "feature_sets_chosen_with_llm": with_t.chosen,
                    }
                )
    else:
        print("\nNo cached grades covered enough conversations: calibrated-with-LLM not measured.")
    result = {
        "folds": args.folds,
        "seed": args.seed,
        "bootstrap": args.bootstrap,
        "data": str(args.data),
        "grades_files": [str(p) for p in grade_files],
        "graded_conversations": len(verdicts),
        "note": "Spearman of out-of-fold predictions (pooled over folds) with the mean human "
        "rating; CIs: percentile bootstrap over conversations (the gain: paired); split-half: "
        "mean of 20 random "
        "rater splits (interval: spread over splits); one human: each rater position against "
        "the mean of the others, averaged. STC-3: dialogues without a helpdesk turn are skipped "
        "by the loader.",
        "results": rows,
        "graded_subset": subset_rows,
        "seconds": round(time.perf_counter() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nwrote {args.out} ({result['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
