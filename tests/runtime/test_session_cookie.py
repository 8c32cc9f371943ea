"""Issue 16 finding 7: the session cookie stays small however many services a resident
starts (past about 40 the old cookie passed 4 KB and the browser dropped it, with the
sign-in and every draft)."""
from __future__ import annotations

import re

from .resident_support import Browser, real_catalogue
from .resident_support import app, browser  # noqa: F401  (shared fixtures)

COOKIE_LIMIT = 4096
ROOM_FOR_SIGN_IN = 1000      # the signed-in person's part of the session, with room to spare


def startable(limit: int) -> list[str]:
    catalogue = real_catalogue()
    return [f"/{municipality_id}/{effective.service.id}" for municipality_id in sorted(catalogue.municipalities)
            for effective in catalogue.enabled_services(municipality_id)][:limit]


def test_the_cookie_stays_small_after_fifty_started_services(app, browser: Browser):
    client = browser.client
    bases = startable(50)
    assert len(bases) == 50
    for base in bases:
        page = client.get(f"{base}/").get_data(as_text=True)
        token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert token, base
        assert client.post(f"{base}/start", data={"csrf_token": token.group(1)}).status_code == 302, base
        size = len(client.get_cookie("pkip_session").value)
        assert size < COOKIE_LIMIT - ROOM_FOR_SIGN_IN, (base, size)
    assert client.get(f"{bases[-1]}/continue").status_code == 302     # the latest drafts go on
