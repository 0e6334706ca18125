"""Tenants and API keys: create, rotate, list, and authenticate a presented key.

Keys look like ``igk_<key id>_<secret>`` with 256 bits of secret; the database keeps only
the SHA-256 of the whole key, so a leaked table yields no usable key. The key id finds the
row, then `hmac.compare_digest` compares the hashes in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from app._errors import AuthenticationError, NotFoundError, ScopeError
from app.storage import TENANT_PATTERN, ApiKey, Tenant, utcnow
from grader._errors import InputError

__all__ = [
    "SCOPES",
    "Caller",
    "IssuedKey",
    "Scope",
    "authenticate",
    "create_key",
    "ensure_tenant",
    "hash_key",
    "list_keys",
    "revoke_key",
    "rotate_key",
]

Scope = Literal["grade", "coach", "review", "admin"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
_PREFIX = "igk"
_KEY = re.compile(rf"^{_PREFIX}_([A-Za-z0-9]{{16}})_([A-Za-z0-9_-]{{43}})$")


def hash_key(key: str) -> str:
    """SHA-256 hex of a key (a 256-bit random secret needs no slow hash)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedKey:
    """A key as shown once at creation: the secret is not stored anywhere."""

    key: str
    record: ApiKey


@dataclass(frozen=True)
class Caller:
    """Who is asking: the tenant comes from the key alone."""

    tenant_id: str
    key_id: str
    scopes: frozenset[str]

    def require(self, scope: Scope) -> None:
        """Raise `ScopeError` unless the key has `scope` (admin has every scope)."""
        if scope not in self.scopes and "admin" not in self.scopes:
            raise ScopeError(scope)


def _check_scopes(scopes: list[str]) -> list[str]:
    if not scopes:
        raise InputError(f"a key needs at least one scope ({', '.join(SCOPES)})")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown:
        raise InputError(f"unknown scope(s) {', '.join(unknown)}; use {', '.join(SCOPES)}")
    return sorted(set(scopes))


def ensure_tenant(session: Session, tenant_id: str, name: str | None = None) -> Tenant:
    """The tenant, created if new (ids: lowercase letters, digits, dashes)."""
    if not re.fullmatch(TENANT_PATTERN, tenant_id):
        raise InputError(f"tenant {tenant_id!r}: use 1-63 lowercase letters, digits and dashes")
    tenant = session.get(Tenant, tenant_id)
    if tenant is None:
        tenant = Tenant(id=tenant_id, name=name or tenant_id)
        session.add(tenant)
        session.flush()
    return tenant


def create_key(session: Session, tenant_id: str, scopes: list[str], name: str = "") -> IssuedKey:
    """A new key for the tenant (created if new)."""
    chosen = _check_scopes(scopes)
    ensure_tenant(session, tenant_id)
    key_id = "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16))
    key = f"{_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}"
    record = ApiKey(
        id=key_id, tenant_id=tenant_id, name=name, key_hash=hash_key(key), scopes=chosen
    )
    session.add(record)
    session.flush()
    return IssuedKey(key, record)


def revoke_key(session: Session, key_id: str) -> ApiKey:
    """Mark a key revoked (kept for the audit trail)."""
    record = session.get(ApiKey, key_id)
    if record is None:
        raise NotFoundError("key", key_id)
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    return record


def rotate_key(session: Session, key_id: str) -> IssuedKey:
    """A new key with the same tenant, scopes and name; the old one is revoked."""
    old = session.get(ApiKey, key_id)
    if old is None or old.revoked_at is not None:
        raise NotFoundError("active key", key_id)
    issued = create_key(session, old.tenant_id, list(old.scopes), old.name)
    issued.record.rotated_from = old.id
    old.revoked_at = utcnow()
    return issued


def list_keys(session: Session, tenant_id: str | None = None) -> list[ApiKey]:
    """Keys, newest first, of one tenant or all."""
    query = select(ApiKey).order_by(ApiKey.created_at.desc())
    if tenant_id is not None:
        query = query.where(ApiKey.tenant_id == tenant_id)
    return list(session.scalars(query))


def authenticate(session: Session, presented: str | None) -> Caller:
    """The caller behind a presented key, or `AuthenticationError` (same message for all)."""
    refused = AuthenticationError("missing, unknown or revoked API key")
    if not presented:
        raise AuthenticationError("missing API key: send 'Authorization: Bearer <key>'")
    match = _KEY.fullmatch(presented.strip())
    if match is None:
        raise refused
    record = session.get(ApiKey, match.group(1))
    digest = hash_key(presented.strip())
    expected = record.key_hash if record is not None else hash_key(secrets.token_hex(16))
    if not hmac.compare_digest(digest, expected) or record is None or record.revoked_at:
        raise refused
    return Caller(record.tenant_id, record.id, frozenset(record.scopes))
