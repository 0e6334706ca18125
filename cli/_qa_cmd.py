"""`grader spotlight`, `grader report --by team|location|agent` and `grader review ...`.

Front doors over `app.qa`, on the service's database (settings' `database`): the same
queue, figures and review flow the API serves. Tables print to the terminal; `--csv FILE`
writes the rows too. Exit codes: 0 done, 1 an error, 2 bad input (or nothing found).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.orm import Session

import app.qa as qa
from app.storage import open_database, upgrade
from grader._errors import GraderError, InputError
from grader._settings import get_settings

__all__ = ["register"]

review_app = typer.Typer(
    help="Review grades: override, dispute, decide, export gold labels.", no_args_is_help=True
)
_err = Console(stderr=True, soft_wrap=True)

Tenant = Annotated[str, typer.Option("--tenant", help="Tenant id.")]
Csv = Annotated[Path | None, typer.Option("--csv", help="Also write the rows to this CSV file.")]
Since = Annotated[
    datetime | None, typer.Option(help="Grades made at or after (YYYY-MM-DD or ISO time).")
]
Until = Annotated[datetime | None, typer.Option(help="Grades made before.")]
Actor = Annotated[str, typer.Option("--as", help="Who does this (kept in the audit trail).")]


@contextmanager
def _session() -> Iterator[Session]:
    """A session on the service's database; errors become exit codes with the message."""
    try:
        database = open_database(get_settings().database)
        upgrade(database.engine)
        try:
            with database.session() as session:
                yield session
        finally:
            database.close()
    except GraderError as exc:
        _err.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2 if isinstance(exc, InputError) else 1) from exc


def _aware(value: datetime | None) -> datetime | None:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _emit(title: str, header: list[str], rows: list[list[Any]], out: Path | None) -> None:
    table = Table(title=title, title_justify="left")
    for name in header:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*(escape(_fmt(v)) for v in row))
    Console(width=None if Console().is_terminal else 200).print(table)
    if out is not None:
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows([["" if v is None else v for v in row] for row in rows])
        _err.print(f"wrote {out}", highlight=False)


def spotlight_command(
    tenant: Tenant = "default",
    limit: Annotated[int, typer.Option(min=1, help="Entries to show.")] = 20,
    low_score: Annotated[float, typer.Option(help="Overall under this is a low score.")] = 60.0,
    since: Since = None,
    out: Csv = None,
) -> None:
    """The spotlight queue: what a lead should look at first, and why."""
    with _session() as session:
        queue = qa.spotlight_queue(
            session, tenant, since=_aware(since), low_score=low_score, limit=limit
        )
    rows = [
        [
            e.priority,
            e.grade_id,
            e.transcript_id,
            e.agent,
            e.team,
            e.overall,
            e.status,
            e.assignee,
            "; ".join(r.detail for r in e.reasons),
        ]
        for e in queue
    ]
    _emit(
        f"Spotlight: {tenant}",
        [
            "priority",
            "grade",
            "transcript",
            "agent",
            "team",
            "overall",
            "status",
            "assignee",
            "why",
        ],
        rows,
        out,
    )


def report_command(
    by: Annotated[
        qa.Grouping, typer.Option("--by", help="Group by agent, team or location.")
    ] = "team",
    tenant: Tenant = "default",
    since: Since = None,
    until: Until = None,
    out: Csv = None,
) -> None:
    """Scores by agent, team or location, with failure counts and customer ratings."""
    with _session() as session:
        items = qa.qa_items(session, tenant, since=_aware(since), until=_aware(until))
    groups = qa.breakdown(items, by)
    dimensions = sorted({d for g in groups for d in g.dimensions})
    header = [
        by,
        "conversations",
        "overall",
        *dimensions,
        "auto-failed",
        "needs review",
        "csat",
        "csat n",
    ]
    rows = [
        [
            g.group,
            g.conversations,
            g.overall.mean,
            *(g.dimensions[d].mean if d in g.dimensions else None for d in dimensions),
            g.auto_failed,
            g.needs_review,
            g.csat.mean,
            g.csat.n,
        ]
        for g in groups
    ]
    _emit(f"Scores by {by}: {tenant} ({len(items)} graded)", header, rows, out)
    if not groups:
        _err.print(f"no graded conversation has a {by}", highlight=False)


def _parse_labels(pairs: list[str]) -> dict[str, int | None]:
    labels: dict[str, int | None] = {}
    for pair in pairs:
        element, sep, score = pair.partition("=")
        if not sep or not element:
            raise typer.BadParameter(f"{pair!r}: use element=score (score 'na' for N/A)")
        try:
            labels[element] = None if score.strip().lower() == "na" else int(score)
        except ValueError:
            raise typer.BadParameter(f"{pair!r}: the score is a whole number or 'na'") from None
    return labels


@review_app.command("override")
def override(
    grade_id: Annotated[str, typer.Argument(help="The grade (`grader spotlight` lists them).")],
    element: Annotated[str, typer.Argument(help="The element id.")],
    score: Annotated[str, typer.Argument(help="The reviewer's score, or 'na'.")],
    reason: Annotated[str, typer.Option(help="Why the grader was wrong.")],
    actor: Actor,
    tenant: Tenant = "default",
) -> None:
    """Override one element's verdict; a lead then accepts or rejects it."""
    labels = _parse_labels([f"{element}={score}"])
    with _session() as session:
        review = qa.submit_review(
            session, tenant, grade_id, labels, reviewer=actor, reason=reason, kind="override"
        )
    typer.echo(review.id)


@review_app.command("score")
def score(
    grade_id: Annotated[str, typer.Argument(help="The grade.")],
    labels: Annotated[list[str], typer.Argument(help="element=score pairs ('na' for N/A).")],
    actor: Actor,
    reason: Annotated[str, typer.Option(help="A note for the lead.")] = "",
    tenant: Tenant = "default",
) -> None:
    """Score a conversation by hand (any number of elements)."""
    with _session() as session:
        review = qa.submit_review(
            session, tenant, grade_id, _parse_labels(labels), reviewer=actor, reason=reason
        )
    typer.echo(review.id)


ObjectId = Annotated[str, typer.Argument(help="The review or dispute id (`grader review list`).")]
Note = Annotated[str, typer.Option(help="The lead's note.")]
Reject = Annotated[bool, typer.Option("--reject", help="Reject instead of accepting.")]


@review_app.command("decide")
def decide(
    object_id: ObjectId,
    actor: Actor,
    note: Note = "",
    tenant: Tenant = "default",
    reject: Reject = False,
) -> None:
    """A lead accepts a review (a gold label), or rejects it with --reject."""
    with _session() as session:
        done = qa.decide_review(
            session, tenant, object_id, "reject" if reject else "accept", lead=actor, note=note
        )
    typer.echo(f"{done.id} {done.status}")


@review_app.command("resolve")
def resolve(
    object_id: ObjectId,
    actor: Actor,
    note: Note = "",
    tenant: Tenant = "default",
    reject: Reject = False,
) -> None:
    """A lead accepts a dispute (its proposed scores become gold labels), or rejects it."""
    with _session() as session:
        done = qa.decide_dispute(
            session, tenant, object_id, "reject" if reject else "accept", lead=actor, note=note
        )
    typer.echo(f"{done.id} {done.status}")


@review_app.command("dispute")
def dispute(
    grade_id: Annotated[str, typer.Argument(help="The grade.")],
    reason: Annotated[str, typer.Option(help="Why the grade is wrong.")],
    actor: Actor,
    propose: Annotated[
        list[str] | None, typer.Option(help="element=score the agent thinks fair.")
    ] = None,
    tenant: Tenant = "default",
) -> None:
    """An agent disputes a grade."""
    with _session() as session:
        made = qa.raise_dispute(
            session,
            tenant,
            grade_id,
            reason=reason,
            raised_by=actor,
            proposed=_parse_labels(propose or []),
        )
    typer.echo(made.id)


@review_app.command("list")
def list_command(
    tenant: Tenant = "default",
    status: Annotated[str | None, typer.Option(help="submitted, accepted or rejected.")] = None,
    out: Csv = None,
) -> None:
    """Reviews and disputes, oldest first."""
    with _session() as session:
        reviews = qa.list_reviews(session, tenant, status=status)
        disputes = qa.list_disputes(session, tenant)
    rows = [
        [r.id, r.kind, r.grade_id, r.reviewer, r.labels, r.grader_scores, r.status, r.reason]
        for r in reviews
    ]
    rows += [
        [d.id, "dispute", d.grade_id, d.raised_by, d.proposed, d.grader_scores, d.status, d.reason]
        for d in disputes
        if status is None or d.status == status
    ]
    _emit(
        f"Reviews: {tenant}",
        ["id", "kind", "grade", "by", "scores", "grader", "status", "reason"],
        rows,
        out,
    )


@review_app.command("export")
def export(
    out: Annotated[Path, typer.Argument(help="The calibration set to write (.jsonl).")],
    tenant: Tenant = "default",
    grades: Annotated[
        Path | None,
        typer.Option("--grades", help="Also write the grader's grades of them (JSONL)."),
    ] = None,
) -> None:
    """Accepted reviews as a calibration set (`grader eval` / `grader calibrate` read it)."""
    with _session() as session:
        gold = qa.export_gold(session, tenant)
    out.write_text(gold.text, encoding="utf-8")
    if grades is not None:
        grades.write_text("".join(line + "\n" for line in gold.grades), encoding="utf-8")
    _err.print(f"wrote {len(gold.lines)} conversation(s) to {out}", highlight=False)
    if gold.missing_transcripts:
        _err.print(
            f"{len(gold.missing_transcripts)} left out: their transcripts were not kept",
            highlight=False,
        )
    if not gold.lines:
        raise typer.Exit(2)


@review_app.command("audit")
def audit(
    tenant: Tenant = "default",
    object_id: Annotated[
        str | None, typer.Option("--object", help="One review, dispute or grade.")
    ] = None,
    out: Csv = None,
) -> None:
    """Who changed what and when."""
    with _session() as session:
        trail = qa.list_audit(session, tenant, object_id=object_id)
    _emit(
        f"Audit: {tenant}",
        ["#", "at", "who", "action", "object", "detail"],
        [
            [e.id, e.at.isoformat(timespec="seconds"), e.actor, e.action, e.object_id, e.detail]
            for e in trail
        ],
        out,
    )


@review_app.command("webhook")
def webhook(
    provider: Annotated[qa.Provider, typer.Argument(help="chatwoot or zendesk.")],
    tenant: Tenant = "default",
    secret: Annotated[str | None, typer.Option(help="The helpdesk's signing secret.")] = None,
    url_token: Annotated[
        bool, typer.Option("--url-token", help="Also issue a URL token (unsigned senders).")
    ] = False,
) -> None:
    """Set a tenant's webhook secret; prints the URL path to give the helpdesk."""
    from app._tenancy import ensure_tenant

    with _session() as session:
        ensure_tenant(session, tenant)
        made = qa.configure_webhook(session, tenant, provider, secret=secret, url_token=url_token)
        token = made.url_token
    path = f"/v1/webhooks/{provider}/{tenant}" + (f"?token={token}" if token else "")
    typer.echo(path)


def register(app: typer.Typer) -> None:
    """Add `spotlight`, `report` and the `review` group."""
    app.command("spotlight")(spotlight_command)
    app.command("report")(report_command)
    app.add_typer(review_app, name="review")
