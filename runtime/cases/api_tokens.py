"""API tokens: a back-office system's access to the cases of one institution.

A token is `pkip_` and 32 random bytes (URL-safe base64), shown once when it is made; the
database keeps only its SHA-256 (a random 256-bit secret needs no slow hash: there is
nothing to guess) and its first characters, so a listing can tell tokens apart. A token
is revoked by setting `revoked_at`: from the next request on it opens nothing; one made
with an expiry (`expires_days`) opens nothing from `expires_at` on. Its scopes
(`access.API_SCOPES`) become the actions of its role (`access.StaffRole.of_token`), so the
one policy decides what it may see and do.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import or_, select, update

from ..storage.api_models import ApiToken
from ..storage.database import Database
from .access import API_SCOPES, Actor, StaffRole
from .clock import Clock

TOKEN_PREFIX = "pkip_"
TOKEN_BYTES = 32
SHOWN_PREFIX = 12          # "pkip_" and 7 characters: enough to tell tokens apart, nothing to guess with
MAX_TOKEN_LENGTH = 100
MAX_EXPIRY_DAYS = 3660      # ten years: a longer expiry is a mistake, not a choice


class TokenError(ValueError):
    """A token cannot be made or changed as asked; the message says why."""


@dataclass(frozen=True)
class TokenGrant:
    """What a presented token opens."""
    id: int
    municipality_id: str
    institution_id: str
    scopes: frozenset[str]

    def actor(self) -> Actor:
        return Actor(roles=(StaffRole.of_token(self.municipality_id, self.institution_id, self.scopes),),
                     api_token_id=self.id)

    @property
    def client(self) -> str:
        """The institution the token speaks for, as `<municipality>/<institution>`."""
        return f"{self.municipality_id}/{self.institution_id}"


@dataclass(frozen=True)
class TokenListing:
    id: int
    municipality_id: str
    institution_id: str
    name: str
    scopes: tuple[str, ...]
    prefix: str
    created_at: Any
    revoked: bool
    expires_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_scopes(text: str | list[str]) -> tuple[str, ...]:
    """`cases:read,cases:write` (or a list) as the known scopes, in their order."""
    names = text.split(",") if isinstance(text, str) else list(text)
    chosen = {name.strip() for name in names if name.strip()}
    unknown = sorted(chosen - set(API_SCOPES))
    if unknown:
        raise TokenError(f"unknown scope {', '.join(unknown)}; the scopes are: {', '.join(API_SCOPES)}")
    if not chosen:
        raise TokenError(f"give at least one scope: {', '.join(API_SCOPES)}")
    return tuple(scope for scope in API_SCOPES if scope in chosen)


def check_institution(catalogue: Any, municipality_id: str, institution_id: str) -> None:
    municipality = catalogue.municipalities.get(municipality_id)
    if municipality is None:
        raise TokenError(f"unknown municipality {municipality_id!r}")
    if institution_id not in municipality.institutions:
        known = ", ".join(sorted(municipality.institutions)) or "none"
        raise TokenError(f"{municipality_id} has no institution {institution_id!r} (it has: {known})")


def expiry(expires_days: int | None, clock: Clock) -> datetime | None:
    if expires_days is None:
        return None
    if not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"a token expires after 1 to {MAX_EXPIRY_DAYS} days, not {expires_days}")
    return clock.now() + timedelta(days=expires_days)


def create_token(database: Database, catalogue: Any, *, municipality_id: str, institution_id: str,
                 scopes: str | list[str], name: str, expires_days: int | None = None, clock: Clock | None = None,
                 audit: Any = None) -> tuple[TokenListing, str]:
    """A new token for the institution: its listing and the token itself (shown once).
    `audit(session, listing)`, when given, records it in the same transaction."""
    check_institution(catalogue, municipality_id, institution_id)
    chosen = parse_scopes(scopes)
    expires_at = expiry(expires_days, clock or Clock())
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(municipality_id=municipality_id, institution_id=institution_id, name=(name or "").strip()[:200],
                   scopes=list(chosen), token_hash=token_digest(token), prefix=token[:SHOWN_PREFIX],
                   expires_at=expires_at)
    with database.transaction() as session:
        session.add(row)
        session.flush()
        listing = _listing(row)
        if audit is not None:
            audit(session, listing)
    return listing, token


def list_tokens(database: Database, municipality_id: str | None = None) -> list[TokenListing]:
    return listed(database, ApiToken, municipality_id, _listing)


def revoke_token(database: Database, token_id: int, clock: Clock) -> TokenListing:
    return end_once(database, ApiToken, token_id, "revoked_at", clock, _listing, "token")


def listed(database: Database, model: Any, municipality_id: str | None, to_listing: Any) -> list[Any]:
    """Every row of a back-office table (of one municipality), as listings, by institution."""
    statement = select(model).order_by(model.municipality_id, model.institution_id, model.id)
    if municipality_id:
        statement = statement.where(model.municipality_id == municipality_id)
    with database.transaction() as session:
        return [to_listing(row) for row in session.scalars(statement)]


def end_once(database: Database, model: Any, row_id: int, column: str, clock: Clock, to_listing: Any,
             what: str) -> Any:
    """Set the row's end (`revoked_at`, `disabled_at`) unless it is set already; its listing."""
    ended = getattr(model, column)
    with database.transaction() as session:
        session.execute(update(model).where(model.id == row_id, ended.is_(None))
                        .values({column: clock.now()}).execution_options(synchronize_session=False))
        row = session.get(model, row_id)
        if row is None:
            raise TokenError(f"no {what} with id {row_id}")
        return to_listing(row)


def authenticate(database: Database, presented: str | None, now: datetime | None = None) -> TokenGrant | None:
    """What the token opens, or None for no token, an unknown one, a revoked or an expired one."""
    if not presented or not presented.startswith(TOKEN_PREFIX) or len(presented) > MAX_TOKEN_LENGTH:
        return None
    now = now or Clock().now()
    with database.transaction() as session:
        row = session.execute(select(ApiToken.id, ApiToken.municipality_id, ApiToken.institution_id,
                                     ApiToken.scopes)
                              .where(ApiToken.token_hash == token_digest(presented),
                                     ApiToken.revoked_at.is_(None),
                                     or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))).first()
    if row is None:
        return None
    return TokenGrant(id=row.id, municipality_id=row.municipality_id, institution_id=row.institution_id,
                      scopes=frozenset(row.scopes or ()))


def _listing(row: ApiToken) -> TokenListing:
    return TokenListing(id=row.id, municipality_id=row.municipality_id, institution_id=row.institution_id,
                        name=row.name, scopes=tuple(row.scopes or ()), prefix=row.prefix,
                        created_at=row.created_at, revoked=row.revoked_at is not None, expires_at=_utc(row.expires_at))


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite gives a stored UTC moment back without its zone."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment
