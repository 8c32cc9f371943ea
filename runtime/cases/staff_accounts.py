"""Staff accounts: create, list, disable, sign in with a password, sessions.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
recommended setting). After `MAX_FAILURES` wrong passwords in a row the account is locked
for `LOCK_MINUTES`; a sign-in with an unknown e-mail costs the same hash as a known one,
so timing does not tell which addresses exist. A session is a random token in a cookie;
the database keeps only its SHA-256 and an expiry, so signing out or disabling an account
ends it at once.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ..storage.database import Database
from ..storage.models import StaffRoleGrant, StaffSession, StaffUser
from .access import CLERK, COMMISSION_MEMBER, PLATFORM_ADMIN, STAFF_ROLES, Actor, StaffRole
from .clock import Clock

MAX_FAILURES = 5
LOCK_MINUTES = 15
SESSION_HOURS = 8
MIN_PASSWORD = 12
MAX_PASSWORD = 1024       # argon2 hashes anything, but nobody types more
LANGUAGES = ("lv", "en")  # as the interface's (`runtime.i18n.LANGUAGES`; cases do not import it)
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so that both cost the same. A hash made once
# (of a random password nobody kept) and written here, with the hasher's parameters (a test
# checks them): hashing it on import cost every web worker about 64 MB and a second of
# argon2 at start-up, and the result of this check is thrown away anyway.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$E8/4kJKVVPEEXTRrxCSuRw$KtrNL/4X26w6toQE1+uK5qM6201Z0gS7AhlKSIK6Nzk"


class AccountError(ValueError):
    """A staff account cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class Grant:
    role: str
    municipality_id: str | None
    institution_id: str | None = None


@dataclass(frozen=True)
class StaffMember:
    id: int
    email: str
    name: str
    disabled: bool
    grants: tuple[Grant, ...]
    language: str = LANGUAGES[0]

    def actor(self) -> Actor:
        roles = tuple(StaffRole.of_kind(g.role, g.municipality_id or "", g.institution_id) for g in self.grants)
        return Actor(roles=roles, staff_user_id=self.id)

    def municipalities(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.municipality_id for g in self.grants if g.municipality_id))


def normal_email(email: str) -> str:
    value = (email or "").strip().lower()
    if not EMAIL.match(value) or len(value) > 254:
        raise AccountError(f"{email!r} is not an e-mail address")
    return value


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"the password may have at most {MAX_PASSWORD} characters")


def check_grant(catalogue: Any, grant: Grant) -> None:
    """The role exists, and so do its municipality and institution in the catalogue."""
    if grant.role not in STAFF_ROLES:
        raise AccountError(f"unknown role {grant.role!r}; the roles are: {', '.join(STAFF_ROLES)}")
    if grant.role == PLATFORM_ADMIN:
        if grant.municipality_id or grant.institution_id:
            raise AccountError("a platform admin belongs to no municipality or institution")
        return
    municipality = catalogue.municipalities.get(grant.municipality_id or "")
    if municipality is None:
        raise AccountError(f"unknown municipality {grant.municipality_id!r}")
    if grant.institution_id is not None and grant.institution_id not in municipality.institutions:
        known = ", ".join(sorted(municipality.institutions)) or "none"
        raise AccountError(f"{grant.municipality_id} has no institution {grant.institution_id!r} (it has: {known})")
    if grant.role == CLERK and grant.institution_id is None:
        raise AccountError("a clerk works in an institution: give --institution")


def find_user(session: Session, email: str) -> StaffUser | None:
    return session.scalars(select(StaffUser).where(StaffUser.email == normal_email(email))).first()


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise AccountError(f"unknown language {language!r}; the languages are: {', '.join(LANGUAGES)}")
    return language


def create_user(database: Database, catalogue: Any, *, email: str, name: str, grant: Grant,
                password: str | None, language: str | None = None) -> tuple[StaffMember, bool]:
    """The account with this e-mail, created with `password` or, when it exists, given one
    more role (its password is left alone). `language` (lv when not given) is set when
    given. Returns the member and whether it is new."""
    check_grant(catalogue, grant)
    if language is not None:
        check_language(language)
    address = normal_email(email)
    with database.transaction() as session:
        user = find_user(session, address)
        created = user is None
        if user is None:
            if password is None:
                raise AccountError("a new account needs a password")
            check_password(password)
            if not name.strip():
                raise AccountError("a new account needs a name")
            user = StaffUser(email=address, name=name.strip(), password_hash=hasher.hash(password), failed_attempts=0,
                             language=language or LANGUAGES[0])
            session.add(user)
            session.flush()
        elif language is not None:
            user.language = language
        if not any(_same_grant(g, grant) for g in _grants(session, user.id)):
            session.add(StaffRoleGrant(user_id=user.id, role=grant.role, municipality_id=grant.municipality_id,
                                       institution_id=grant.institution_id))
            session.flush()
        return _member(session, user), created


def _same_grant(row: StaffRoleGrant, grant: Grant) -> bool:
    return (row.role, row.municipality_id, row.institution_id) == (grant.role, grant.municipality_id,
                                                                    grant.institution_id)


def _grants(session: Session, user_id: int) -> list[StaffRoleGrant]:
    return list(session.scalars(select(StaffRoleGrant).where(StaffRoleGrant.user_id == user_id)
                                .order_by(StaffRoleGrant.id)))


def _member(session: Session, user: StaffUser) -> StaffMember:
    grants = tuple(Grant(g.role, g.municipality_id, g.institution_id) for g in _grants(session, user.id))
    return StaffMember(id=user.id, email=user.email, name=user.name, disabled=user.disabled_at is not None,
                       grants=grants, language=user.language if user.language in LANGUAGES else LANGUAGES[0])


def list_users(database: Database, municipality_id: str | None = None) -> list[StaffMember]:
    with database.transaction() as session:
        query = select(StaffUser).order_by(StaffUser.email)
        if municipality_id is not None:
            query = query.where(StaffUser.id.in_(select(StaffRoleGrant.user_id)
                                                 .where(StaffRoleGrant.municipality_id == municipality_id)))
        return [_member(session, user) for user in session.scalars(query)]


def colleagues(database: Database, municipality_id: str, institution_id: str | None) -> list[StaffMember]:
    """Enabled members of staff who work the cases of this institution."""
    found = list_users(database, municipality_id)
    return [m for m in found if not m.disabled and any(
        g.municipality_id == municipality_id and g.role in (CLERK, COMMISSION_MEMBER)
        and g.institution_id in (None, institution_id) for g in m.grants)]


def disable_user(database: Database, email: str, clock: Clock) -> StaffMember:
    with database.transaction() as session:
        user = find_user(session, email)
        if user is None:
            raise AccountError(f"no staff account {email!r}")
        user.disabled_at = user.disabled_at or clock.now()
        session.execute(delete(StaffSession).where(StaffSession.user_id == user.id))
        session.flush()
        return _member(session, user)


def set_language(database: Database, user_id: int, language: str) -> StaffMember:
    """The member's own choice on their profile page."""
    check_language(language)
    with database.transaction() as session:
        user = session.get(StaffUser, user_id)
        if user is None:
            raise AccountError(f"no staff account {user_id}")
        user.language = language
        session.flush()
        return _member(session, user)


# -- signing in ----------------------------------------------------------------------
@dataclass(frozen=True)
class SignInResult:
    member: StaffMember | None = None
    token: str | None = None         # for the cookie; only its hash is stored
    locked: bool = False             # the account is locked (too many failures)


def sign_in(database: Database, email: str, password: str, clock: Clock) -> SignInResult:
    """A session for the right password of an enabled, unlocked account; otherwise nothing,
    and the same answer whether the e-mail is unknown, disabled or the password wrong
    (only a lock is told, so that a member of staff knows to wait)."""
    try:
        address = normal_email(email)
    except AccountError:
        address = ""
    now = clock.now()
    with database.transaction() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.email == address)).first() if address else None
        if user is None or user.disabled_at is not None:
            _verify(_DUMMY_HASH, password)
            return SignInResult()
        if user.locked_until is not None and _aware(user.locked_until) > now:
            return SignInResult(locked=True)
        if not _verify(user.password_hash, password):
            return _count_failure(session, user, now)
        user.failed_attempts, user.locked_until = 0, None
        if hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hasher.hash(password)
        return _new_session(session, user, now)


def sign_in_by_organisation(database: Database, email: str, clock: Clock) -> SignInResult:
    """A session for the enabled, unlocked account of the e-mail address the
    organisation's OpenID Connect provider vouched for; no account is ever created here,
    and an unknown or disabled address gets nothing."""
    try:
        address = normal_email(email)
    except AccountError:
        return SignInResult()
    now = clock.now()
    with database.transaction() as session:
        user = session.scalars(select(StaffUser).where(StaffUser.email == address)).first()
        if user is None or user.disabled_at is not None:
            return SignInResult()
        if user.locked_until is not None and _aware(user.locked_until) > now:
            return SignInResult(locked=True)
        return _new_session(session, user, now)


def _new_session(session: Session, user: StaffUser, now: datetime) -> SignInResult:
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=token_digest(token), user_id=user.id, created_at=now,
                             expires_at=now + timedelta(hours=SESSION_HOURS)))
    session.flush()
    return SignInResult(member=_member(session, user), token=token)


def _count_failure(session: Session, user: StaffUser, now: datetime) -> SignInResult:
    # one statement, so that concurrent wrong guesses all count
    session.execute(update(StaffUser).where(StaffUser.id == user.id)
                    .values(failed_attempts=StaffUser.failed_attempts + 1)
                    .execution_options(synchronize_session=False))
    session.refresh(user)
    if user.failed_attempts >= MAX_FAILURES:
        user.failed_attempts, user.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
        return SignInResult(locked=True)
    return SignInResult()


def _verify(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def member_for_session(database: Database, token: str | None, clock: Clock) -> StaffMember | None:
    """The enabled member of staff whose unexpired session this token is, or None."""
    if not token or len(token) > 100:
        return None
    return member_for_digest(database, token_digest(token), clock)


def member_for_digest(database: Database, digest: str, clock: Clock) -> StaffMember | None:
    """As `member_for_session`, from the token's SHA-256 (what an assisted filing keeps)."""
    with database.transaction() as session:
        row = session.execute(select(StaffSession, StaffUser).join(StaffUser, StaffSession.user_id == StaffUser.id)
                              .where(StaffSession.token_hash == digest)).first()
        if row is None or row[1].disabled_at is not None or _aware(row[0].expires_at) <= clock.now():
            return None
        return _member(session, row[1])


def end_session(database: Database, token: str | None) -> None:
    if token:
        with database.transaction() as session:
            session.execute(delete(StaffSession).where(StaffSession.token_hash == token_digest(token)))


def grants_summary(member: StaffMember) -> list[str]:
    """"clerk riga/buvvalde"-style lines, for `pkip users list`."""
    lines = []
    for grant in member.grants:
        where = "/".join(part for part in (grant.municipality_id, grant.institution_id) if part)
        lines.append(f"{grant.role} {where}".strip())
    return lines
