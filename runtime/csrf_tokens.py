"""A page's CSRF token, signed once per request by a signer built once per secret key.

Flask-WTF's `generate_csrf` builds a `URLSafeTimedSerializer` and derives its HMAC key
again for each request's token (about 160 Python calls on every signed-in page, whose
header has the sign-out form). `csrf_token` gives the very same token: the same random
value kept in the session, the same salt, key, format and timestamp, so Flask-WTF's
`validate_csrf` checks every form unchanged. It keeps the token in `g` under Flask-WTF's
own name, so a later `generate_csrf` in the request returns it without signing again.

Checking a posted token costs the same again in Flask-WTF (a serializer built and its key
derived on every POST): invisible in a test client with CSRF off, paid by every POST over HTTP. `validate_csrf_token`
is Flask-WTF's `validate_csrf` with the kept serializer (the same checks, messages and
time limit), which `KeptCSRFProtect` uses; the session's own token (every form's, as
`csrf_token` made it) is recognised by signing its value again at its time, anything else
goes through itsdangerous.
"""
from __future__ import annotations

import binascii
import hashlib
import hmac
import logging
import os
import struct
import time
import zlib
from functools import lru_cache
from json.encoder import encode_basestring

from flask import current_app, g, request, session
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import BadData, SignatureExpired, Signer, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.signer import HMACAlgorithm
from markupsafe import Markup
from wtforms import ValidationError

from .kept_signers import KeptKeyTimestampSigner

SALT = "wtf-csrf-token"         # Flask-WTF's
_flask_wtf_log = logging.getLogger("flask_wtf.csrf")   # where Flask-WTF says why it refused
DEFAULT_FIELD = "csrf_token"


@lru_cache(maxsize=8)       # one secret key per app; tests build apps with a few
def _signing(secret_key: str | bytes) -> tuple[URLSafeTimedSerializer, TimestampSigner]:
    serializer = URLSafeTimedSerializer(secret_key, salt=SALT, signer=KeptKeyTimestampSigner)
    return serializer, serializer.make_signer(SALT)


def csrf_token() -> str:
    """This request's signed CSRF token (the session's random value made first if need be)."""
    app = current_app._get_current_object()       # each proxy access costs a few calls
    config = app.config
    field = _field_name(config)
    kept = g._get_current_object()
    token = kept.get(field)
    if token is None:
        serializer, signer = _signing(config.get("WTF_CSRF_SECRET_KEY") or app.secret_key)
        stored = session._get_current_object()
        if field not in stored:
            stored[field] = _new_value()
        value = stored[field]
        if type(value) is str:
            token = signed_token(signer, value, int(time.time()))
        else:       # as Flask-WTF does: a value that is no JSON is replaced
            try:
                token = signer.sign(serializer.dump_payload(value)).decode("utf-8")
            except TypeError:
                value = stored[field] = _new_value()
                token = signed_token(signer, value, int(time.time()))
        setattr(kept, field, token)
    return token


_TIMESTAMP = struct.Struct(">Q")
_URL_SAFE = bytes.maketrans(b"+/", b"-_")
_SHA1 = Signer.default_digest_method       # itsdangerous' default: the tokens' HMAC-SHA1


def _base64(data: bytes) -> bytes:
    """itsdangerous' `base64_encode` (`urlsafe_b64encode` without padding), in C calls."""
    return binascii.b2a_base64(data, newline=False).translate(_URL_SAFE).rstrip(b"=")


def signed_token(signer: TimestampSigner, value: str, timestamp: int) -> str:
    """`signer.sign(serializer.dump_payload(value))` at `timestamp`, as itsdangerous makes it
    (compact JSON in UTF-8, zlib-compressed if that is shorter, URL-safe base64 without
    padding, the time as big-endian bytes, an HMAC of both with the signer's kept key) in
    C calls instead of some eighty Python-level ones. The tests compare it with
    Flask-WTF's `generate_csrf` (tests/runtime/test_request_fixed_costs.py)."""
    data = encode_basestring(value).encode("utf-8")     # what itsdangerous' JSON (ensure_ascii=False) gives a str
    compressed = zlib.compress(data)
    payload = b"." + _base64(compressed) if len(compressed) < len(data) - 1 else _base64(data)
    signed = payload + signer.sep + _base64(_TIMESTAMP.pack(timestamp).lstrip(b"\x00"))
    algorithm, key = signer.algorithm, signer.derive_key()
    digest = hmac.digest(key, signed, "sha1") if type(algorithm) is HMACAlgorithm and \
        algorithm.digest_method is _SHA1 else algorithm.get_signature(key, signed)
    return (signed + signer.sep + _base64(digest)).decode("ascii")


def csrf_input() -> Markup | str:
    """The token's hidden input as Flask-WTF's form field renders it; nothing when CSRF
    is off (as a FlaskForm then has no token field)."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return ""
    field = _field_name(config)
    return Markup('<input id="%s" name="%s" type="hidden" value="%s">') % (field, field, csrf_token())


def _field_name(config) -> str:
    return config.get("WTF_CSRF_FIELD_NAME") or DEFAULT_FIELD


def _new_value() -> str:
    return hashlib.sha1(os.urandom(64)).hexdigest()     # Flask-WTF's own recipe


def validate_csrf_token(data: str | None, time_limit: int | None = None) -> None:
    """Flask-WTF's `validate_csrf` (same order of checks, same messages), with the kept
    serializer; raises `wtforms.ValidationError`."""
    config = current_app.config
    field = _field_name(config)
    if time_limit is None:
        time_limit = config.get("WTF_CSRF_TIME_LIMIT", 3600)
    if not data:
        raise ValidationError("The CSRF token is missing.")
    if field not in session:
        raise ValidationError("The CSRF session token is missing.")
    serializer, signer = _signing(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key)
    stored = session[field]
    timestamp = _signed_at(signer, stored, data)
    if timestamp is not None:       # this session's own token: only its age is left to check
        if time_limit is not None and not 0 <= int(time.time()) - timestamp <= time_limit:
            raise ValidationError("The CSRF token has expired.")      # itsdangerous' two age checks
        return
    try:
        token = serializer.loads(data, max_age=time_limit)
    except SignatureExpired as error:
        raise ValidationError("The CSRF token has expired.") from error
    except BadData as error:
        raise ValidationError("The CSRF token is invalid.") from error
    if not hmac.compare_digest(stored, token):
        raise ValidationError("The CSRF tokens do not match.")


_FROM_URL_SAFE = bytes.maketrans(b"-_", b"+/")


def _signed_at(signer: TimestampSigner, value: object, data: str) -> int | None:
    """The time `data` was signed at when it is, byte for byte, the token `signed_token`
    makes of the session's `value` at that time: its signature is then the signer's and its
    payload `value`, as `serializer.loads` would find (in C calls instead of some 130 Python
    ones). None for anything else, which the general check then judges (and words)."""
    if type(value) is not str or not value.isascii() or type(data) is not str or not data.isascii():
        return None
    parts = data.rsplit(signer.sep.decode("ascii"), 2)
    if len(parts) != 3:
        return None
    try:
        stamp = binascii.a2b_base64(parts[1].encode("ascii").translate(_FROM_URL_SAFE) + b"==")
    except binascii.Error:
        return None
    timestamp = int.from_bytes(stamp, "big")
    return timestamp if hmac.compare_digest(signed_token(signer, value, timestamp), data) else None


class KeptCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRFProtect, its `protect` line for line, checking the token with
    `validate_csrf_token`; the method is asked before the exemptions (both checks only
    let the request through), so a GET is let through without looking its view up."""

    def protect(self, apply_exemptions: bool = False):
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        try:
            validate_csrf_token(self._get_csrf_token())
        except ValidationError as error:
            _flask_wtf_log.info(error.args[0])
            self._error_response(error.args[0])
        if request.is_secure and current_app.config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True     # as Flask-WTF's: a FlaskForm's own check is then skipped

