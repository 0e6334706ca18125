"""`grader keys create|rotate|revoke|list` and `grader keys limits`: tenants' API keys.

A key is printed once, on stdout, at creation or rotation; only its hash is stored.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from app import create_key, list_keys, revoke_key, rotate_key
from app._tenancy import ensure_tenant
from app.storage import Database, open_database, upgrade
from grader._errors import GraderError, InputError
from grader._settings import get_settings

__all__ = ["register"]

keys_app = typer.Typer(help="Create, rotate, revoke and list API keys.", no_args_is_help=True)
_err = Console(stderr=True, soft_wrap=True)

Tenant = Annotated[str, typer.Option("--tenant", help="Tenant id (created if new).")]


def _database() -> Database:
    database = open_database(get_settings().database)
    upgrade(database.engine)
    return database


def _fail(exc: GraderError) -> typer.Exit:
    _err.print(f"[red]error[/red]: {escape(str(exc))}", highlight=False)
    return typer.Exit(2 if isinstance(exc, InputError) else 1)


@keys_app.command("create")
def create(
    tenant: Tenant,
    scope: Annotated[
        list[str], typer.Option("--scope", help="grade, coach, review or admin (repeatable).")
    ],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "",
) -> None:
    """Create a key; it is printed once (stdout) and stored only as a hash."""
    try:
        with _database().session() as session:
            issued = create_key(session, tenant, scope, name)
            key_id, scopes = issued.record.id, issued.record.scopes
    except GraderError as exc:
        raise _fail(exc) from exc
    _err.print(f"key {key_id} for tenant {tenant}, scopes {', '.join(scopes)}", highlight=False)
    typer.echo(issued.key)


@keys_app.command("rotate")
def rotate(key_id: Annotated[str, typer.Argument(help="The key id (`grader keys list`).")]) -> None:
    """Replace a key with a new one (same tenant and scopes); the old one stops working."""
    try:
        with _database().session() as session:
            issued = rotate_key(session, key_id)
            new_id = issued.record.id
    except GraderError as exc:
        raise _fail(exc) from exc
    _err.print(f"key {key_id} revoked; new key {new_id}", highlight=False)
    typer.echo(issued.key)


@keys_app.command("revoke")
def revoke(key_id: Annotated[str, typer.Argument(help="The key id.")]) -> None:
    """Stop a key working (it stays listed)."""
    try:
        with _database().session() as session:
            revoke_key(session, key_id)
    except GraderError as exc:
        raise _fail(exc) from exc
    _err.print(f"key {key_id} revoked", highlight=False)


@keys_app.command("list")
def list_command(
    tenant: Annotated[str | None, typer.Option("--tenant", help="Only this tenant.")] = None,
) -> None:
    """Keys (never the secrets): id, tenant, scopes, created, revoked."""
    table = Table(title="API keys")
    for column in ("id", "tenant", "name", "scopes", "created", "revoked"):
        table.add_column(column)
    with _database().session() as session:
        for key in list_keys(session, tenant):
            table.add_row(
                key.id, key.tenant_id, key.name, ",".join(key.scopes),
                f"{key.created_at:%Y-%m-%d %H:%M}",
                f"{key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "",
            )  # fmt: skip
    Console(width=200).print(table)


@keys_app.command("limits")
def limits(
    tenant: Tenant,
    rate_limit: Annotated[
        int | None, typer.Option("--rate-limit", min=1, help="Requests per minute.")
    ] = None,
    tokens_per_day: Annotated[
        int | None, typer.Option("--tokens-per-day", min=1, help="Model tokens per UTC day.")
    ] = None,
) -> None:
    """Set a tenant's own limits (unset ones follow the service's settings)."""
    try:
        with _database().session() as session:
            row = ensure_tenant(session, tenant)
            if rate_limit is not None:
                row.rate_limit_per_minute = rate_limit
            if tokens_per_day is not None:
                row.tokens_per_day = tokens_per_day
            shown = (row.rate_limit_per_minute, row.tokens_per_day)
    except GraderError as exc:
        raise _fail(exc) from exc
    _err.print(
        f"tenant {tenant}: {shown[0] or 'default'} requests/min, "
        f"{shown[1] or 'default'} tokens/day",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Add the `keys` command group."""
    app.add_typer(keys_app, name="keys")
