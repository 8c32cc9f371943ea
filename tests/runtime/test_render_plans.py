"""One page, one truth: the render plans (runtime/web/resident/plans.py, pages.py
`planned_page`, runtime/layout.py) draw exactly what the Jinja templates draw. Every page
of every shipped service, in Latvian and English, with the answers of each of the
definition's own tests (and with none), is rendered with the plans and again with every
plan switched off, on GET and (with no answers and with the first test's) after a post
that leaves errors; the HTML must be the same (CSRF tokens, timestamped, set aside)."""
from __future__ import annotations

import importlib
import re

import pytest
from markupsafe import Markup, escape
from sqlalchemy import select, update

from builder.engine import Context, evaluate, to_json
from runtime.layout import PARTS
from runtime.web import catalogue as catalogue_views
from runtime.web.page_plans import KEPT as PAGE_PLANS, Slot
from runtime.storage.models import Draft, Submission
from runtime.storage.staff_models import InformationRequest
from runtime.web.resident import check as check_views
from runtime.web.resident import entries as entry_pages
from runtime.web.resident import pages as question_pages
from runtime.web.resident import payment as payment_module
from runtime.web.resident import plans as field_plans
from runtime.web.resident.summary_plans import escaped

from .resident_support import PET, TODAY, Browser, make_app, real_catalogue

account_views = importlib.import_module("runtime.web.account")     # the package's `account` is the blueprint
CSRF_VALUE = re.compile(r'(?<=name="csrf_token" value=")[^"]+|(?<=name="csrf_token" type="hidden" value=")[^"]+')


@pytest.fixture
def app(tmp_path):
    application = make_app({"instance_path": str(tmp_path / "instance"), "env": "testing", "auto_upgrade": True,
                            "database_url": f"sqlite:///{tmp_path / 'plans.sqlite3'}", "rate_limits": "off"})
    yield application
    application.extensions["pkip"].database.dispose()


def offered_services():
    catalogue = real_catalogue()
    for service in sorted(catalogue.services.values(), key=lambda s: s.id):
        offering = [m for m in sorted(catalogue.municipalities) if catalogue.effective(m, service.id)]
        if offering:
            yield catalogue.effective(offering[0], service.id)


def answer_sets(effective) -> list[dict]:
    """No answers, then each definition test's answers as a draft would keep them."""
    found = [{}]
    for case in effective.service.tests:
        outcome = evaluate(effective, dict(case.answers), Context(today=TODAY))
        found.append(to_json(outcome.values))
    return found


class Unplanned:
    """Switch every render plan off, so that the templates alone draw the page."""

    def __init__(self, app, monkeypatch):
        self.app, self.monkeypatch = app, monkeypatch

    def __enter__(self):
        from flask import render_template

        env = self.app.jinja_env
        self.saved = {name: env.globals[name] for name in ("layout_parts", "layout_header")}
        env.globals.update(
            layout_parts=lambda municipality: {part: Markup(render_template(
                f"layout/{part}.html", municipality=municipality or None)) for part in PARTS},
            layout_header=lambda *_: None)
        self.monkeypatch.setattr(question_pages, "planned_page", lambda *args, **kwargs: None)
        self.monkeypatch.setattr(entry_pages, "planned_entry", lambda *args, **kwargs: None)
        self.monkeypatch.setattr(catalogue_views, "planned_start", lambda *args, **kwargs: None)
        self.monkeypatch.setattr(check_views, "planned_check", lambda *args, **kwargs: None)
        self.monkeypatch.setattr(check_views, "planned_confirmation", lambda *args, **kwargs: None)
        self.monkeypatch.setattr(account_views, "planned_my_applications", lambda *args, **kwargs: None)
        # the field macros' module is imported once and keeps the globals it saw, so the
        # field plans are switched off where `planned_field` decides: no kind is planned
        self.monkeypatch.setattr(field_plans, "PLANNED", frozenset())
        return self

    def __exit__(self, *_):
        self.app.jinja_env.globals.update(self.saved)
        self.monkeypatch.undo()


def without_tokens(html: str) -> str:
    return CSRF_VALUE.sub("", html)


def both_ways(app, monkeypatch, draw) -> tuple[tuple[int, str], tuple[int, str]]:
    """`draw()` with the plans, then with every plan switched off."""
    planned = draw()
    with Unplanned(app, monkeypatch):
        return planned, draw()


def get_page(browser, url: str) -> tuple[int, str]:
    response = browser.client.get(url)
    return response.status_code, without_tokens(response.get_data(as_text=True))


def test_plans_and_templates_draw_the_same_pages(app, monkeypatch):
    browser = Browser(app)
    database = app.extensions["pkip"].database
    compared = {"get": 0, "errors": 0}
    for effective in offered_services():
        base = f"/{effective.municipality.id}/{effective.service.id}"
        browser.start(base)
        token = browser.token(f"{base}/")      # the session's CSRF token, valid on every page
        for number, answers in enumerate(answer_sets(effective)):
            for page in effective.service.pages:
                for language in ("lv", "en"):
                    url = f"{base}/apply/{page.id}"

                    def draw(method: str) -> tuple[int, str]:
                        with database.transaction() as session:     # the same answers for both ways
                            session.execute(update(Draft).values(answers=answers))
                        if method == "get":
                            response = browser.client.get(f"{url}?lang={language}")
                        else:
                            response = browser.client.post(f"{url}?lang={language}", data={"csrf_token": token})
                        return response.status_code, without_tokens(response.get_data(as_text=True))

                    # a post with no fields leaves the errors of an empty page: with no answers
                    # and with one test's answers that is every kind of error a page shows
                    for method in ("get", "post") if number < 2 else ("get",):
                        planned, unplanned = both_ways(app, monkeypatch, lambda: draw(method))
                        assert planned == unplanned, (base, page.id, language, method, len(answers))
                        if planned[0] == 200:
                            compared["get" if method == "get" else "errors"] += 1
    assert compared["get"] > 100 and compared["errors"] > 20, compared


HOSTILE = " & <b>\"'</b> &amp;"     # every character markupsafe escapes, and an entity


def hostile(value):
    """A stored answer with HOSTILE appended to every text in it (an entry's, a group's too)."""
    if isinstance(value, str):
        return value + HOSTILE
    if isinstance(value, dict):
        return {key: hostile(item) for key, item in value.items()}
    if isinstance(value, list):
        return [hostile(item) for item in value]
    return value


def test_planned_question_pages_escape_answers_as_the_templates(app, monkeypatch):
    """Each definition test's answers with quotes, ampersands and tags in every text: the
    planned question pages (the fields' plans fill the values by `escaping.escaped`, the
    page's plan its slots) and the templates draw the same HTML, over every shipped
    service's pages; it fails if a plan's value went in unescaped or escaped twice."""
    browser = Browser(app)
    database = app.extensions["pkip"].database
    compared = 0
    for effective in offered_services():
        base = f"/{effective.municipality.id}/{effective.service.id}"
        browser.start(base)
        for answers in answer_sets(effective)[1:]:
            answers = hostile(answers)
            for page in effective.service.pages:
                def draw() -> tuple[int, str]:
                    with database.transaction() as session:
                        session.execute(update(Draft).values(answers=answers))
                    return get_page(browser, f"{base}/apply/{page.id}")

                planned, unplanned = both_ways(app, monkeypatch, draw)
                assert planned == unplanned, (base, page.id)
                if planned[0] == 200 and "&lt;b&gt;" in planned[1]:
                    compared += 1
                assert "<b>\"" not in planned[1], (base, page.id)
    assert compared > 30, compared


def test_planned_start_pages_are_the_templates(app, monkeypatch):
    """Every offered service's start page, in Latvian and English, before and after a
    draft is started, twice (drawing the plan, then from it): what the template draws."""
    browser = Browser(app)
    compared = 0
    for effective in offered_services():
        base = f"/{effective.municipality.id}/{effective.service.id}"
        for has_draft in (False, True):
            if has_draft:
                browser.start(base)
            for language in ("lv", "en", "lv"):
                planned, unplanned = both_ways(app, monkeypatch, lambda: get_page(browser, f"{base}/?lang={language}"))
                assert planned == unplanned and planned[0] == 200, (base, language, has_draft)
                compared += 1
        assert len(effective.__dict__.get(PAGE_PLANS, {})) == 4, base     # both languages, with and without a draft
    assert compared >= 6 * 7, compared       # the shipped services, each offered somewhere


def drafts_of_every_service(app, browser, first: int = 0):
    """Each offered service's draft holding, in turn, each answer set from `first` on:
    (the service, its address) after the draft's answers were stored."""
    database = app.extensions["pkip"].database
    for effective in offered_services():
        base = f"/{effective.municipality.id}/{effective.service.id}"
        browser.start(base)
        for answers in answer_sets(effective)[first:]:
            with database.transaction() as session:
                session.execute(update(Draft).values(answers=answers))
            yield effective, base, answers


def test_planned_check_pages_are_the_templates(app, monkeypatch):
    """Every offered service's check page with no answers and with each definition test's,
    in Latvian and English, drawn from its plans (the page's and the summary lists') and
    by the template alone: the same HTML."""
    browser = Browser(app)
    compared = 0
    for _effective, base, answers in drafts_of_every_service(app, browser):
        for language in ("lv", "en"):
            planned, unplanned = both_ways(app, monkeypatch,
                                           lambda: get_page(browser, f"{base}/check?lang={language}"))
            assert planned == unplanned, (base, language, len(answers))
            compared += planned[0] == 200 and 'class="summary-list__row"' in planned[1]
    assert compared > 20, compared


def test_planned_summary_lists_are_the_rows_drawn_one_by_one(signed_in_app, monkeypatch):
    """Every offered service's check page, signed in (a prefilled personal code is locked:
    a row without its Change link), with no answers and with each definition test's, in
    Latvian and English: its summary lists drawn from their plans
    (`summary_rows.planned_sections`) and by `summary.sections` row by row through the
    macros' plans (`sections_markup`), the same HTML; and the same as the template's."""
    from runtime.web.resident.summary import sections
    from runtime.web.resident.summary_plans import sections_markup

    app, browser = signed_in_app, Browser(signed_in_app)
    browser.post("/signin/dev?next=/my/", {"given_name": "Jānis", "surname": "Bērziņš",
                                           "personal_code": "010190-15267"})
    drawn = {"rows": 0, "locked": 0, "entries": 0}
    for _effective, base, answers in drafts_of_every_service(app, browser):
        for language in ("lv", "en", "lv"):
            def page() -> tuple[int, str]:
                return get_page(browser, f"{base}/check?lang={language}")
            planned = page()
            with monkeypatch.context() as patched:
                patched.setattr(check_views, "planned_sections",
                                lambda application, outcome: sections_markup(sections(application, outcome)))
                one_by_one = page()
            assert planned == one_by_one, (base, language, len(answers))     # or both a redirect (a stop)
            with Unplanned(app, monkeypatch):
                assert page() == planned, (base, language, len(answers))
            html = planned[1]
            drawn["rows"] += html.count('class="summary-list__row"')
            drawn["locked"] += html.count('<dd class="summary-list__actions"></dd>')
            drawn["entries"] += len(re.findall(r'/\d+\?return=check"', html))      # an entry's Change link
    assert min(drawn.values()) > 5, drawn


@pytest.mark.parametrize("text", ["", "Suns", "Ā & <b>\"'</b> > &amp;", "{x} \x00", Markup("<i>mark</i>"), 7,
                                  Slot("total", 5), Markup(""), None])
def test_plans_escape_as_markupsafe_does(text):
    """The plans' one-call escape (`runtime.escaping`, the summary lists' `escaped`) gives
    markupsafe's escape() text, quotes, ampersands, markup and non-strings alike, as a
    plain str (Markup's `+` would escape what it is added to)."""
    assert escaped(text) == str(escape(text)) and type(escaped(text)) is str


def test_planned_list_pages_with_an_entrys_notice_are_the_templates(app, monkeypatch):
    """A list page just after one of its entries was added, saved or removed (the notice
    named in its address), for every repeat of every offered service with a definition
    test's answers that have an entry, in Latvian and English: the plan with the notice
    draws what the template draws."""
    from runtime.forms import page_form_class
    from runtime.forms.naming import html_name

    browser = Browser(app)
    compared = 0
    for effective, base, answers in drafts_of_every_service(app, browser, first=1):
        for page in effective.service.pages:
            for repeat in page_form_class(effective.service, page).model_repeats:
                if not answers.get(repeat.path):
                    continue
                for done, language in (("added", "lv"), ("saved", "en"), ("removed", "lv")):
                    url = f"{base}/apply/{page.id}?lang={language}&done={done}.0.{html_name(repeat.path)}"
                    planned, unplanned = both_ways(app, monkeypatch, lambda: get_page(browser, url))
                    assert planned == unplanned, (base, page.id, done, language)
                    compared += planned[0] == 200 and "data-notice" in planned[1]
    assert compared >= 100, compared


def test_planned_entry_pages_are_the_templates(app, monkeypatch):
    """Every entry's page of every repeat of every offered service, each stored entry's and
    the new one's, with no answers and with each definition test's, in Latvian and English,
    from the list and from the check page: the plan draws what the template draws."""
    from runtime.forms import page_form_class
    from runtime.forms.naming import html_name

    browser = Browser(app)
    database = app.extensions["pkip"].database
    compared = 0
    for effective in offered_services():
        base = f"/{effective.municipality.id}/{effective.service.id}"
        browser.start(base)
        for answers in answer_sets(effective):
            with database.transaction() as session:
                session.execute(update(Draft).values(answers=answers))
            for page in effective.service.pages:
                for repeat in page_form_class(effective.service, page).model_repeats:
                    for index in range(len(answers.get(repeat.path) or []) + 1):
                        for language, back in (("lv", ""), ("en", "&return=check")):
                            url = f"{base}/apply/{page.id}/{html_name(repeat.path)}/{index}?lang={language}{back}"
                            planned, unplanned = both_ways(app, monkeypatch, lambda: get_page(browser, url))
                            assert planned == unplanned, (base, page.id, index, language, back)
                            compared += planned[0] == 200
        assert any(key[0] == "entry" for key in kept_plans(effective)) or not any(
            page_form_class(effective.service, page).model_repeats for page in effective.service.pages), base
    assert compared >= 50, compared


def kept_plans(effective) -> dict:
    return effective.__dict__.get(field_plans.KEPT, {})


def sent_cases(browser, database, effective):
    """The confirmation address of a case sent with each of the definition's tests'
    answers that may be sent, one at a time (a browser is shown its last few cases only)."""
    base = f"/{effective.municipality.id}/{effective.service.id}"
    for answers in answer_sets(effective)[1:]:
        browser.start(base)
        with database.transaction() as session:
            session.execute(update(Draft).values(answers=answers))
        token = browser.token(f"{base}/")       # the session's CSRF token, valid on every page
        sent = browser.client.post(f"{base}/check", data={"declaration": "confirmed", "csrf_token": token})
        if sent.status_code == 302 and "/case/" in sent.headers["Location"]:
            yield sent.headers["Location"]


# a case's stored facts that the confirmation shows or not: free (no fees), without an
# institution, without a due date or a date to pay by
CASE_STATES = ({}, {"fees": None}, {"institution": None}, {"due_on": None, "payment_due_on": None})


def test_planned_confirmations_are_the_templates(app, monkeypatch):
    """Every offered service's confirmation of a case sent with each definition test's
    answers (at the first municipality offering it, and at Riga, whose IBAN gives a QR
    code), in Latvian and English, as sent, free, without an institution or due dates,
    and without its QR code: drawn from its plans (the page's and the fee table's) and
    by the template alone, the same HTML."""
    browser = Browser(app)
    database = app.extensions["pkip"].database
    compared = {"paid": 0, "free": 0, "qr": 0, "no qr": 0}
    catalogue = real_catalogue()
    riga = [catalogue.effective("riga", effective.service.id) for effective in offered_services()]
    for effective in [*offered_services(), *filter(None, riga)]:     # only Riga gives its IBAN: the QR code
        for url in sent_cases(browser, database, effective):
            reference = url.rsplit("/", 1)[1]
            for state in CASE_STATES:
                if state:
                    with database.transaction() as session:
                        session.execute(update(Submission).where(Submission.reference == reference).values(**state))
                for qr in (True, False):
                    with pytest.MonkeyPatch.context() as patch:
                        if not qr:
                            patch.setattr(payment_module, "epc_qr_svg", lambda *_: None)
                        for language in ("lv", "en", "lv"):
                            planned, unplanned = both_ways(app, monkeypatch,
                                                           lambda: get_page(browser, f"{url}?lang={language}"))
                            assert planned == unplanned and planned[0] == 200, (url, state, qr, language)
                    compared["paid" if "how-to-pay" in planned[1] else "free"] += 1
                    compared["qr" if "<svg" in planned[1] else "no qr"] += 1
    assert min(compared.values()) > 5, compared


@pytest.fixture
def signed_in_app(tmp_path):
    """An app with the development sign-in, whose stand-in population register gives
    Jānis a child to act for."""
    application = make_app({"instance_path": str(tmp_path / "instance"), "env": "development", "auto_upgrade": True,
                            "database_url": f"sqlite:///{tmp_path / 'mine.sqlite3'}", "rate_limits": "off",
                            "signin_standins": True, "dev_signin": True})
    yield application
    application.extensions["pkip"].database.dispose()


def test_planned_my_applications_are_the_templates(signed_in_app, monkeypatch):
    """"My applications" of a person with nothing, with a draft, with the cases of every
    offered service (a queue's places among them) and a draft, with cases without an
    institution or due date, with a case awaiting an answer, and acting for their child:
    planned and by the template alone, in Latvian and English, the same HTML."""
    app, browser = signed_in_app, Browser(signed_in_app)
    database = app.extensions["pkip"].database
    browser.post("/signin/dev?next=/my/", {"given_name": "Jānis", "surname": "Bērziņš",
                                           "personal_code": "010190-15267"})
    browser.post("/my/acting-for?next=/my/", {"party": "self", "next": "/my/"}, status=302)
    compared = []

    def compare(state: str) -> None:
        for language in ("lv", "en", "lv"):
            planned, unplanned = both_ways(app, monkeypatch, lambda: get_page(browser, f"/my/?lang={language}"))
            assert planned == unplanned and planned[0] == 200, (state, language)
        compared.append((state, planned[1].count("<tr>"), planned[1].count("<li>"), "#requests" in planned[1],
                         planned[1].count("<h3")))

    compare("nothing")
    browser.start(PET)
    compare("a draft")
    for number, effective in enumerate(offered_services()):     # a queue's places among them
        for _url in sent_cases(browser, database, effective):
            pass
        browser.start(PET)
        compare(f"cases up to {effective.service.id} and a draft")
        if number == 0:
            with database.transaction() as session:
                session.execute(update(Submission).values(institution=None, due_on=None))
            compare("cases without an institution or due date")
            with database.transaction() as session:
                session.add(InformationRequest(submission_id=session.scalars(select(Submission.id)).first(),
                                               asked_on=TODAY, question="?", returns_to="submitted"))
            compare("a case awaiting an answer")
    browser.post("/my/acting-for?next=/my/", {"party": "party-0", "next": "/my/"}, status=302)
    compare("acting for a child")
    assert compared[-2][1] > 8 and compared[-2][2] >= 1 and any(found[3] for found in compared), compared
    assert compared[-2][4] >= 1, compared            # a queue's places compared too
