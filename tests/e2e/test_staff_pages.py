"""The staff pages in Chromium: axe-core finds no WCAG 2.1 A/AA violation on any of them
(sign-in, sign-in with an error, home, inbox, case file, a step refused for a missing
decision, the audit log, the outgoing messages, filing in person, the profile), a clerk works a case, an
admin retries a parked message and a client service centre clerk starts a filing in person
with JavaScript turned off."""
from __future__ import annotations

import uuid

import pytest

from tests.runtime.staff.cases import file_case
from tests.runtime.staff.conftest import PASSWORD, make_staff

from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, serving

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def staff_server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("staff-instance")) as server:
        make_staff(server.app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
        make_staff(server.app, "commission@riga.lv", "commission_member", "riga", "environment", name="Juris Ozols")
        make_staff(server.app, "admin@riga.lv", "municipal_admin", "riga", name="Inese Liepa")
        make_staff(server.app, "csc@riga.lv", "csc_clerk", "riga", name="Daiga Kalniņa")
        yield server


def staff_page(browser, server, javascript=True):
    context = browser.new_context(base_url=server.url, locale="lv-LV", java_script_enabled=javascript)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def sign_in(page, email, password=PASSWORD):
    page.goto("/staff/signin")
    page.get_by_label("E-pasta adrese").fill(email)
    page.get_by_label("Parole").fill(password)
    page.get_by_role("button", name="Pierakstīties").click()


def test_every_staff_page_passes_axe(browser, staff_server):
    reference = file_case(staff_server.app, "tree-felling-permit", "riga")
    page = staff_page(browser, staff_server)
    page.goto("/staff/signin")
    assert_accessible(page, "the staff sign-in")
    sign_in(page, "clerk@riga.lv", "not the password at all")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page, "the staff sign-in with an error")
    sign_in(page, "clerk@riga.lv")
    assert_accessible(page, "the staff home")
    page.get_by_role("link", name="Iesūtne").click()
    assert_accessible(page, "the inbox")
    page.get_by_role("link", name=reference).click()
    assert_accessible(page, "the case file")
    page.get_by_role("button", name="Sākt izskatīt").click()
    page.get_by_role("button", name="Nodot komisijai").click()
    commission = staff_page(browser, staff_server)
    sign_in(commission, "commission@riga.lv")
    commission.goto(f"/staff/riga/case/{reference}")
    commission.get_by_role("button", name="Piešķirt atļauju (jāmaksā kompensācija)").click()
    assert commission.get_by_role("alert").is_visible()
    assert_accessible(commission, "a step refused for a missing decision")
    admin = staff_page(browser, staff_server)
    sign_in(admin, "admin@riga.lv")
    admin.goto("/staff/riga/audit")
    assert admin.get_by_text("case.transition").first.is_visible()
    assert_accessible(admin, "the audit log")
    park_a_message(staff_server.app)
    admin.goto("/staff/riga/outbox")
    assert admin.get_by_text("refused: unknown addressee").is_visible()
    assert_accessible(admin, "the outgoing messages")


def park_a_message(app):
    from runtime.storage.models import OutboxJob, utc_now
    with app.extensions["pkip"].database.transaction() as session:
        session.add(OutboxJob(kind="publish", payload={"publisher": "div"}, attempts=1, municipality_id="riga",
                              idempotency_key=f"div:e2e:{uuid.uuid4()}", last_error="refused: unknown addressee",
                              dead_at=utc_now()))


def test_an_admin_retries_a_parked_message_without_javascript(browser, staff_server):
    park_a_message(staff_server.app)
    page = staff_page(browser, staff_server, javascript=False)
    sign_in(page, "admin@riga.lv")
    page.goto("/staff/riga/outbox")
    page.get_by_role("button", name="Sūtīt vēlreiz tagad").first.click()
    assert page.url.endswith("/staff/riga/outbox")
    assert page.get_by_role("heading", name="Neizdevās, tiks sūtītas vēlreiz (1)").is_visible()


def test_a_clerk_works_a_case_without_javascript(browser, staff_server):
    reference = file_case(staff_server.app, "tree-felling-permit", "riga")
    page = staff_page(browser, staff_server, javascript=False)
    sign_in(page, "clerk@riga.lv")
    page.goto("/staff/riga/inbox")
    page.get_by_label("Meklēt pēc lietas numura vai iesniedzēja").fill(reference)
    page.get_by_role("button", name="Rādīt lietas").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Sākt izskatīt").click()
    assert page.get_by_text("Izskatīšanā").first.is_visible()
    page.get_by_label("Pievienot piezīmi").fill("Lūdzam pievienot koka fotoattēlu")
    page.get_by_label("Iesniedzējs drīkst redzēt šo piezīmi").check()
    page.get_by_role("button", name="Pievienot piezīmi").click()
    assert page.get_by_text("Lūdzam pievienot koka fotoattēlu").is_visible()
    page.get_by_role("button", name="Iziet").click()
    assert page.url.endswith("/staff/signin")


def test_filing_in_person_passes_axe_and_works_without_javascript(browser, staff_server):
    page = staff_page(browser, staff_server)
    sign_in(page, "csc@riga.lv")
    page.get_by_role("link", name="Iesniegt pieteikumu personas vārdā").click()
    assert_accessible(page, "filing in person")
    page.get_by_role("button", name="Sākt pieteikumu").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page, "filing in person with errors")
    page.goto("/staff/profile")
    assert_accessible(page, "the staff profile")
    no_js = staff_page(browser, staff_server, javascript=False)      # (axe itself needs JavaScript)
    sign_in(no_js, "csc@riga.lv")
    no_js.get_by_role("link", name="Iesniegt pieteikumu personas vārdā").click()
    no_js.get_by_label("Pakalpojums").select_option("example-pet-registration")
    no_js.get_by_label("Personas kods").fill("010190-15267")
    no_js.get_by_label("Vārds", exact=True).fill("Jānis")
    no_js.get_by_label("Uzvārds").fill("Bērziņš")
    no_js.get_by_role("button", name="Sākt pieteikumu").click()
    assert no_js.url.endswith("/riga/example-pet-registration/apply/applicant")


def test_a_commission_session_without_javascript_and_axe_on_its_pages(browser, staff_server):
    """A clerk prepares a session and a member votes and records the decision, both without
    JavaScript; axe (which needs JavaScript to run) checks the same pages in a second
    browser of each: the commissions list, a new session refused, the agenda with its forms,
    the voting and the recorded outcome."""
    reference = file_case(staff_server.app, "tree-felling-permit", "riga")
    clerk = staff_page(browser, staff_server, javascript=False)
    sign_in(clerk, "clerk@riga.lv")
    clerk.goto(f"/staff/riga/case/{reference}")
    clerk.get_by_role("button", name="Sākt izskatīt").click()
    clerk.get_by_role("button", name="Nodot komisijai").click()
    clerk.goto("/staff/")
    clerk.get_by_role("link", name="Komisiju sēdes").first.click()
    clerk.get_by_label("Datums").fill("2026-03-10")
    clerk.get_by_label("Vieta").fill("Rātslaukums 1, 2. zāle")
    clerk.get_by_role("button", name="Izveidot sēdi").click()
    clerk.get_by_label("Lieta un ierosinātais solis").select_option(f"{reference}|awaiting_payment")
    clerk.get_by_label("Ierosinātais lēmums").fill("Atļauju piešķirt; kompensācija jāmaksā")
    clerk.get_by_role("button", name="Iekļaut darba kārtībā").click()
    assert clerk.get_by_role("link", name=reference).is_visible()
    session_url = clerk.url.split("#")[0]
    checker = staff_page(browser, staff_server)
    sign_in(checker, "clerk@riga.lv")
    checker.goto("/staff/riga/commissions")
    assert_accessible(checker, "the commissions and their sessions")
    checker.get_by_label("Datums").fill("2026-03-24")
    checker.get_by_role("button", name="Izveidot sēdi").click()
    assert checker.get_by_role("alert").is_visible()
    assert_accessible(checker, "a new session refused for a missing place")
    checker.goto(session_url)
    assert_accessible(checker, "the session's agenda and its forms")
    member = staff_page(browser, staff_server, javascript=False)
    sign_in(member, "commission@riga.lv")
    member.goto(session_url)
    member.get_by_label("Par", exact=True).check()
    member.get_by_role("button", name="Balsot").click()
    member_checker = staff_page(browser, staff_server)
    sign_in(member_checker, "commission@riga.lv")
    member_checker.goto(session_url)
    assert member_checker.get_by_label("Par", exact=True).is_checked()
    assert_accessible(member_checker, "the voting")
    member.get_by_role("button", name=f"Reģistrēt lēmumu par {reference}").click()
    assert member.get_by_text("Pieņemts: lieta ir virzīta tālāk").is_visible()
    member_checker.reload()
    assert_accessible(member_checker, "the recorded outcome")
