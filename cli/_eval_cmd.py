"""`grader eval SET...`: grade calibration or contrast sets, compare, report, gate.

A front door only: the sets, the run, the gates and the fitted calibration are `evals`
library functions (`load_sources`, `evaluate`, `apply_gates`, `save_fitted_calibration`).
Exit codes: 0 every gate passed, 1 a gate failed (each failing metric is named) or nothing
could be graded, 2 bad input (unreadable set, unknown label, bad pair file, bad threshold).
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

import evals
from cli._console import grading_progress, rich_table
from cli._grade_cmd import few_shot_for, resolve_rubric
from cli._options import (
    CalibrationDirOption,
    ElementsOption,
    FewShotOption,
    RubricOption,
    StoreOption,
    TenantOption,
)
from grader._errors import GraderError, InputError
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings

__all__ = ["load_sets", "register"]


def load_sets(
    names: list[str], rubric: Rubric, limit: int | None, seed: int
) -> list[tuple[evals.CalibrationSet, Path | None]]:
    """Calibration sets only, for `grader calibrate` (kept until it calls `evals.load_sources`)."""
    out: list[tuple[evals.CalibrationSet, Path | None]] = []
    for source in evals.load_sources(names, rubric, limit=limit, seed=seed):
        if not isinstance(source.set, evals.CalibrationSet):
            raise evals.ContrastSetError(f"{source.name}: contrast pairs cannot be calibrated on")
        out.append((source.set, None))
    return out


def _total(sources: list[evals.EvalSource], options: evals.EvalOptions) -> int:
    total = 0
    for s in sources:
        if isinstance(s.set, evals.ContrastSet):
            single = (options.single_call_limit or len(s.set.pairs)) if options.single_call else 0
            total += 2 * (len(s.set.pairs) + min(single, len(s.set.pairs)))
        else:
            total += len(s.set.items) * options.samples
    return total


def _evaluate(
    sources: list[evals.EvalSource],
    rubric: Rubric,
    settings: Settings,
    options: evals.EvalOptions,
    console: Console,
) -> evals.EvalOutcome:
    with grading_progress(console) as progress:
        task = progress.add_task("", total=_total(sources, options))

        def on_grade(set_name: str, result: Grade) -> None:
            note = "" if result.status == "graded" else f"unscored: {result.error}"
            progress.update(task, advance=1, description=f"{result.transcript_id} {note}"[:80])
            if not console.is_terminal:  # CI logs: a line per transcript instead of a bar
                done = int(progress.tasks[0].completed)
                console.print(
                    f"{done}/{progress.tasks[0].total:.0f} {set_name} "
                    f"{result.transcript_id} {result.status} {note}"[:160],
                    highlight=False,
                )

        return asyncio.run(evals.evaluate(sources, rubric, settings, options, on_grade=on_grade))


def _fit_judges(
    names: list[str],
    rubric: Rubric,
    settings: Settings,
    calibration_dir: Path | None,
    tenant: str,
    seed: int,
    hold_out: int | None,
    console: Console,
) -> None:
    from grader._embedding_cache import EmbeddingCache

    sources = evals.load_sources(names, rubric, seed=seed)
    held: set[str] = set()
    if hold_out:
        for s in evals.load_sources(names, rubric, limit=hold_out, seed=seed):
            if isinstance(s.set, evals.CalibrationSet):
                held.update(i.id for i in s.set.items)
    corpus, tenant_dir = evals.judge_dirs(settings.cache_dir, calibration_dir, tenant)
    fits = evals.fit_judges(
        [s.set for s in sources if isinstance(s.set, evals.CalibrationSet)],
        EmbeddingCache(settings.cache_dir / "embeddings"),
        corpus_dir=corpus, tenant_dir=tenant_dir, seed=seed, hold_out=held,
    )  # fmt: skip
    if not fits:
        console.print("no learned judge could be fitted on these sets", highlight=False)
    for fit in fits:
        groups = ", ".join(f"{g} {v}" for g, v in fit.by_group.items())
        console.print(
            f"{fit.element_id} from {fit.fitted_on}: n={fit.n}, out-of-fold Spearman "
            f"{fit.spearman}{f' ({groups})' if groups else ''}; saved to {fit.path}"
            + (f"; {len(held)} held out" if held else ""),
            highlight=False,
        )


def _print(report: evals.EvalReport) -> None:
    stdout = Console()
    for set_report in report.sets:
        stdout.print(rich_table(evals.set_tables(set_report)[0]))
        stdout.print(evals.set_summary(set_report), highlight=False)
    for contrast in report.contrast:
        stdout.print(rich_table(evals.contrast_tables(contrast)[0]))
        stdout.print(evals.contrast_summary(contrast), highlight=False)


def eval_command(
    sets: Annotated[
        list[str],
        typer.Argument(
            help="Sets: a calibration set folder (set.jsonl) or .jsonl file, a contrast-pair "
            "folder or .yaml file, or 'stc3' / 'politeness' for the data in ../shared/data."
        ),
    ],
    model: Annotated[str | None, typer.Option(help="'local' or any litellm model string.")] = None,
    api_base: Annotated[
        str | None, typer.Option("--api-base", help="Base URL of an OpenAI-compatible server.")
    ] = None,
    rubric: RubricOption = None,
    elements: ElementsOption = None,
    samples: Annotated[
        int, typer.Option(min=1, max=20, help="Grade each transcript N times (stability).")
    ] = 1,
    temperature: Annotated[
        float | None, typer.Option(min=0, max=2, help="Sampling temperature (with --samples).")
    ] = None,
    out: Annotated[
        Path, typer.Option(help="Folder for report.json, report.md, report.html, junit.xml.")
    ] = Path("out/eval"),
    min_: Annotated[
        list[str] | None,
        typer.Option("--min", help="Threshold METRIC=VALUE (a lower bound); repeatable."),
    ] = None,
    max_: Annotated[
        list[str] | None,
        typer.Option("--max", help="Threshold METRIC=VALUE (an upper bound); repeatable."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            min=1, help="Use N transcripts (or pairs) per set (shared sets: a seeded sample)."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed for sampling, bootstrap and folds.")] = 0,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Bootstrap resamples for the 95% intervals (0: none).")
    ] = 1000,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64)] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ignore and do not use the on-disk answer cache.")
    ] = False,
    save_calibration: Annotated[
        bool,
        typer.Option(
            "--save-calibration", help="Fit isotonic calibration on the labelled sets and store it."
        ),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Reuse the grades logged in OUT/grades.jsonl by an earlier run (same model, "
            "rubric and prompt), unscored ones included.",
        ),
    ] = False,
    single_call: Annotated[
        bool,
        typer.Option(
            "--single-call",
            help="On contrast sets, also grade the pairs with the single structured LLM call "
            "and report its pairwise accuracy beside the judges'.",
        ),
    ] = False,
    single_call_limit: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="With --single-call: only N pairs, one element after another (slow on 'local').",
        ),
    ] = None,
    fit_judges: Annotated[
        bool,
        typer.Option(
            "--fit-judges",
            help="Fit the learned judges these sets allow (politeness: courtesy; stc3: recovery, "
            "diligence, efficient resolution; element labels: those elements), report their "
            "out-of-fold Spearman, store them, and stop (no grading).",
        ),
    ] = False,
    hold_out: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="With --fit-judges: keep out the seeded sample `--limit N` would evaluate, so "
            "that eval grades only dialogues the judges never saw.",
        ),
    ] = None,
    calibration_dir: CalibrationDirOption = None,
    few_shot: FewShotOption = None,
    tenant: TenantOption = "default",
    store: StoreOption = None,
) -> None:
    """Grade calibration or contrast sets and measure the grader.

    Exit 0: every gate passed; 1: a gate failed or nothing was graded; 2: bad input.
    """
    console = Console(stderr=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    overrides: dict[str, Any] = {
        "model": model,
        "api_base": api_base,
        "concurrency": concurrency,
        "temperature": temperature,
        "few_shot": few_shot,
    }
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
        if no_cache:
            settings = settings.model_copy(update={"use_cache": False})
        the_rubric = resolve_rubric(rubric, settings)
        flag_rules = [evals.parse_rule(t, "min") for t in min_ or []]
        flag_rules += [evals.parse_rule(t, "max") for t in max_ or []]
        if fit_judges:
            _fit_judges(
                sets, the_rubric, settings, calibration_dir, tenant, seed, hold_out, console
            )
            return
        sources = evals.load_sources(sets, the_rubric, limit=limit, seed=seed)
        focus = elements or evals.shared_focus(sources)
        if focus:
            the_rubric = the_rubric.focused(focus)
            console.print(f"grading only: {', '.join(focus)}", highlight=False)
        options = evals.EvalOptions(
            out=out, samples=samples, seed=seed, bootstrap=bootstrap, resume=resume,
            few_shot=few_shot_for(settings, store, tenant, console),
            single_call=single_call, single_call_limit=single_call_limit,
            judge_dirs=tuple(evals.judge_dirs(settings.cache_dir, calibration_dir, tenant)),
        )  # fmt: skip
        outcome = _evaluate(sources, the_rubric, settings, options, console)
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    report = outcome.report
    if resume:
        console.print(f"resumed: {outcome.resumed} grade(s) from {outcome.log} were reused")
    failed = evals.apply_gates(report, sources, flag_rules)
    for path in evals.write_reports(report, out):
        console.print(f"wrote {path}", highlight=False)
    if save_calibration:
        directory = calibration_dir or settings.cache_dir / "calibration"
        saved, count = evals.save_fitted_calibration(outcome, the_rubric, directory)
        console.print(f"calibration for {count} element(s) saved to {saved}")
    _print(report)
    for name, check in failed:
        console.print(f"[red]below threshold[/red] {name}: {check.describe()}", highlight=False)
    graded = any(s.graded for s in report.sets) or any(c.graded_twins for c in report.contrast)
    if failed or not graded:
        if not failed:
            console.print("[red]nothing was graded[/red]")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `eval` command."""
    app.command("eval")(eval_command)
