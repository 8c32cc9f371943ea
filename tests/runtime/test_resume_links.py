"""Issue 16 finding 8: a resume link carries its token in the fragment (never sent, so in
no log and no Referer), sent by the page's form; it works once and expires; on both
databases."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from runtime.storage.models import Draft

from .resident_support import OWNER, PET, Browser, make_app, rows
from .resident_support import app, browser  # noqa: F401  (shared fixtures)


def saved_link(browser: Browser) -> tuple[str, str]:
    html = browser.get(f"{PET}/saved")
    path, token = re.search(r'<a class="link" href="http://localhost(/[^"#]+/resume)#([^"]+)"', html).groups()
    assert f'<code class="resume-code">{token}</code>' in html      # to paste without JavaScript
    return path, token


def to_owner_page(browser: Browser) -> str:
    return browser.answer(browser.answer(browser.start(), {"applicant_kind": "person"}), OWNER)


def test_the_link_keeps_its_token_in_the_fragment_and_the_form_sends_it(app, browser):
    pets = to_owner_page(browser)
    path, token = saved_link(browser)
    assert path == f"{PET}/resume" and token not in path
    other = Browser(app)
    form = other.get(path)                   # what a browser asks for: the fragment stays behind
    assert token not in form and 'id="resume-form"' in form and "js/resume.js" in form
    response = other.post(path, {"code": token})
    assert response.status_code == 302 and response.headers["Location"].endswith(pets)
    assert 'value="Bērziņš"' in other.get(f"{PET}/apply/owner")
    again = Browser(app).post(path, {"code": token}, status=404)     # single use
    assert "Šī saite nedarbojas" in again.get_data(as_text=True)


def test_the_resume_page_sends_no_referer_to_other_sites(app, browser):
    response = browser.client.get(f"{PET}/resume")
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def age_token(app, days: float, *, column: str = "resume_token_issued_at") -> None:
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).values(**{column: datetime.now(timezone.utc) - timedelta(days=days)}))


def test_a_link_expires_after_the_configured_days(app_config):
    app = make_app({**app_config, "resume_link_days": 3})
    try:
        browser = Browser(app)
        to_owner_page(browser)
        path, token = saved_link(browser)
        assert "3 dienas" in browser.last_html
        age_token(app, 3.01)
        refused = Browser(app).post(path, {"code": token}, status=410)
        assert "Šīs saites derīguma laiks ir beidzies" in refused.get_data(as_text=True)
        Browser(app).get(f"{path}/{token}", status=410)            # the older path form too
        age_token(app, 2.9)
        Browser(app).post(path, {"code": token}, status=302)
    finally:
        app.extensions["pkip"].database.dispose()


def test_a_draft_from_before_the_expiry_counts_from_its_creation(app, browser):
    to_owner_page(browser)
    path, token = saved_link(browser)
    with app.extensions["pkip"].database.transaction() as session:
        session.execute(update(Draft).values(resume_token_issued_at=None))
    age_token(app, 15, column="created_at")          # the default is 14 days
    Browser(app).post(path, {"code": token}, status=410)


def test_a_used_link_gives_a_fresh_one_with_a_fresh_expiry(app, browser):
    to_owner_page(browser)
    path, token = saved_link(browser)
    age_token(app, 10)
    other = Browser(app)
    other.post(path, {"code": token}, status=302)
    [draft] = rows(app, Draft)
    issued = draft.resume_token_issued_at.replace(tzinfo=draft.resume_token_issued_at.tzinfo or timezone.utc)
    assert datetime.now(timezone.utc) - issued < timedelta(minutes=5)
    _, fresh = saved_link(other)
    assert fresh != token


def test_a_code_that_is_empty_or_too_long_is_simply_not_found(app, browser):
    browser.post(f"{PET}/resume", {"code": ""}, status=404)
    browser.post(f"{PET}/resume", {"code": "x" * 5000}, status=404)
