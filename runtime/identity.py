"""Who the resident is: identity providers, the signed-in person in the session, and the
keyed hash that links drafts and submissions to a person.

Providers (`runtime.auth`) implement `IdentityProvider`: `login_url(next)` starts a sign-in
and `complete(request)` finishes it with a `Person`, or raises `SignInFailed`.

Decision: Flask's session cookie is signed, not encrypted, and the personal code is
needed in clear for prefill, so the session keeps the code only as a Fernet token
(AES-128-CBC + HMAC) under a key derived from the app's secret key with HKDF; the token
expires with the sign-in (`SIGN_IN_HOURS`). The name is kept in clear (it is shown on
every page). Rows in the database carry only `person_code_hash`: HMAC-SHA256 of the
normalised code (11 digits) under the secret key, so a database copy alone does not
reveal whose cases they are. Neither the code nor its hash is ever logged.

What the browser session remembers of drafts and sent cases is in `runtime.remembered`.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from flask import Request, current_app, g, session

from builder.identifiers import personal_code_digits, personal_code_is_valid

from .cases.clock import Clock
from .sealing import fernet_for, sealed_within, unsealed
from .cases.browser_sessions import SIGNED_IN_KEY
from .cases.sessions import current_generation, end_sessions
from .remembered import DRAFT_ENTRIES_KEY, draft_references
from .state import runtime_state

SESSION_KEY = SIGNED_IN_KEY      # "person": the session store reads its generation with the session
SIGN_IN_HOURS = 12
FRESH_LOGIN_KEY = "signin_fresh"    # set by sign-out: the next sign-in must log in anew
MAX_LOGOUT_HINT = 2500      # longer hints are not kept: the session cookie holds 4 kB
CHILD = "child"
PARTIES_KEY = "parties"     # whom the signed-in person may act for (`offer_parties`)
MAX_PARTIES = 20


@dataclass(frozen=True)
class Represented:
    """Whom a signed-in person acts for: a company (`company`, its registration number),
    an institution (`institution`, its code), another person who authorised them
    (`person`, 11 digits) or their child (`child`, 11 digits)."""
    kind: str
    identifier: str


@dataclass(frozen=True)
class Person:
    personal_code: str     # "DDMMYY-NNNNN"
    given_name: str
    surname: str
    # What the provider needs to end its own session at sign-out (an id_token for
    # OpenID Connect); kept in the session only encrypted, never shown.
    logout_hint: str = field(default="", repr=False, compare=False)
    represented: Represented | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, str]:
        return {"personal_code": self.personal_code, "given_name": self.given_name, "surname": self.surname}


class SignInFailed(Exception):
    """A sign-in could not be completed; `reason` is for the log (never holds a code)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SignInUnavailable(SignInFailed):
    """The sign-in service, not the resident, is at fault: the provider is unreachable,
    answers with an error, or refuses this site's own credentials. The resident is told
    so and asked to try later; the log gets the reason."""


class SignInStale(SignInFailed):
    """The provider's answer was good once but is expired or was used before (a replay,
    a back button, a slow network): the resident is asked simply to sign in again."""


class IdentityProvider(Protocol):
    id: str

    def login_url(self, next_url: str) -> str: ...

    def complete(self, request: Request) -> Person: ...


def provider_logout_url(provider: Any, logout_hint: str, return_to: str) -> str | None:
    """Where `provider` ends its own session after ours, if it offers that
    (`logout_url(hint, return_to)`); None for providers without one."""
    logout_url = getattr(provider, "logout_url", None)
    return logout_url(logout_hint, return_to) if logout_url else None


def normalise_personal_code(code: str) -> str | None:
    """The 11 digits of a valid Latvian personal code (old or new format), else None."""
    digits = personal_code_digits(code)
    if digits.upper().startswith("PNOLV"):     # ETSI EN 319 412-1 semantics identifier
        digits = digits[5:]
    return digits if personal_code_is_valid(digits) else None


def display_personal_code(digits: str) -> str:
    return f"{digits[:6]}-{digits[6:]}"


def person_code_hash(code: str, secret_key: str | None = None) -> str:
    """HMAC-SHA256 (hex) of the normalised code; the link between a person and rows."""
    digits = normalise_personal_code(code)
    if digits is None:
        raise ValueError("not a valid personal code")
    key = (secret_key or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


CODE_PURPOSE = "session personal code"


def _fernet(secret_key: str, purpose: str = CODE_PURPOSE) -> Fernet:
    return fernet_for(secret_key, purpose)


def seal(data: dict[str, Any], purpose: str) -> str:
    """`data` as an encrypted, authenticated, timestamped token (for a URL or a cookie)."""
    return _fernet(current_app.config["SECRET_KEY"], purpose).encrypt(json.dumps(data).encode()).decode()


def unseal(token: str, purpose: str, ttl_seconds: int) -> dict[str, Any] | None:
    """What `seal` sealed for `purpose` at most `ttl_seconds` ago, else None."""
    try:
        found = json.loads(_fernet(current_app.config["SECRET_KEY"], purpose).decrypt(token.encode(), ttl=ttl_seconds))
    except (InvalidToken, ValueError, TypeError):
        return None
    return found if isinstance(found, dict) else None


def sign_in(person: Person, provider_id: str = "") -> None:
    """Start a fresh session for `person`. Against session fixation everything else is
    regenerated (the CSRF token, remembered submissions); only the interface language and
    the drafts in progress survive, so signing in half-way through a form loses nothing."""
    digits = normalise_personal_code(person.personal_code)
    if digits is None:
        raise SignInFailed("the identity provider gave no valid personal code")
    secret = current_app.config["SECRET_KEY"]
    kept = {"lang": session.get("lang"), **draft_references()}
    session.clear()
    _new_session_token()
    session.update({key: value for key, value in kept.items() if value})
    code_hash = person_code_hash(digits, secret)
    session[SESSION_KEY] = {
        "code": _fernet(secret).encrypt(digits.encode()).decode(),
        "hash": code_hash,
        "generation": current_generation(_database(), code_hash),
        "given_name": person.given_name,
        "surname": person.surname,
        "via": provider_id,
    }
    if person.represented is not None:
        kind, identifier = person.represented.kind, person.represented.identifier
        # a company's or institution's number is public; a person's code is never kept in clear
        offer_parties([(kind, identifier, "" if kind == "person" else identifier[:40])])
        session[SESSION_KEY]["for"] = dict(session[SESSION_KEY][PARTIES_KEY][0])
    if person.logout_hint and len(person.logout_hint) <= MAX_LOGOUT_HINT:
        session[SESSION_KEY]["logout"] = _fernet(secret).encrypt(person.logout_hint.encode()).decode()


def current_person() -> dict[str, str] | None:
    """{personal_code, given_name, surname} of the signed-in person, or None. Decrypted
    once per request: the result is kept in `g` with the token it came from, so a sign-in
    or sign-out later in the same request is seen. A code that does not decrypt (a token
    altered or sealed under another key) ends the sign-in."""
    stored = _signed_in()
    if stored is None:
        return None
    token = stored.get("code")
    cached = g.get("_current_person")
    if cached is not None and cached[0] == token:
        return dict(cached[1])
    person = _decrypted_person(stored)
    if person is None:
        session.pop(SESSION_KEY, None)
        return None
    g._current_person = (token, person)
    return dict(person)


def signed_in_names() -> dict[str, str] | None:
    """{given_name, surname} of the signed-in person, or None: what the header shows.
    The same checks as `current_person` (the current sign-in generation, the sign-in's
    age) but the personal code is not decrypted: a page that shows no code never pays
    for Fernet (about 70 µs). The names are kept in clear (see the module's note)."""
    stored = _signed_in()
    if stored is None:
        return None
    return {"given_name": stored.get("given_name", ""), "surname": stored.get("surname", "")}


def _signed_in() -> dict | None:
    """The session's sign-in entry while it holds, else None and the entry dropped: made
    under the person's current generation (no sign-out anywhere since) and at most
    `SIGN_IN_HOURS` ago by its sealed code's timestamp, which Fernet's own `ttl` check
    reads from the same place (`sealing.sealed_within`).

    Checked once per request (the header, the actor and the view each ask): the entry
    that passed is kept in `g` and is the memo's key. Sign-in puts a new entry in the
    session and sign-out removes it, so either, later in the same request, misses the
    memo and is checked afresh; changes made inside the entry (acting for someone) are
    seen because the memo is the entry itself."""
    stored = session.get(SESSION_KEY)
    if not isinstance(stored, dict):
        return None
    if g.get("_signed_in_entry") is stored:
        return stored
    if not sealed_within(stored.get("code"), SIGN_IN_HOURS * 3600) or not _current_generation(stored):
        session.pop(SESSION_KEY, None)
        return None
    g._signed_in_entry = stored
    return stored


def _database():
    return runtime_state().database


def _current_generation(stored: dict) -> bool:
    """Whether the session was signed in under the person's current generation, i.e.
    they have not signed out anywhere since (`cases.sessions`)."""
    code_hash = stored.get("hash")
    if not isinstance(code_hash, str):
        return False
    known = getattr(session, "generations", None)   # read with the session (runtime.sessionstore)
    if known is not None and code_hash in known:
        generation = known[code_hash]
    else:       # a session signed in during this request: read once, kept for the request
        generation = current_generation(_database(), code_hash)
        if known is not None:
            known[code_hash] = generation
    return stored.get("generation") == generation


def _decrypted_person(stored: dict) -> dict[str, str] | None:
    try:
        digits = unsealed(current_app.config["SECRET_KEY"], CODE_PURPOSE, stored["code"], SIGN_IN_HOURS * 3600).decode()
    except (InvalidToken, KeyError):
        return None
    return Person(display_personal_code(digits), stored.get("given_name", ""), stored.get("surname", "")).as_dict()


def party_hash(kind: str, identifier: str, secret_key: str | None = None) -> str:
    """The keyed hash that links cases to the party they were filed for: a person's is
    their `person_code_hash` (so the person finds cases filed for them), a company's or an
    institution's is HMAC-SHA256 of kind and number under the secret key. A child's is
    their own `person_code_hash` too (kind `child` tells the two apart on a case)."""
    if kind in ("person", CHILD):
        return person_code_hash(identifier, secret_key)
    key = (secret_key or current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()


def current_acting_for() -> dict[str, str] | None:
    """Whom the signed-in person acts for ({kind, hash, shown}), or None: themselves."""
    stored = _signed_in()
    if stored is None:
        return None
    found = stored.get("for")
    return dict(found) if isinstance(found, dict) else None


def offer_parties(parties: list[tuple[str, str, str]]) -> None:
    """Add whom the signed-in person may act for, each (kind, identifier, shown): the
    party of their sign-in's subject, their children from the population register. Only
    the keyed hash of the identifier is kept (a child's code never is), and `shown` (a
    company's number, a child's name) for the chooser and "my applications"."""
    stored = session[SESSION_KEY]
    known = list(stored.get(PARTIES_KEY, []))
    for kind, identifier, shown in parties:
        entry = {"kind": kind, "hash": party_hash(kind, identifier), "shown": shown[:120]}
        if all((found["kind"], found["hash"]) != (entry["kind"], entry["hash"]) for found in known):
            known.append(entry)
    stored[PARTIES_KEY] = known[:MAX_PARTIES]
    session.modified = True


def note_in_sign_in(name: str, value: bool) -> None:
    """Keep a flag with the sign-in (gone at sign-out), e.g. that a register did not answer."""
    if isinstance(session.get(SESSION_KEY), dict):
        session[SESSION_KEY][name] = bool(value)
        session.modified = True


def noted_in_sign_in(name: str) -> bool:
    stored = session.get(SESSION_KEY)
    return isinstance(stored, dict) and bool(stored.get(name))


def acting_choices() -> list[dict[str, str]]:
    """Whom the signed-in person may act for besides themselves ({kind, hash, shown})."""
    stored = _signed_in()
    if stored is None:
        return []
    return [dict(found) for found in stored.get(PARTIES_KEY, []) if isinstance(found, dict)]


def act_for(choice: int | None) -> bool:
    """Act from now on for the `choice`-th of `acting_choices()` (None: for oneself);
    False when there is no such choice. The session forgets the drafts it was filling, so
    a page left open for one party never continues for another (each party's drafts stay
    in "my applications" under it)."""
    choices = acting_choices()
    if choice is not None and not 0 <= choice < len(choices):
        return False
    stored = session[SESSION_KEY]
    if choice is None:
        stored.pop("for", None)
    else:
        stored["for"] = choices[choice]
    entries = session.get(DRAFT_ENTRIES_KEY)
    if isinstance(entries, dict):
        session[DRAFT_ENTRIES_KEY] = {key: {"sent": entry["sent"]} for key, entry in entries.items()
                                      if isinstance(entry, dict) and "sent" in entry}
    session.modified = True
    return True


def current_person_hash() -> str | None:
    """The signed-in person's `person_code_hash`, or None."""
    stored = _signed_in()
    return stored["hash"] if stored is not None else None


def sign_out() -> tuple[str, str]:
    """End the session; the next sign-in in this browser asks for a fresh login. Returns
    the provider the person came through and its logout hint ("" when none), so that the
    provider's own session can be ended too."""
    stored = session.get(SESSION_KEY) if isinstance(session.get(SESSION_KEY), dict) else {}
    via, hint = str(stored.get("via", "")), ""
    if stored.get("logout"):
        try:
            hint = _fernet(current_app.config["SECRET_KEY"]).decrypt(stored["logout"].encode()).decode()
        except (InvalidToken, AttributeError):
            hint = ""
    if isinstance(stored.get("hash"), str) and current_person() is not None:
        end_sessions(_database(), stored["hash"], Clock().now())    # every copy of the cookie, everywhere
    language = session.get("lang")
    session.clear()
    _new_session_token()
    if language:
        session["lang"] = language
    session[FRESH_LOGIN_KEY] = True
    return via, hint


def _new_session_token() -> None:
    """A new session token, the old one's server row dropped (`runtime.sessionstore`):
    a token someone planted or copied before sign-in or sign-out opens nothing after."""
    regenerate = getattr(session, "regenerate", None)
    if regenerate is not None:
        regenerate()


def fresh_login_wanted() -> bool:
    """Whether this browser signed out since its last sign-in (providers then ask the
    person to log in again instead of reusing the provider's single sign-on session)."""
    return bool(session.get(FRESH_LOGIN_KEY))
