"""A page's CSRF token, signed once per request by a signer built once per secret key.

Flask-WTF's `generate_csrf` builds a `URLSafeTimedSerializer` and derives its HMAC key
again for each request's token (about 160 Python calls on every signed-in page, whose
header has the sign-out form). `csrf_token` gives the very same token: the same random
value kept in the session, the same salt, key, format and timestamp, so Flask-WTF's
`validate_csrf` checks every form unchanged. It keeps the token in `g` under Flask-WTF's
own name, so a later `generate_csrf` in the request returns it without signing again.
"""
from __future__ import annotations

import hashlib
import os
from functools import lru_cache

from flask import current_app, g, session
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from markupsafe import Markup

from .kept_signers import KeptKeyTimestampSigner

SALT = "wtf-csrf-token"         # Flask-WTF's
DEFAULT_FIELD = "csrf_token"


@lru_cache(maxsize=8)       # one secret key per app; tests build apps with a few
def _signing(secret_key: str | bytes) -> tuple[URLSafeTimedSerializer, TimestampSigner]:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT, signer=KeptKeyTimestampSigner)
    return serializer, serializer.make_signer(SALT)


def csrf_token() -> str:
    """This request's signed CSRF token (the session's random value made first if need be)."""
    config = current_app.config
    field = config.get("WTF_CSRF_FIELD_NAME") or DEFAULT_FIELD
    token = g.get(field)
    if token is None:
        serializer, signer = _signing(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key)
        if field not in session:
            session[field] = _new_value()
        try:
            payload = serializer.dump_payload(session[field])
        except TypeError:       # as Flask-WTF does: a value that is no JSON is replaced
            session[field] = _new_value()
            payload = serializer.dump_payload(session[field])
        token = signer.sign(payload).decode("utf-8")
        setattr(g, field, token)
    return token


def csrf_input() -> Markup | str:
    """The token's hidden input as Flask-WTF's form field renders it; nothing when CSRF
    is off (as a FlaskForm then has no token field)."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return ""
    field = config.get("WTF_CSRF_FIELD_NAME") or DEFAULT_FIELD
    return Markup('<input id="%s" name="%s" type="hidden" value="%s">') % (field, field, csrf_token())


def _new_value() -> str:
    return hashlib.sha1(os.urandom(64)).hexdigest()     # Flask-WTF's own recipe
