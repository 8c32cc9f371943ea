"""A property-based HTTP fuzz of the resident side: hypothesis walks every shipped service
page by page (in one municipality that offers it), sends the definition's valid answers
with some of them spoiled (NUL and control characters, huge and odd unicode text, wrong
types, missing and extra inputs, many values for one input, a bad CSRF token, many file
parts), and follows the flow to the confirmation. On SQLite and PostgreSQL.

What must hold for every request: no 5xx; and the server log of the whole walk holds no
answer value and no personal code in any written form.

`PKIP_FUZZ_EXAMPLES` sets the number of walks per service (CI: a few; `scripts/fuzz`
runs many)."""
from __future__ import annotations

import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .http_fuzz import LogCapture, Form, input_values, leaks, main_form, plausible, spoiled
from .resident_support import CSRF, TODAY
from .support_documents import dev_sign_in, real_app, real_catalogue

# read at import: the runtime tests' fixtures clear PKIP_* variables before each test
EXAMPLES = int(os.environ.get("PKIP_FUZZ_EXAMPLES", "3"))
RANDOM = bool(os.environ.get("PKIP_FUZZ_RANDOM"))      # new walks each run, not the same derandomised ones
VERBOSE = bool(os.environ.get("PKIP_FUZZ_VERBOSE"))
MAX_STEPS = 30
ERROR_ITEMS = re.compile(r'<li><a href="#[^"]*">([^<]*)</a>')


def journeys() -> list[tuple[str, str, Any]]:
    """(municipality, service, valid test case) for each shipped service."""
    catalogue = real_catalogue()
    found = []
    for service_id, service in sorted(catalogue.services.items()):
        case = next((c for c in service.tests if c.expect.get("valid") is True and not c.expect.get("stop")), None)
        offering = [m for m, mun in sorted(catalogue.municipalities.items())
                    if (s := mun.services.get(service_id)) is not None and s.enabled]
        if case is not None and offering:
            municipality = str(case.context.get("municipality") or offering[0])
            found.append((municipality if municipality in offering else offering[0], service_id, case))
    return found


JOURNEYS = journeys()


@pytest.fixture
def app(app_config):
    # the walks all come from one address: rate limits (tested on their own) would answer
    # 429 instead of letting the fuzzer reach the pages
    application = real_app(app_config, env="development", dev_signin=True, rate_limits="off")
    application.config["PKIP_TODAY"] = TODAY
    yield application
    application.extensions["pkip"].database.dispose()


class Walk:
    """One resident's browser on one service: every response is kept for the checks."""

    def __init__(self, app, base: str):
        self.client = app.test_client()
        self.base = base
        self.seen: list[tuple[str, str, int]] = []      # (method, path, status)
        self.refused: list[tuple[str, list[str]]] = []  # pages the valid answers did not get past

    def request(self, method: str, url: str, **kw):
        response = self.client.open(url, method=method, **kw)
        self.seen.append((method, url.split("?")[0], response.status_code))
        assert response.status_code < 500, f"{method} {url} -> {response.status_code} after {self.seen[-6:]}"
        return response

    def follow(self, response) -> str | None:
        """GET where a redirect leads; its HTML (None when the walk left the service)."""
        location = response.headers.get("Location", "")
        if response.status_code != 302 or not location.startswith(("/", "http://localhost/")):
            return None
        return self.request("GET", location.removeprefix("http://localhost")).get_data(as_text=True)


def post(walk: Walk, url: str, form: Form, payload: dict, button: tuple[str, str] | None):
    data = {name: values for name, values in payload.items()}
    if button:
        data[button[0]] = [button[1]]
    return walk.request("POST", form.action or url, data=data, content_type="multipart/form-data")


def step(walk: Walk, data, url: str, html: str, valid: dict[str, str]) -> tuple[str, str] | None:
    """Send one page spoiled, then (if it was refused) as a careful resident would;
    the next (url, html), or None at the end of the walk."""
    form = main_form(html)
    if form is None:
        return None
    target = form.action or url
    payload, _how = data.draw(spoiled(form, valid), label=f"payload for {target}")
    buttons = [b for b in form.buttons if b[0] != "add_entry"] or form.buttons
    adds = [b for b in form.buttons if b[0] == "add_entry"]
    button = data.draw(st.sampled_from(adds), label="add") if adds and data.draw(st.booleans()) else None
    response = post(walk, url, form, payload, button)
    if response.status_code != 302:      # refused: now as a careful resident (a repeat: add an entry)
        fresh = main_form(walk.request("GET", target).get_data(as_text=True)) or form
        primary = buttons[0] if buttons and buttons[0][0] != "add_entry" else None
        response = post(walk, target, fresh, plausible(fresh, valid), primary)
        if response.status_code != 302 and adds and button is None:
            response = post(walk, target, fresh, plausible(fresh, valid), adds[0])
        if response.status_code != 302:
            walk.refused.append((target, ERROR_ITEMS.findall(response.get_data(as_text=True))))
    html = walk.follow(response)
    location = response.headers.get("Location", "").removeprefix("http://localhost")
    return (location, html) if html is not None else None


def walk_service(app, data, municipality: str, service_id: str, case) -> Walk:
    base = f"/{municipality}/{service_id}"
    walk = Walk(app, base)
    person = case.context.get("person")
    if person:
        dev_sign_in(walk.client, code=person["personal_code"], given_name=person.get("given_name", "Anna"),
                    surname=person.get("surname", "Bērziņa"))
    start_html = walk.request("GET", f"{base}/").get_data(as_text=True)
    token = CSRF.search(start_html)
    started = walk.request("POST", f"{base}/start", data={"csrf_token": token.group(1) or token.group(2)})
    current = (started.headers.get("Location", "").removeprefix("http://localhost"), walk.follow(started))
    valid = input_values(case.answers) | {"declaration": "confirmed"}
    for _ in range(MAX_STEPS):
        if current[1] is None:
            break
        if "/case/" in current[0]:
            walk.request("GET", f"{current[0].rstrip('/')}/application.pdf") if "application.pdf" not in current[
                0] else None
            break
        current = step(walk, data, *current, valid) or (current[0], None)
    return walk


@pytest.mark.parametrize("municipality, service_id, case", JOURNEYS, ids=[j[1] for j in JOURNEYS])
def test_spoiled_answers_never_give_a_server_error_or_a_leaking_log(app, municipality, service_id, case):
    reached: set[str] = set()
    refused: list = []

    @settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                             HealthCheck.too_slow, HealthCheck.data_too_large],
              derandomize=not RANDOM, phases=[Phase.explicit, Phase.reuse, Phase.generate])
    # no shrinking: a walk is dozens of requests, and the failure names its request already
    @given(data=st.data())
    def walk(data):
        with LogCapture() as log:
            done = walk_service(app, data, municipality, service_id, case)
        reached.update(path for _m, path, status in done.seen if status < 400)
        refused.extend(done.refused)
        answers = input_values(case.answers).values()
        assert not leaks(log.lines, answers), "\n".join([*leaks(log.lines, answers), *log.lines[-20:]])

    walk()
    if VERBOSE:
        print(service_id, sorted(reached), refused[:3])
    assert any("/case/" in path for path in reached), (
        f"no walk of {service_id} got to the confirmation; refused: {refused[:3]}; reached: {sorted(reached)}")


def test_every_shipped_service_is_walked():
    assert {service_id for _m, service_id, _c in JOURNEYS} == set(real_catalogue().services)
