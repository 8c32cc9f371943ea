"""The tables of the back-office interface (`runtime.cases.api_tokens`,
`runtime.cases.webhooks`, `runtime.cases.machine_submitting`; migration 0013).

A token is shown once and stored only as its SHA-256 (it is 32 random bytes, so a plain
hash is as strong as a slow one). A webhook secret must be read to sign, so it is kept
encrypted (Fernet, key derived from the secret key), never in clear.
"""
from __future__ import annotations

from datetime import datetime
from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .models import Base, JSONDocument, Timestamp, utc_now


class ApiToken(Base):
    """A back-office system's access to one institution of one municipality, with scopes."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[str] = mapped_column(String(64), index=True)
    institution_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[list[str]] = mapped_column(JSONDocument)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))        # the first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    expires_at: Mapped[datetime | None] = mapped_column(Timestamp)      # null: until revoked (migration 0016)


class WebhookEndpoint(Base):
    """Where an institution's back office wants to hear of its cases (Standard Webhooks)."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[str] = mapped_column(String(64), index=True)
    institution_id: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSONDocument)
    secret_sealed: Mapped[str] = mapped_column(Text)       # Fernet token of the whsec_ secret
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
    disabled_at: Mapped[datetime | None] = mapped_column(Timestamp)


class ApiIdempotencyKey(Base):
    """An application a machine sent with an `Idempotency-Key`: the same key from the same
    institution gives the same case again, never a second one."""

    __tablename__ = "api_idempotency_keys"
    __table_args__ = (UniqueConstraint("token_institution", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_institution: Mapped[str] = mapped_column(String(170))    # "<municipality>/<institution>"
    key: Mapped[str] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utc_now)
