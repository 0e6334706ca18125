"""Tenants and their API keys.

A key is shown once, at creation, as ``igk_<key id>_<secret>``; only the SHA-256 of the
whole key is kept. The key id finds the row, then the hashes are compared in constant time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.storage._base import Base, utcnow

__all__ = ["ApiKey", "Tenant"]


class Tenant(Base):
    """A customer of the service; every row with its data carries its id."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(63), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Requests per minute; None: the service default.
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Model tokens per UTC day; None: the service default (unlimited when that is unset).
    tokens_per_day: Mapped[int | None] = mapped_column(Integer, default=None)

    keys: Mapped[list[ApiKey]] = relationship(back_populates="tenant", cascade="all, delete-orphan")


class ApiKey(Base):
    """A hashed API key with scopes (grade, coach, review, admin)."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    #: The key this one replaced (`grader keys rotate`).
    rotated_from: Mapped[str | None] = mapped_column(String(40), default=None)

    tenant: Mapped[Tenant] = relationship(back_populates="keys")
