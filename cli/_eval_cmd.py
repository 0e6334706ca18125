"""`grader eval SET...`: grade calibration sets, compare with people, report, gate.

Exit codes: 0 every gate passed, 1 a gate failed (each failing metric is named) or nothing
could be graded, 2 bad input (unreadable set, unknown label, bad threshold).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

import evals
import prompts
from grader._errors import GraderError, InputError
from grader._grading import FewShotFn, rubric_grader
from grader._results import Grade
from grader._rubric import Rubric
from grader._settings import Settings
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
from grader.model import UsageMeter

__all__ = ["register"]


def _gate_file(path: Path) -> Path:
    """`gate.yaml` in a set folder; for a file, `<name>.gate.yaml`, else `gate.yaml` beside it."""
    if path.is_dir():
        return path / "gate.yaml"
    own = path.with_name(f"{path.stem}.gate.yaml")
    return own if own.is_file() else path.with_name("gate.yaml")


def load_sets(
    names: list[str], rubric: Rubric, limit: int | None, seed: int
) -> list[tuple[evals.CalibrationSet, Path | None]]:
    """Each SET argument as a calibration set and the gate file that goes with it."""
    out: list[tuple[evals.CalibrationSet, Path | None]] = []
    for name in names:
        path = Path(name)
        if name in evals.SHARED_SETS and not path.exists():
            out.append((evals.SHARED_SETS[name](None, limit, seed), None))
        else:
            out.append((evals.load_set(path, rubric, limit=limit), _gate_file(path)))
    return out


def _shared_focus(sets: list[evals.CalibrationSet]) -> list[str]:
    """The elements to grade when every set labels only some (politeness: courtesy)."""
    if not sets or not all(s.focus_elements for s in sets):
        return []
    return list(dict.fromkeys(e for s in sets for e in s.focus_elements))


@dataclass(frozen=True)
class _Options:
    samples: int
    seed: int
    bootstrap: int
    out: Path
    resume: bool
    few_shot: FewShotFn | None = None


async def _run(
    sets: list[evals.CalibrationSet],
    rubric: Rubric,
    settings: Settings,
    options: _Options,
    console: Console,
) -> tuple[evals.EvalReport, dict[str, list[tuple[evals.CalibrationItem, Grade]]]]:
    samples = options.samples
    meter = UsageMeter(settings.token_budget)
    llm = settings.build_llm(meter)
    redact = settings.should_redact
    log = evals.GradeLog(options.out / "grades.jsonl", append=options.resume)
    known = {}
    if options.resume:
        known = evals.load_grade_log(
            log.path, model=llm.model, rubric_version=rubric.version,
            prompt_version=prompts.prompt_version(),
        )  # fmt: skip
        shown = options.few_shot is not None  # a grade made with examples is another grader
        known = {k: g for k, g in known.items() if bool(g.few_shot) == shown}
        console.print(f"resuming: {len(known)} grade(s) from {log.path} are reused")
    shots = options.few_shot
    first_pass = rubric_grader(
        rubric, llm, redact_pii=redact, use_cache=settings.use_cache, few_shot=shots
    )
    grade = evals.resuming(evals.logged(first_pass, log), known)
    resample = rubric_grader(rubric, llm, redact_pii=redact, use_cache=False, few_shot=shots)
    first: dict[str, dict[str, Grade]] = {s.name: {} for s in sets}
    with grading_progress(console) as progress:
        task = progress.add_task("", total=sum(len(s.items) for s in sets) * samples)

        def on_grade(set_name: str, result: Grade) -> None:
            first[set_name].setdefault(result.transcript_id, result)
            note = "" if result.status == "graded" else f"unscored: {result.error}"
            progress.update(task, advance=1, description=f"{result.transcript_id} {note}"[:80])
            if not console.is_terminal:  # CI logs: a line per transcript instead of a bar
                done = int(progress.tasks[0].completed)
                console.print(
                    f"{done}/{progress.tasks[0].total:.0f} {set_name} "
                    f"{result.transcript_id} {result.status} {note}"[:160],
                    highlight=False,
                )

        report = await evals.run_eval(
            sets, grade, rubric=rubric, model=llm.model, samples=samples,
            resample=resample if samples > 1 else None, concurrency=settings.concurrency,
            seed=options.seed, resamples=options.bootstrap, on_grade=on_grade, meter=meter,
        )  # fmt: skip
    pairs = {
        s.name: [(item, first[s.name][item.id]) for item in s.items if item.id in first[s.name]]
        for s in sets
    }
    return report, pairs


def eval_command(
    sets: Annotated[
        list[str],
        typer.Argument(
            help="Calibration sets: a set folder (with set.jsonl), a .jsonl file, or 'stc3' / "
            "'politeness' for the human-rated data in ../shared/data."
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
        typer.Option(min=1, help="Use N transcripts per set (shared sets: a seeded sample)."),
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
    calibration_dir: CalibrationDirOption = None,
    few_shot: FewShotOption = None,
    tenant: TenantOption = "default",
    store: StoreOption = None,
) -> None:
    """Grade calibration sets and measure the grader against people.

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
        loaded = load_sets(sets, the_rubric, limit, seed)
        focus = elements or _shared_focus([s for s, _ in loaded])
        if focus:
            the_rubric = the_rubric.focused(focus)
            console.print(f"grading only: {', '.join(focus)}", highlight=False)
        gates = {s.name: evals.load_gate(g) if g else [] for s, g in loaded}
        if len(gates) < len(loaded):
            raise evals.CalibrationSetError("two sets have the same name; rename one folder")
        options = _Options(
            samples=samples, seed=seed, bootstrap=bootstrap, out=out, resume=resume,
            few_shot=few_shot_for(settings, store, tenant, console),
        )  # fmt: skip
        report, pairs = asyncio.run(
            _run([s for s, _ in loaded], the_rubric, settings, options, console)
        )
    except InputError as exc:
        console.print(f"[red]bad input[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except GraderError as exc:
        console.print(f"[red]error[/red]: {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    for set_report in report.sets:
        rules = evals.merge_rules(gates[set_report.name], flag_rules)
        set_report.gate = evals.check_gate(set_report.metrics, rules, set_report.undefined)
    for path in evals.write_reports(report, out):
        console.print(f"wrote {path}", highlight=False)
    if save_calibration:
        labelled = [p for s in report.sets if s.elements for p in pairs[s.name]]
        fitted = evals.fit_calibration(
            the_rubric, labelled, fitted_on=[s.name for s in report.sets]
        )
        directory = calibration_dir or settings.cache_dir / "calibration"
        saved = evals.save_calibration(fitted, directory, the_rubric)
        console.print(f"calibration for {len(fitted.elements)} element(s) saved to {saved}")
    stdout = Console()
    for set_report in report.sets:
        stdout.print(rich_table(evals.set_tables(set_report)[0]))
        stdout.print(evals.set_summary(set_report), highlight=False)
    failed = [(s.name, c) for s in report.sets for c in s.gate if not c.passed]
    for name, check in failed:
        console.print(f"[red]below threshold[/red] {name}: {check.describe()}", highlight=False)
    if failed or not any(s.graded for s in report.sets):
        if not failed:
            console.print("[red]nothing was graded[/red]")
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the `eval` command."""
    app.command("eval")(eval_command)
