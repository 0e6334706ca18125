"""The caller's own tenant: its limits and today's usage, and its API keys (admin scope)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from api._deps import AdminCaller, CallerDep, SessionDep, SettingsDep, TenantDep
from api._errors import AUTH, responses
from app import Scope, create_key, list_keys, revoke_key, rotate_key, tokens_since
from app._errors import NotFoundError
from app.storage import ApiKey

router = APIRouter(tags=["tenant"])


class TenantPublic(BaseModel):
    """A tenant's limits in effect and what it used today."""

    id: str
    name: str
    rate_limit_per_minute: int
    tokens_per_day: int | None
    tokens_used_today: int


class KeyCreate(BaseModel):
    """A new key of the caller's tenant."""

    scopes: list[Scope] = Field(min_length=1)
    name: str = Field("", max_length=200)


class KeyPublic(BaseModel):
    """A key as listed: never its secret."""

    id: str
    name: str
    scopes: list[str]
    created_at: datetime
    revoked_at: datetime | None
    rotated_from: str | None

    @classmethod
    def of(cls, key: ApiKey) -> KeyPublic:
        """The public body of a key."""
        return cls(
            id=key.id, name=key.name, scopes=list(key.scopes), created_at=key.created_at,
            revoked_at=key.revoked_at, rotated_from=key.rotated_from,
        )  # fmt: skip


class KeyIssued(KeyPublic):
    """A key just made: `key` is shown this once."""

    key: str


class KeysPublic(BaseModel):
    """The tenant's keys, newest first."""

    data: list[KeyPublic]


@router.get("/tenant", responses=responses(*AUTH))
def read_tenant(
    caller: CallerDep, tenant: TenantDep, session: SessionDep, settings: SettingsDep
) -> TenantPublic:
    """The caller's tenant, its limits and today's token use (any scope)."""
    return TenantPublic(
        id=tenant.id, name=tenant.name,
        rate_limit_per_minute=tenant.rate_limit_per_minute or settings.rate_limit_per_minute,
        tokens_per_day=tenant.tokens_per_day or settings.tokens_per_day,
        tokens_used_today=tokens_since(session, tenant.id),
    )  # fmt: skip


def _own(session: SessionDep, tenant_id: str, key_id: str) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None or key.tenant_id != tenant_id:
        raise NotFoundError("key", key_id)
    return key


@router.get("/keys", responses=responses(*AUTH))
def read_keys(caller: AdminCaller, session: SessionDep) -> KeysPublic:
    """The tenant's keys (never their secrets)."""
    return KeysPublic(data=[KeyPublic.of(k) for k in list_keys(session, caller.tenant_id)])


@router.post("/keys", status_code=201, responses=responses(*AUTH, 422))
def make_key(body: KeyCreate, caller: AdminCaller, session: SessionDep) -> KeyIssued:
    """A new key of the caller's tenant; its secret is in this answer only."""
    issued = create_key(session, caller.tenant_id, list(body.scopes), body.name)
    return KeyIssued(**KeyPublic.of(issued.record).model_dump(), key=issued.key)


@router.post("/keys/{key_id}/rotate", status_code=201, responses=responses(*AUTH, 404))
def rotate(key_id: str, caller: AdminCaller, session: SessionDep) -> KeyIssued:
    """Replace a key with a new one (same scopes); the old one stops working."""
    _own(session, caller.tenant_id, key_id)
    issued = rotate_key(session, key_id)
    return KeyIssued(**KeyPublic.of(issued.record).model_dump(), key=issued.key)


@router.delete("/keys/{key_id}", status_code=204, responses=responses(*AUTH, 404))
def revoke(key_id: str, caller: AdminCaller, session: SessionDep) -> None:
    """Revoke a key (it stays listed)."""
    _own(session, caller.tenant_id, key_id)
    revoke_key(session, key_id)
