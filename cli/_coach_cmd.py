"""`grader ingest ...`, `grader suggest`, `grader rewrite`, `grader detect`: the reply coach.

The store lives in `--store DIR`, else `GRADER_STORE_DIR`, else
``~/.local/share/interaction-grader/store``; `--tenant` keeps teams apart in one store.
"""

from __future__ import annotations

import asyncio
import logging
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from grader._errors import GraderError, InputError
from grader._settings import Settings
from grader._transcript import Role, Turn

if TYPE_CHECKING:
    from retrieval import Suggestion

__all__ = ["register"]

ingest_app = typer.Typer(
    help="Load model answers and policies into the coach's store.", no_args_is_help=True
)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Store directory (default: "
        "$GRADER_STORE_DIR or ~/.local/share/"
        "interaction-grader/store).",
    ),
]
TenantOpt = Annotated[str, typer.Option(help="Tenant: each has its own collections.")]
ModelOpt = Annotated[str | None, typer.Option(help="'local' or any litellm model string.")]
ApiBaseOpt = Annotated[str | None, typer.Option("--api-base", help="OpenAI-compatible base URL.")]
NoCacheOpt = Annotated[
    bool, typer.Option("--no-cache", help="Ignore and do not use the answer cache.")
]
Tone = Literal["friendly", "professional", "concise"]
Operation = Literal["improve", "fix_grammar", "shorten", "friendlier", "more_professional"]


def _fail(console: Console, exc: GraderError) -> typer.Exit:
    label = "bad input" if isinstance(exc, InputError) else "error"
    console.print(f"[red]{label}[/red]: {escape(str(exc))}", highlight=False)
    return typer.Exit(2 if isinstance(exc, InputError) else 1)


def _ingest(
    kind: Literal["model_answers", "policies"],
    files: list[Path],
    store_dir: Path | None,
    tenant: str,
) -> int:
    """Ingest every file; returns how many records were skipped."""
    from retrieval import KnowledgeStore, ingest_file

    console = Console(stderr=True, soft_wrap=True)
    skipped = 0
    try:
        store = KnowledgeStore(store_dir, tenant=tenant)
        for file in files:
            report = ingest_file(store, kind, file)
            c = report.counts
            console.print(
                f"{file}: {c.added} added, {c.updated} updated, {c.unchanged} unchanged, "
                f"{len(report.issues)} skipped",
                highlight=False,
            )
            for issue in report.issues:
                console.print(f"  [yellow]skipped[/yellow] {escape(str(issue))}", highlight=False)
            for dup in report.near_duplicates:
                console.print(
                    f"  [cyan]near-duplicate[/cyan] {dup.id} ~ {dup.other_id} "
                    f"(similarity {dup.similarity:.3f})",
                    highlight=False,
                )
            skipped += len(report.issues)
        console.print(
            f"store {store.path} (tenant {tenant}): {store.count(kind)} {kind.replace('_', ' ')}",
            highlight=False,
        )
    except GraderError as exc:
        raise _fail(console, exc) from exc
    return skipped


@ingest_app.command("model-answers")
def ingest_model_answers(
    files: Annotated[list[Path], typer.Argument(help="Files: .jsonl, .csv or .yaml.")],
    store: StoreOpt = None,
    tenant: TenantOpt = "default",
) -> None:
    """Upsert model answers by id. Exit 0: all loaded; 1: bad records skipped; 2: bad file."""
    if _ingest("model_answers", files, store, tenant):
        raise typer.Exit(1)


@ingest_app.command("policies")
def ingest_policies(
    files: Annotated[list[Path], typer.Argument(help="Files: .jsonl, .csv or .yaml.")],
    store: StoreOpt = None,
    tenant: TenantOpt = "default",
) -> None:
    """Upsert policies by id. Exit 0: all loaded; 1: bad records skipped; 2: bad file."""
    if _ingest("policies", files, store, tenant):
        raise typer.Exit(1)


@ingest_app.command("starter")
def ingest_starter(store: StoreOpt = None, tenant: TenantOpt = "default") -> None:
    """Load the starter library shipped with the coach (policies and model answers)."""
    data = resources.files("retrieval").joinpath("data")
    with resources.as_file(data) as folder:
        skipped = _ingest("policies", [Path(folder) / "policies.yaml"], store, tenant)
        skipped += _ingest("model_answers", [Path(folder) / "model_answers.yaml"], store, tenant)
    if skipped:
        raise typer.Exit(1)


def _settings(model: str | None, api_base: str | None, no_cache: bool) -> Settings:
    """Settings from the environment, with the command's flags on top."""
    overrides: dict[str, Any] = {"model": model, "api_base": api_base}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    return settings.model_copy(update={"use_cache": False}) if no_cache else settings


def _context(
    path: Path | None, draft: str | None, draft_turn: int | None, transcript_id: str | None
) -> tuple[list[Turn], str]:
    """The turns before the draft, and the draft (given, or taken from turn `draft_turn`).

    A conversation with customer turns only is valid context; without `--context` the draft
    stands alone.
    """
    from retrieval import load_conversation

    turns = load_conversation(path, transcript_id) if path is not None else []
    if draft_turn is not None:
        if not 0 <= draft_turn < len(turns) or turns[draft_turn].role is Role.CUSTOMER:
            raise InputError(f"--draft-turn {draft_turn}: not an agent-side turn of {path}")
        return list(turns[:draft_turn]), turns[draft_turn].text
    if not draft:
        raise InputError("give the draft with --draft TEXT or --draft-turn N")
    return list(turns), draft


def _show(suggestion: Suggestion, console: Console) -> None:
    colour = {"ok": "green", "flagged": "yellow", "rejected": "red", "failed": "red"}
    title = f"suggestion: [{colour[suggestion.status]}]{suggestion.status}[/] ({suggestion.source})"
    console.print(Panel(suggestion.reply or suggestion.error or "", title=title, expand=False))
    if suggestion.parts:
        table = Table(show_header=False, box=None)
        for part in ("acknowledgement", "alternatives", "reason", "next_step"):
            table.add_row(part, getattr(suggestion.parts, part))
        console.print(table)
    cited = ", ".join(suggestion.cited_policy_ids + suggestion.cited_answer_ids) or "none"
    console.print(f"cited: {cited}", highlight=False)
    if suggestion.coaching_note:
        console.print(f"coaching note: {suggestion.coaching_note}", highlight=False)
    for span in suggestion.policy_speak:
        console.print(f'draft policy-speak: "{span.phrase}" ({span.reason})', highlight=False)
    for c in suggestion.commitments:
        console.print(f"commitment {c.kind}: backed by {', '.join(c.backed_by)}", highlight=False)
    if suggestion.checks:
        checks = suggestion.checks
        verdict = "passed" if checks.passed else "; ".join(checks.problems)
        console.print(
            f"judges (framing, courtesy): draft {checks.draft_scores}, suggestion "
            f"{checks.suggestion_scores} -> {verdict}",
            highlight=False,
        )
    for flag in suggestion.flags:
        console.print(f"[yellow]flag[/yellow] {escape(flag)}", highlight=False)


async def _suggest(
    turns: list[Turn],
    draft: str,
    tone: Tone,
    settings: Settings,
    store_dir: Path | None,
    tenant: str,
    stream: bool,
    console: Console,
) -> Suggestion | None:
    from retrieval import KnowledgeStore, coach, is_capable, stream_suggestion

    store = KnowledgeStore(store_dir, tenant=tenant)
    llm = settings.build_llm()
    if stream and is_capable(llm):
        async for chunk in stream_suggestion(draft, turns, store, llm, tone=tone):
            console.print(chunk, end="", highlight=False, markup=False, soft_wrap=True)
        console.print()
        return None
    suggestion = await coach(store, llm, use_cache=settings.use_cache)(draft, turns, tone)
    if stream:  # the grounded reply is ready at once: said sentence by sentence, checked
        console.print(suggestion.reply or suggestion.error or "", highlight=False, markup=False)
        return None
    return suggestion


def suggest(
    context: Annotated[
        Path | None,
        typer.Option(
            "--context",
            help="Transcript file: the conversation so far (customer turns only is fine).",
        ),
    ] = None,
    draft: Annotated[str | None, typer.Option(help="The agent's draft reply.")] = None,
    draft_turn: Annotated[
        int | None,
        typer.Option(
            "--draft-turn",
            help="Use turn N of the file as the draft (0-based) and the turns before it as context.",
        ),
    ] = None,
    transcript_id: Annotated[
        str | None, typer.Option("--id", help="Which transcript of the file (default: the first).")
    ] = None,
    tone: Annotated[Tone, typer.Option(help="friendly, professional or concise.")] = "friendly",
    store: StoreOpt = None,
    tenant: TenantOpt = "default",
    model: ModelOpt = None,
    api_base: ApiBaseOpt = None,
    no_cache: NoCacheOpt = False,
    stream: Annotated[
        bool, typer.Option("--stream", help="Print the reply as it is written (text only).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the suggestion as JSON.")] = False,
) -> None:
    """Suggest a reframed reply. Exit 0: ok; 1: flagged, rejected or failed; 2: bad input.

    On the embedded default the reply is composed from the store (no model call); a hosted
    model rewrites that grounded reply. Either way it is checked before it is shown.
    """
    console = Console(stderr=True, soft_wrap=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        settings = _settings(model, api_base, no_cache)
        turns, text = _context(context, draft, draft_turn, transcript_id)
        result = asyncio.run(
            _suggest(turns, text, tone, settings, store, tenant, stream, Console())
        )
    except GraderError as exc:
        raise _fail(console, exc) from exc
    if result is None:
        return
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        _show(result, Console(soft_wrap=True))
    if result.status != "ok":
        raise typer.Exit(1)


def rewrite(
    operation: Annotated[
        Operation,
        typer.Argument(help="improve, fix_grammar, shorten, friendlier or more_professional."),
    ],
    draft: Annotated[str, typer.Option(help="The reply to edit.")],
    context: Annotated[
        Path | None, typer.Option("--context", help="Transcript file, for context only.")
    ] = None,
    model: ModelOpt = None,
    api_base: ApiBaseOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Edit a reply without adding information. Exit 0: edited; 1: left unchanged; 2: bad input."""
    from retrieval import rewrite as run_rewrite

    console = Console(stderr=True, soft_wrap=True)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        settings = _settings(model, api_base, no_cache)
        turns = _context(context, draft, None, None)[0] if context else []
        result = asyncio.run(
            run_rewrite(
                draft, operation, settings.build_llm(), context=turns, use_cache=settings.use_cache
            )
        )
    except GraderError as exc:
        raise _fail(console, exc) from exc
    typer.echo(result.text)
    if result.status != "ok":
        console.print(f"[yellow]unchanged[/yellow]: {escape(result.error or '')}", highlight=False)
        raise typer.Exit(1)


def detect(draft: Annotated[str, typer.Option(help="The reply to check.")]) -> None:
    """Find curt policy-speak in a reply. Exit 0: none found; 1: found."""
    from retrieval import default_detector

    found = default_detector()(draft)
    for span in found.spans:
        typer.echo(
            f"{span.start}-{span.end} {span.kind} ({span.found_by}, {span.score:.2f}): "
            f'"{span.phrase}" - {span.reason}'
        )
    if found.flagged:
        raise typer.Exit(1)
    typer.echo(f"no policy-speak found (score {found.score:.2f})")


def register(app: typer.Typer) -> None:
    """Add `ingest`, `suggest`, `rewrite` and `detect`."""
    app.add_typer(ingest_app, name="ingest")
    app.command("suggest")(suggest)
    app.command("rewrite")(rewrite)
    app.command("detect")(detect)
