"""Request and response hardening: CSRF on every POST, session cookie flags, a strict
Content-Security-Policy and a request size limit.

The CSP allows no inline script or style at all, so templates use classes and same-origin
files only (a municipality's colour comes from `/_theme/<id>.css`, not a style attribute).
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit, urlunsplit

from flask import Flask, Response, abort, current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Settings
from .csrf_tokens import KeptCSRFProtect
from .sessionstore import init_sessions

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers older than frame-ancestors
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
# Production is served over https only (secure cookies): browsers are told to never try
# http for a year, on subdomains too. Browsers ignore the header on a plain-http answer.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
HSTS_SETTING = "PKIP_STRICT_TRANSPORT_SECURITY"
csrf = KeptCSRFProtect()     # Flask-WTF's, checking tokens with a kept signer
MAX_LOCAL_PATH = 2000
MAX_FORM_PARTS = 200
# What may stay unquoted in a path and a query: RFC 3986's unreserved and sub-delims,
# ":" and "@", "/" between segments, and "%" of an escape that is already there.
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
QUERY_SAFE = PATH_SAFE + "?"
# Unicode's control characters (category Cc) are exactly C0, DEL and C1: one regex search
# per path part instead of a category look-up per character.
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")


def local_path(url: str | None) -> str | None:
    """`url` as a path of this site, parsed and written out again, or None.

    Refused, never repaired: any control or format character (a browser strips a tab
    or a zero-width space and then reads `/\t/evil.example` as `//evil.example`; a CR or
    LF would break the header), a backslash (which browsers read as a slash), a scheme,
    a host, a path that does not start with exactly one slash. The fragment is dropped.
    What comes out is percent-encoded, so the browser reads it as the same path."""
    if not url or len(url) > MAX_LOCAL_PATH or "\\" in url or url.startswith("//"):
        return None
    if any(unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in url):
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return None
    path = quote(parts.path, safe=PATH_SAFE)
    query = quote(parts.query, safe=QUERY_SAFE)
    return urlunsplit(("", "", path, query, ""))


def security_config(settings: Settings) -> dict[str, object]:
    return {
        "SECRET_KEY": settings.secret_key,
        "SESSION_COOKIE_SECURE": settings.secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "pkip_session",
        "MAX_CONTENT_LENGTH": settings.max_content_length,
        # Werkzeug counts the parts while it reads a multipart body and stops with a 413
        # past this many: no page has near as many inputs, and nothing is stored by then.
        "MAX_FORM_PARTS": MAX_FORM_PARTS,
        "WTF_CSRF_ENABLED": True,
        "WTF_CSRF_SSL_STRICT": settings.secure_cookies,
        # A form may stay open while a resident finds documents: one day, not one hour.
        "WTF_CSRF_TIME_LIMIT": 24 * 3600,
        HSTS_SETTING: settings.env == "production",
    }


def _headers_to_add(hsts: bool, html: bool) -> tuple[tuple[str, str, str], ...]:
    """(lower-case name, name, value) of every header a response gets unless it set it."""
    headers = dict(SECURITY_HEADERS)
    if hsts:
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    if html:
        # Pages may show personal data: never keep them in shared caches.
        headers["Cache-Control"] = "no-store"
    return tuple((name.lower(), name, value) for name, value in headers.items())


# Worked out once: Werkzeug's `setdefault` looks each name up case-blind through the
# whole header list (about 30 calls a header, 220 a response).
_ADDED = {(hsts, html): _headers_to_add(hsts, html) for hsts in (False, True) for html in (False, True)}


def add_security_headers(response: Response) -> Response:
    """The security headers, each unless the view set it itself (as `setdefault` would)."""
    headers = response.headers
    present = {name.lower() for name, _ in headers}
    for lower, name, value in _ADDED[bool(current_app.config.get(HSTS_SETTING)), response.mimetype == "text/html"]:
        if lower not in present:
            headers.add(name, value)
    return response


def refuse_oversized_request() -> None:
    """Reject a body that declares itself too large before anything reads it (Werkzeug
    alone only notices when a view reads the body, and some views never do). Without a
    Content-Length (every GET) Werkzeug's `content_length` is None, or 0 for an empty
    one, so it is not worked out (its header look-ups, about 40 calls)."""
    if not request.environ.get("CONTENT_LENGTH"):
        return
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if request.content_length is not None and request.content_length > limit:
        abort(413)


def refuse_control_characters_in_path() -> None:
    """A path part with a control character (`%00`) names nothing here: 404 before any
    view looks it up (PostgreSQL refuses NUL in text, which made it a 500)."""
    if any(isinstance(value, str) and CONTROL_CHARACTER.search(value) for value in (request.view_args or {}).values()):
        abort(404)


def trust_proxies(app: Flask, proxies: int) -> None:
    """Behind `proxies` load balancers or reverse proxies, take the client's address, the
    scheme (https) and the host from the X-Forwarded-* headers they set, so that external
    URLs, secure cookies and CSRF's referrer check see what the browser sees. Each proxy
    appends one value; only the last `proxies` values are trusted, so a client cannot
    forge them. Never turn this on without a proxy in front: anyone could then."""
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies,  # type: ignore[method-assign]
                                x_port=proxies)


def init_security(app: Flask, settings: Settings) -> None:
    trust_proxies(app, settings.proxy_fix)
    app.config.update(security_config(settings))
    init_sessions(app)     # the cookie holds a signed token; the data is on the server
    app.before_request(refuse_oversized_request)
    app.before_request(refuse_control_characters_in_path)
    csrf.init_app(app)
    app.after_request(add_security_headers)
