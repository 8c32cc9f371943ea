"""Flask's session kept on the server (issue 16 finding 7): the `pkip_session` cookie
holds a random token, signed (itsdangerous, its own salt), and nothing else; the data
is a `browser_sessions` row (`runtime.cases.browser_sessions`). The cookie stays the
same small size however many services a resident starts, and ending a session deletes
its row.

- A session is stored only once something is put in it: a visitor who only reads pages
  costs no row; a static file costs no read.
- The session read and the request's other one-row reads (its draft) share one pooled
  connection, returned when the request ends (`Database.hold_reads`).
- It ends after `session_days` without a request; the row's end is moved on at most
  once an hour, so reading pages does not write on every request.
- `session.regenerate()` gives the session a new token and drops the old row (sign-in
  against session fixation, sign-out).
- A cookie of the earlier kind (the whole session, signed, in the cookie) is read once:
  its data becomes a server session and the browser gets the new cookie, so nobody
  loses their sign-in or drafts on the day this is deployed.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSessionInterface, SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import CallbackDict

from .cases.browser_sessions import end_session, load_session, new_token, save_session
from .cases.clock import Clock
from .kept_signers import KeptSignerSerializer
from .state import runtime_state

SALT = "pkip browser session"
TOUCH_AFTER = timedelta(hours=1)


class ServerSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict[str, Any] | None = None, *, token: str | None = None,
                 expires_at: datetime | None = None, migrated: bool = False,
                 generations: dict[str, int] | None = None):
        def on_update(changed: "ServerSession") -> None:
            changed.modified = True
            changed.accessed = True

        super().__init__(initial or {}, on_update)
        self.token, self.expires_at = token, expires_at
        self.modified = migrated        # an earlier cookie's data is stored at the end of the request
        self.accessed = False
        self.ended: list[str] = []      # tokens whose rows go at the end of the request
        # the sign-in generation of the person named, read with the session: no second read
        self.generations: dict[str, int] = generations or {}

    def regenerate(self) -> None:
        """A new token from now on; the old one's row is dropped."""
        if self.token:
            self.ended.append(self.token)
        self.token, self.expires_at, self.modified = None, None, True
        self.generations = {}           # sign-in and sign-out come here: read the generation afresh


class ServerSessionInterface(SessionInterface):
    serializer_class = URLSafeSerializer

    def _signer(self, app: Flask) -> URLSafeSerializer:
        return _signer_for(app.secret_key)

    def open_session(self, app: Flask, request: Request) -> ServerSession:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or request.path.startswith(f"{app.static_url_path}/"):
            return ServerSession()     # a stylesheet or an image needs no session: no read
        try:
            token = _token_of(app.secret_key, cookie)
        except BadSignature:
            return _earlier_cookie(app, cookie)
        if token is None:
            return ServerSession()
        database = runtime_state().database
        database.hold_reads()       # the draft read, if the view makes one, takes the same connection
        stored = load_session(database, token, Clock().now())
        if stored is None:
            return ServerSession()
        return ServerSession(stored.data, token=token, expires_at=stored.expires_at, generations=stored.generations)

    def save_session(self, app: Flask, session: ServerSession, response: Response) -> None:  # type: ignore[override]
        state = runtime_state()
        for token in session.ended:
            end_session(state.database, token)
        if session.accessed:
            response.vary.add("Cookie")
        if not session:
            if session.token:
                end_session(state.database, session.token)
            if session.token or session.ended or session.modified:
                name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
                response.delete_cookie(name, domain=domain, path=path, secure=self.get_cookie_secure(app),
                                       httponly=self.get_cookie_httponly(app), samesite=self.get_cookie_samesite(app))
            return
        now = Clock().now()
        lifetime = timedelta(days=state.settings.limits.session_days)
        if not session.modified and session.expires_at and session.expires_at - now > lifetime - TOUCH_AFTER:
            return      # nothing changed and touched within the hour: no write, no cookie
        is_new = session.token is None
        session.token = session.token or new_token()
        save_session(state.database, session.token, dict(session), now=now, expires_at=now + lifetime)
        if is_new:
            name, domain, path = self.get_cookie_name(app), self.get_cookie_domain(app), self.get_cookie_path(app)
            response.vary.add("Cookie")
            response.set_cookie(name, self._signer(app).dumps(session.token), expires=self.get_expiration_time(app, session),
                                httponly=self.get_cookie_httponly(app), domain=domain, path=path,
                                secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app))


@lru_cache(maxsize=8)       # one secret key per app; tests build apps with a few
def _signer_for(secret_key: str | bytes) -> URLSafeSerializer:
    """The cookie's signer, built once per key (the same tokens as a fresh one's)."""
    return KeptSignerSerializer(secret_key, SALT)


@lru_cache(maxsize=4096)
def _token_of(secret_key: str | bytes, cookie: str) -> str | None:
    """The token a valid cookie carries (None when what it signs is no text); BadSignature
    when it is not one of ours. A cookie comes back on every request and always checks
    the same under one key, so a valid one is checked once per process: an altered one
    is never cached (the exception escapes the cache) and is checked in full every time.
    A cached cookie whose session has ended still finds no row (`load_session`)."""
    token = _signer_for(secret_key).loads(cookie)
    return token if isinstance(token, str) else None


def _earlier_cookie(app: Flask, cookie: str) -> ServerSession:
    """The data of a cookie of the kind before server sessions, if it is one and valid."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    try:
        data = serializer.loads(cookie, max_age=int(app.permanent_session_lifetime.total_seconds()))
    except BadSignature:
        return ServerSession()
    return ServerSession(data, migrated=True) if isinstance(data, dict) and data else ServerSession()


def init_sessions(app: Flask) -> None:
    app.session_interface = ServerSessionInterface()
    app.teardown_request(_release_reads)


def _release_reads(_error: BaseException | None) -> None:
    """The connection the session read held for the request's reads goes back to the pool."""
    runtime_state().database.release_reads()
