"""Dependencies as `Annotated` aliases: settings, database, session, the caller and its scope.

    @router.get("/grades/{grade_id}")
    def read(grade_id: str, caller: GradeCaller, session: SessionDep) -> GradePublic: ...

Settings come from `get_settings`, which `create_app(settings)` overrides and tests may
override again (`app.dependency_overrides[get_settings]`). The caller comes from the
`Authorization: Bearer <key>` header alone; every request of a tenant is rate limited.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app._limits import RateLimiter
from app._tenancy import Caller, Scope, authenticate
from app.storage import Database, Tenant, open_database, upgrade
from grader._settings import Settings, get_settings

__all__ = [
    "AdminCaller",
    "CallerDep",
    "CoachCaller",
    "DatabaseDep",
    "GradeCaller",
    "ReviewCaller",
    "SessionDep",
    "SettingsDep",
    "TenantDep",
    "get_database",
    "get_session",
    "require_scope",
]

SettingsDep = Annotated[Settings, Depends(get_settings)]

_lock = threading.Lock()


def get_database(request: Request, settings: SettingsDep) -> Database:
    """The process's database for the settings' URL, migrated to head on first use."""
    databases: dict[str, Database] = request.app.state.databases
    url = settings.database
    with _lock:
        if url not in databases:
            database = open_database(url)
            upgrade(database.engine)
            databases[url] = database
        return databases[url]


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_session(database: DatabaseDep) -> Iterator[Session]:
    """A session committed when the route returns (before the response), else rolled back."""
    with database.sessions.begin() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

_bearer = HTTPBearer(auto_error=False, description="An API key: `grader keys create`.")


def get_caller(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    """The caller behind the bearer key, counted against its tenant's rate limit."""
    caller = authenticate(session, credentials.credentials if credentials else None)
    tenant = session.get(Tenant, caller.tenant_id)
    per_minute = (
        tenant.rate_limit_per_minute if tenant else None
    ) or settings.rate_limit_per_minute
    limiter: RateLimiter = request.app.state.limiter
    limiter.hit(caller.tenant_id, per_minute)
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


def require_scope(scope: Scope) -> Callable[[Caller], Caller]:
    """A dependency giving the caller when its key has `scope` (403 otherwise)."""

    def dependency(caller: CallerDep) -> Caller:
        caller.require(scope)
        return caller

    dependency.__name__ = f"require_{scope}"
    return dependency


GradeCaller = Annotated[Caller, Depends(require_scope("grade"))]
CoachCaller = Annotated[Caller, Depends(require_scope("coach"))]
ReviewCaller = Annotated[Caller, Depends(require_scope("review"))]
AdminCaller = Annotated[Caller, Depends(require_scope("admin"))]


def get_tenant(caller: CallerDep, session: SessionDep) -> Tenant:
    """The caller's tenant row (its limits)."""
    tenant = session.get(Tenant, caller.tenant_id)
    assert tenant is not None  # a key's tenant exists (foreign key)
    return tenant


TenantDep = Annotated[Tenant, Depends(get_tenant)]
