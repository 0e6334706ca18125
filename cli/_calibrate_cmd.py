"""`grader calibrate SET... [--cv K]`: fit a learned calibration, measured out of fold.

It cross-validates the calibration on each set against the embedding-ridge baseline and the
people (one human, split-half), writes the same reports as `grader eval` plus `learned.md`
and `learned.json`, then fits on every set, stores the fit next to the rubric version and
puts the conversations in the tenant's exemplar store, where grading finds them.

The grader's verdicts are features where they already exist (`--grades`: a grades JSONL or
an eval report.json) or with `--grade` (grades the sets now; slow with the embedded model).
Exit codes: 0 done, 1 an error while fitting, 2 bad input.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from numpy.typing import NDArray
from rich.console import Console
from rich.markup import escape

import evals
import prompts
from grader._errors import GraderError, InputError
from grader._grading import grade_all, rubric_grader
from grader._rubric import Rubric, default_rubric, load_rubric
from grader._settings import Settings
from cli._console import rich_table
from cli._eval_cmd import load_sets
from cli._options import (
    CalibrationDirOption,
    RubricOption,
    StoreOption,
    TenantOption,
)
from grader.model import Usage, UsageMeter
from retrieval import EmbeddingCache, Exemplar, ExemplarStore

__all__ = ["register"]


async def _grade_now(
    sets: list[evals.CalibrationSet], rubric: Rubric, settings: Settings
) -> tuple[dict[str, evals.VerdictView], Usage]:
    llm = settings.build_llm(UsageMeter(settings.token_budget))
    grade = rubric_grader(
        rubric, llm, redact_pii=settings.should_redact, use_cache=settings.use_cache
    )
    views: dict[str, evals.VerdictView] = {}
    usage = Usage()
    transcripts = [item.transcript for s in sets for item in s.items]
    async for result in grade_all(
        transcripts, grade, rubric=rubric, model=llm.model, concurrency=settings.concurrency
    ):
        usage = usage + result.usage
        view = evals.VerdictView.of(result)
        if view is not None:
            views[result.transcript_id] = view
    return views, usage


def _unique(
    exemplars: list[Exemplar], vectors: list[NDArray[np.float32]], console: Console
) -> tuple[list[Exemplar], list[NDArray[np.float32]]]:
    """The first exemplar of each id (the politeness corpus reuses ids across requests)."""
    first: dict[str, int] = {}
    for i, e in enumerate(exemplars):
        first.setdefault(e.id, i)
    keep = sorted(first.values())
    if len(keep) < len(exemplars):
        console.print(
            f"{len(exemplars) - len(keep)} conversation(s) reuse another's id: only the first "
            "of each is kept as an exemplar (all were used to fit)",
            highlight=False,
        )
    return [exemplars[i] for i in keep], [vectors[i] for i in keep]


def _progress(console: Console, name: str, folds: int) -> Callable[[int], None]:
    def done(number: int) -> None:
        console.print(f"{name}: fold {number + 1}/{folds} done", highlight=False)

    return done


def calibrate_command(
    sets: Annotated[
        list[str],
        typer.Argument(
            help="Calibration sets: a set folder, a .jsonl file, 'stc3' or 'politeness'."
        ),
    ],
    cv: Annotated[
        int, typer.Option("--cv", min=2, max=20, help="Outer cross-validation folds.")
    ] = 5,
    tenant: TenantOption = "default",
    rubric: RubricOption = None,
    grades: Annotated[
        list[Path] | None,
        typer.Option(
            "--grades", help="Cached verdicts: grades JSONL or eval report.json; repeatable."
        ),
    ] = None,
    grade: Annotated[
        bool, typer.Option("--grade", help="Grade the sets now and use the verdicts as features.")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model for --grade.")] = None,
    api_base: Annotated[str | None, typer.Option("--api-base", help="Server for --grade.")] = None,
    out: Annotated[Path, typer.Option(help="Folder for the reports.")] = Path("out/calibrate"),
    calibration_dir: CalibrationDirOption = None,
    store: StoreOption = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Use N conversations per set.")] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling, folds and bootstrap.")] = 0,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples for the intervals.")
    ] = 1000,
    save: Annotated[
        bool, typer.Option("--save/--no-save", help="Store the fit and the exemplars.")
    ] = True,
) -> None:
    """Fit a learned calibration; report it cross-validated against the baseline and people."""
    console = Console(stderr=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    overrides: dict[str, Any] = {"model": model, "api_base": api_base}
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
        chosen = rubric or settings.rubric_path
        the_rubric = load_rubric(chosen) if chosen else default_rubric()
        loaded = [s for s, _ in load_sets(sets, the_rubric, limit, seed)]
        if len({s.name for s in loaded}) < len(loaded):
            raise evals.CalibrationSetError("two sets have the same name; rename one folder")
        verdicts: dict[str, evals.VerdictView] = {}
        for path in grades or []:
            verdicts |= evals.load_verdicts(path)
        usage = Usage()
        if grade:
            console.print(
                f"grading {sum(len(s.items) for s in loaded)} conversations with {settings.model}"
            )
            fresh, usage = asyncio.run(_grade_now(loaded, the_rubric, settings))
            verdicts |= fresh
        cache = EmbeddingCache(settings.cache_dir / "embeddings")
        checks: dict[str, evals.LearnedCheck] = {}
        reports: list[evals.SetReport] = []
        learning: list[evals.LearningSet] = []
        for cset in loaded:
            scales = evals.target_scales(cset, the_rubric)
            console.print(f"{cset.name}: embedding {len(cset.items)} conversations")
            lset = evals.learning_set(
                cset.items, the_rubric, cache, scales=scales, verdicts=verdicts or None
            )
            learning.append(lset)
            raters = evals.rater_rows(cset.items, the_rubric)
            check = evals.cross_validate_learned(
                lset, folds=cv, seed=seed, resamples=bootstrap, raters=raters,
                on_fold=_progress(console, cset.name, cv),
            )  # fmt: skip
            checks[cset.name] = check
            reports.append(evals.learned_set_report(cset, check, lset, raters))
        calibration = None
        if save:
            everything = [item for s in loaded for item in s.items]
            scales = {k: v for s in loaded for k, v in evals.target_scales(s, the_rubric).items()}
            combined = evals.learning_set(
                everything, the_rubric, cache, scales=scales, verdicts=verdicts or None
            )
            calibration = evals.fit_learned(
                combined, tenant=tenant, rubric_id=the_rubric.id,
                rubric_version=the_rubric.version, embedding=cache.embedding.name(),
                model=", ".join(sorted({v.model for v in verdicts.values()})),
                fitted_on=[s.name for s in loaded],
            )  # fmt: skip
            directory = calibration_dir or settings.cache_dir / "calibration"
            saved = evals.save_learned(calibration, directory, the_rubric)
            exemplar_store = ExemplarStore(store, tenant=tenant, cache=cache)
            exemplars, vectors = _unique(
                [e for s in loaded for e in evals.exemplars_of(s, the_rubric)],
                [tv.vectors for tv in combined.vectors],
                console,
            )
            added = exemplar_store.add(exemplars, vectors)
            console.print(f"learned calibration {calibration.calibration_id} saved to {saved}")
            console.print(f"{added} exemplar(s) in tenant '{tenant}' at {exemplar_store.path}")
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(1) from exc
    report = evals.EvalReport(
        model=", ".join(sorted({v.model for v in verdicts.values()})) or "none (no verdicts)",
        prompt_version=prompts.prompt_version(),
        rubric_id=the_rubric.id,
        rubric_version=the_rubric.version,
        samples=1,
        seed=seed,
        usage=usage,
        seconds=round(time.perf_counter() - started, 2),
        sets=reports,
    )
    for path in evals.write_reports(report, out):
        console.print(f"wrote {path}", highlight=False)
    (out / "learned.md").write_text(evals.learned_markdown(checks, calibration), encoding="utf-8")
    payload = {
        "checks": {k: v.model_dump(mode="json") for k, v in checks.items()},
        "calibration_id": calibration.calibration_id if calibration else None,
    }
    (out / "learned.json").write_text(json.dumps(payload, indent=1), encoding="utf-8")
    console.print(f"wrote {out / 'learned.md'}, {out / 'learned.json'}", highlight=False)
    stdout = Console(width=None if Console().is_terminal else 160)
    for name, check in checks.items():
        stdout.print(rich_table(evals.learned_tables(name, check)[0]))


def register(app: typer.Typer) -> None:
    """Add the `calibrate` command."""
    app.command("calibrate")(calibrate_command)
