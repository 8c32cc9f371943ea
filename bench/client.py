"""A small browser for the benchmark: it signs in, presses "start", fills in whatever
form a page shows from one table of answers (keyed by input name, the same for the
runtime and the hand-written app) and follows the redirects until a case reference."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
import lxml.html

SERVICE = "dog-fee"
MUNICIPALITY = "riga"
PERSON = {"given_name": "Jānis", "surname": "Bērziņš", "personal_code": "010190-15267"}
ANSWERS = {
    "owner_kind": "person",
    "owner-given_name": "Jānis", "owner-surname": "Bērziņš", "owner-pensioner": "no",
    "owner-disability_group": "none", "owner-email": "janis@example.lv", "owner-phone": "",
    "dogs-chip": "900123456789012", "dogs-name": "Reksis", "dogs-sterilised": "no",
    "dogs-birth_date-day": "10", "dogs-birth_date-month": "5", "dogs-birth_date-year": "2020",
    "kept_in_municipality": "yes", "keeping_address": "Brīvības iela 1, Rīga, LV-1010",
    "declaration": "confirmed",
}
CASE = re.compile(r"/case/([A-Z0-9]+-[A-Z0-9]+-\d{4}-\d+)/?$")
MAX_STEPS = 20           # pages of one application besides its repeat entries


class FlowError(Exception):
    """The app did not behave as the flow expects (the message says where)."""


@dataclass
class Form:
    action: str
    values: dict[str, str]          # what a browser would send (defaults + our answers)
    buttons: list[tuple[str, str]]  # named submit buttons (name, value)


def main_form(html: str, url: str) -> Form | None:
    """The page's main POST form (the one with most inputs), filled in from ANSWERS."""
    document = lxml.html.fromstring(html)
    candidates = [f for f in document.forms if (f.method or "GET").upper() == "POST"
                  and "signout" not in (f.action or "") and "lang" not in (f.action or "")]
    if not candidates:
        return None
    form = max(candidates, key=lambda f: len(f.inputs))
    values = dict(form.form_values())
    names = {i.name for i in form.inputs if i.name}
    for name in names:
        if name in ANSWERS:
            values[name] = ANSWERS[name]
    buttons = [(b.get("name"), b.get("value", "")) for b in form.xpath(".//button[@name]|.//input[@type='submit'][@name]")]
    return Form(urljoin(url, form.action or url), values, buttons)


def signed_in_client(base: str, timeout: float = 30, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """A client signed in through the development sign-in; `transport` (an
    `httpx.WSGITransport`) drives an app in this process instead of over HTTP."""
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=timeout, transport=transport)
    page = client.get("/signin/dev", params={"next": f"/{MUNICIPALITY}/{SERVICE}/"})
    if page.status_code != 200:
        raise FlowError(f"GET /signin/dev: {page.status_code} (is the development sign-in on?)")
    form = main_form(page.text, str(page.url))
    if form is None:
        raise FlowError("the sign-in page has no form")
    form.values.update({k: v for k, v in PERSON.items() if k in form.values or True})
    done = client.post(form.action, data=form.values)
    if done.status_code != 200:
        raise FlowError(f"POST sign-in: {done.status_code}")
    return client


def start(client: httpx.Client) -> httpx.Response:
    """GET the start page, press "start": the response is the first question page."""
    page = client.get(f"/{MUNICIPALITY}/{SERVICE}/")
    if page.status_code != 200:
        raise FlowError(f"GET start page: {page.status_code}")
    document = lxml.html.fromstring(page.text)
    forms = [f for f in document.forms if (f.action or "").rstrip("/").endswith("/start")]
    if not forms:
        raise FlowError("the start page has no start form (the form flow is not there)")
    values = dict(forms[0].form_values())
    response = client.post(urljoin(str(page.url), forms[0].action), data=values)
    if response.status_code != 200:
        raise FlowError(f"POST start: {response.status_code}")
    return response


def error_text(html: str) -> str:
    document = lxml.html.fromstring(html)
    found = document.xpath("//*[contains(@class, 'error-summary')]//a | //*[contains(@class, 'error-message')]")
    return "; ".join(" ".join(e.text_content().split()) for e in found[:6]) or "(no error summary)"


def entry_answers(index: int) -> dict[str, str]:
    """The answers of the `index`-th dog: its own chip number and name (the chips are unique)."""
    return {"dogs-chip": f"{900123456789012 + index:015d}", "dogs-name": f"Reksis {index + 1}"}


def complete(client: httpx.Client, stop_at: str | None = None, entries: int = 1) -> tuple[str, int]:
    """Start and finish one application with `entries` entries in each repeat (one dog by
    default); (case reference, requests made). With `stop_at` (a path ending, "/check"),
    stop on that page instead: (its path, requests made)."""
    response = start(client)
    requests = 2 + len(response.history)
    added: dict[str, int] = {}
    for _ in range(MAX_STEPS + 2 * entries):
        path = urlsplit(str(response.url)).path
        if stop_at and path.rstrip("/").endswith(stop_at):
            return path, requests
        found = CASE.search(path)
        if found:
            return found.group(1), requests
        form = main_form(response.text, str(response.url))
        if form is None:
            raise FlowError(f"no form on {urlsplit(str(response.url)).path}")
        data = dict(form.values)
        if "dogs-chip" in data and entries > 1:
            data.update(entry_answers(added.get("dogs", 1) - 1))
        adding = next(((n, v) for n, v in form.buttons if n == "add_entry" and added.get(v, 0) < entries), None)
        if adding:
            added[adding[1]] = added.get(adding[1], 0) + 1
            data[adding[0]] = adding[1]
        before = str(response.url)
        response = client.post(form.action, data=data)
        requests += 1 + len(response.history)
        if response.status_code != 200:
            raise FlowError(f"POST {urlsplit(before).path}: {response.status_code}")
        if not response.history and str(response.url) == before:
            raise FlowError(f"POST {urlsplit(before).path} was refused: {error_text(response.text)}")
    raise FlowError(f"no case reference after {MAX_STEPS} pages")


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def owner_session(base: str) -> tuple[str, str, str]:
    """A signed-in session with a draft on the owner page: (cookie, owner path, valid POST body)."""
    client = signed_in_client(base)
    response = start(client)
    path = urlsplit(str(response.url)).path
    if not path.rstrip("/").endswith("/owner"):
        raise FlowError(f"start led to {path}, not the owner page")
    form = main_form(response.text, str(response.url))
    body = str(httpx.QueryParams(form.values))
    check = client.post(form.action, data=form.values)
    if not check.history:
        raise FlowError(f"the owner page refused a valid answer: {error_text(check.text)}")
    return cookie_header(client), path, body


def submissions_for(base: str, seconds: float, results) -> None:
    """Worker process: complete applications for `seconds`; put (count, latencies, requests, error)."""
    latencies, requests, error = [], 0, None
    try:
        client = signed_in_client(base)
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            _, made = complete(client)
            latencies.append(time.perf_counter() - started)
            requests += made
    except Exception as exc:   # reported by the parent, which decides what it means
        error = f"{type(exc).__name__}: {exc}"
    results.put((len(latencies), latencies, requests, error))
