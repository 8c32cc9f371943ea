"""Sign-in through latvija.lv, the state's single sign-on ("vienotās pieteikšanās
modulis"), which speaks WS-Federation (passive requestor profile):

1. `login_url` sends the browser to the endpoint with `wa=wsignin1.0`, our `wtrealm`, the
   `wreply` callback and a random `wctx` kept in the session (`wfresh=0` after a
   sign-out: log in anew).
2. The provider POSTs `wa`, `wresult` (a SAML 1.1 assertion, signed, perhaps encrypted)
   and `wctx` to the callback from its own site. A cross-site POST carries no SameSite
   cookie, so the callback cannot see the session and needs no CSRF token: it verifies
   the assertion alone (`saml.verified_assertion`), spends it in the replay cache, and
   redirects (303) to `finish` with the result sealed (encrypted, two minutes).
3. `finish` is a same-site GET that carries the session: the sealed `wctx` must be the
   one this browser was given in step 1 (so nobody can sign a victim into their own
   account), and the person is signed in.

Sign-out is `wa=wsignout1.0`. Settings: `latvija_endpoint`, `latvija_realm`,
`latvija_issuer`, `latvija_certificate` (the pinned signing certificate, PEM),
`latvija_decryption_key` (PEM, when assertions come encrypted).
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import urlencode

from flask import Request, session, url_for

from ..identity import (Person, Represented, SignInFailed, SignInStale, display_personal_code, fresh_login_wanted,
                        seal, unseal)
from ..storage.database import Database
from ..storage.replay import first_use
from .saml import CLOCK_LEEWAY, AssertionExpired, AssertionRefused, Expectations, verified_assertion
from .subjects import subject_of

PENDING_KEY = "latvija_pending"
SEALED_PURPOSE = "latvija sign-in result"
SEALED_SECONDS = 120


@dataclass(frozen=True)
class LatvijaSettings:
    endpoint: str
    expected: Expectations


class LatvijaProvider:
    id = "latvija"

    def __init__(self, configured: LatvijaSettings, database: Callable[[], Database],
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)):
        self.endpoint = configured.endpoint
        self.expected = configured.expected
        self.database = database
        self.clock = clock

    def _url(self, **query: str) -> str:
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}{urlencode(query)}"

    def login_url(self, next_url: str) -> str:
        context = secrets.token_urlsafe(24)
        session[PENDING_KEY] = context
        query = {"wa": "wsignin1.0", "wtrealm": self.expected.realm,
                 "wreply": url_for("auth.latvija_callback", _external=True), "wctx": context,
                 "wct": self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")}
        if fresh_login_wanted():
            query["wfresh"] = "0"
        return self._url(**query)

    def accept_post(self, form) -> str:
        """Step 2, without the session: verify and spend the assertion; the sealed result."""
        if form.get("wa") != "wsignin1.0" or not form.get("wresult"):
            raise SignInFailed("the callback got no wsignin1.0 result")
        now = self.clock()
        try:
            assertion = verified_assertion(form["wresult"], self.expected, now)
            subject = subject_of(assertion)
        except AssertionExpired as expired:
            raise SignInStale(expired.reason) from None
        except AssertionRefused as refusal:
            raise SignInFailed(refusal.reason) from None
        if not first_use(self.database(), assertion.issuer, assertion.assertion_id,
                         assertion.not_on_or_after + CLOCK_LEEWAY, now):
            raise SignInStale("the assertion was used before (a replay)")
        represented = subject.represented
        return seal({"context": str(form.get("wctx", "")), "code": subject.personal_code,
                     "given_name": assertion.value("givenname"), "surname": assertion.value("surname"),
                     "for": [represented.kind, represented.identifier] if represented else None},
                    SEALED_PURPOSE)

    def complete(self, request: Request) -> Person:
        """Step 3, in the browser's own session."""
        context = session.pop(PENDING_KEY, None)
        result = unseal(str(request.args.get("result", "")), SEALED_PURPOSE, SEALED_SECONDS)
        if result is None:
            raise SignInStale("the sealed sign-in result is missing, forged or older than two minutes")
        if not isinstance(context, str) or not hmac.compare_digest(context, str(result.get("context", ""))):
            raise SignInFailed("the wctx does not match this browser's sign-in")
        party = result.get("for")
        return Person(display_personal_code(result["code"]), str(result["given_name"])[:100],
                      str(result["surname"])[:100], logout_hint="wsignout1.0",
                      represented=Represented(*party) if party else None)

    def logout_url(self, logout_hint: str, return_to: str) -> str | None:
        return self._url(wa="wsignout1.0", wtrealm=self.expected.realm, wreply=return_to)
