"""HTTP to an identity provider: one pooled client per provider with the configured
timeouts and CA bundle, and every failure turned into `SignInUnavailable` (the service's
fault) or `SignInFailed` with a reason fit for the log (status, OAuth error code, never a
body that could hold personal data).

No lock is held while talking to a provider: a provider that accepts connections and
never answers costs each waiting resident one timeout, not the sum of everyone's.
"""
from __future__ import annotations

import functools
import re
import ssl
from typing import Any

import httpx

from ..identity import SignInFailed, SignInUnavailable

# OAuth errors that mean this site's own registration or credentials are wrong.
CONFIGURATION_ERRORS = {"invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope"}
PRINTABLE = re.compile(r"[^\x20-\x7e]")


@functools.lru_cache(maxsize=4)
def _ssl_context(ca_file: str | None) -> ssl.SSLContext:
    """Built once per bundle: loading CA certificates on every request is measurable."""
    return ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()


class RemoteProvider:
    """The HTTP side of one provider; `transport` lets tests put a stand-in behind it."""

    def __init__(self, timeout_seconds: float, ca_file: str | None = None,
                 transport: httpx.BaseTransport | None = None):
        self.timeout = httpx.Timeout(timeout_seconds)
        self.ca_file = ca_file
        self._transport = transport
        self._client: httpx.Client | None = None

    @property
    def transport(self) -> httpx.BaseTransport | None:
        return self._transport

    @transport.setter
    def transport(self, transport: httpx.BaseTransport | None) -> None:
        self._transport, self._client = transport, None

    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(transport=self._transport, timeout=self.timeout,
                                        verify=_ssl_context(self.ca_file), follow_redirects=False)
        return self._client

    def get_json(self, url: str, what: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
        return self.json_of(self._send("GET", url, what, headers=headers), what)

    def post_form(self, url: str, what: str, form: dict[str, str], **options: Any) -> dict[str, Any]:
        return self.json_of(self._send("POST", url, what, data=form, **options), what)

    def _send(self, method: str, url: str, what: str, **options: Any) -> httpx.Response:
        headers = {"Accept": "application/json", **(options.pop("headers", None) or {})}
        try:
            response = self.client().request(method, url, headers=headers, **options)
        except httpx.TimeoutException:
            raise SignInUnavailable(f"the {what} did not answer within {self.timeout.read:g} s") from None
        except httpx.HTTPError as error:
            raise SignInUnavailable(f"the {what} could not be reached: {type(error).__name__}") from None
        if response.status_code >= 400:
            raise _refusal(response, what)
        return response

    @staticmethod
    def json_of(response: httpx.Response, what: str) -> dict[str, Any]:
        try:
            found = response.json()
        except ValueError:
            raise SignInUnavailable(f"the {what} sent no JSON ({response.headers.get('content-type', '?')})") from None
        if not isinstance(found, dict):
            raise SignInUnavailable(f"the {what} sent JSON that is not an object")
        return found


def _refusal(response: httpx.Response, what: str) -> SignInFailed:
    """The failure for an error answer: the OAuth error code and description when the
    provider sent them (RFC 6749 5.2), printable and short, for the log."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    code = body.get("error") if isinstance(body, dict) else None
    described = body.get("error_description", "") if isinstance(body, dict) else ""
    reason = f"the {what} answered {response.status_code}"
    if isinstance(code, str):
        reason += f" {PRINTABLE.sub('?', code)[:40]}"
    if isinstance(described, str) and described:
        reason += f": {PRINTABLE.sub('?', described)[:160]}"
    if response.status_code == 400 and code not in CONFIGURATION_ERRORS:
        return SignInFailed(reason)     # e.g. invalid_grant: the code expired or was used twice
    return SignInUnavailable(reason)
