"""The applicant's case page in Chromium (issue 13 item 3, issue 14 parts 5 and 6): reached
from "my applications"; the payment details with a QR code large enough to scan and "copy"
buttons that JavaScript reveals and that say what they copied; an information request
answered with a file; the permit downloaded after the decision; with and without
JavaScript. axe-core finds no WCAG 2.1 A/AA violation on any of its states."""
from __future__ import annotations

import pytest

from runtime.cases.audit import AuditContext
from runtime.cases.caseflow import move_case
from runtime.cases.clock import Clock
from runtime.cases.requests import ask_for_information
from runtime.identity import person_code_hash
from tests.runtime.staff.cases import file_case
from tests.runtime.staff.conftest import make_staff

from . import flow
from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, serving

pytestmark = pytest.mark.e2e
JANIS = {"personal_code": "010190-15267", "given_name": "Jānis", "surname": "Bērziņš"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("case-page-instance")) as live:
        clerk = make_staff(live.app, "clerk@riga.lv", "clerk", "riga", "environment")
        commission = make_staff(live.app, "commission@riga.lv", "commission_member", "riga", "environment")
        live.staff = {"clerk": clerk.actor(), "commission": commission.actor()}
        yield live


def janis_case(server, service_id):
    state = server.state
    return file_case(server.app, service_id, "riga",
                     person_hash=person_code_hash(JANIS["personal_code"], state.settings.secret_key))


def page_of(browser, server, javascript=True, width=1280):
    context = browser.new_context(base_url=server.url, locale="lv-LV", java_script_enabled=javascript,
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = context.new_page()
    flow.sign_in(page, JANIS)
    return page


def staff_step(server, who, reference, target, **inputs):
    move_case(server.state.database, server.state.catalogue, server.staff[who], Clock(), AuditContext("staff:e2e"),
              "riga", reference, target, inputs)


def test_payment_details_copy_and_a_scannable_qr_code(browser, server):
    reference = janis_case(server, "dog-fee")
    page = page_of(browser, server)
    page.goto("/my/")
    page.get_by_role("link", name=reference, exact=True).click()
    assert page.get_by_role("heading", name="Kā samaksāt").is_visible()
    assert_accessible(page, "the case page with payment details")
    box = page.locator(".payment-qr__code").bounding_box()
    assert box and box["width"] >= 250, box                 # about 4 px a module for a phone camera
    page.get_by_role("button", name="Kopēt Konts (IBAN)").click()
    iban = server.state.catalogue.municipalities["riga"].iban
    assert page.evaluate("navigator.clipboard.readText()") == iban
    assert page.locator("[data-copy-status]").text_content() == "Nokopēts: Konts (IBAN)"
    phone = page_of(browser, server, width=390)
    phone.goto(f"/riga/case/{reference}")
    assert phone.locator(".payment-qr__code").bounding_box()["width"] >= 250
    assert_accessible(phone, "the case page at 390 px")


def test_without_javascript_the_copy_buttons_stay_hidden_and_the_details_are_written_out(browser, server):
    reference = janis_case(server, "dog-fee")
    page = page_of(browser, server, javascript=False)
    page.goto(f"/riga/case/{reference}")
    iban = server.state.catalogue.municipalities["riga"].iban
    assert page.get_by_text(iban, exact=True).is_visible()
    buttons = page.locator("button[data-copy]")
    assert buttons.count() >= 3 and not any(buttons.nth(i).is_visible() for i in range(buttons.count()))
    # (axe runs in the page's JavaScript, so it checks the same HTML in the tests with it on)


def check(page, what, javascript):
    if javascript:
        assert_accessible(page, what)


@pytest.mark.parametrize("javascript", [True, False])
def test_an_information_request_is_answered_with_a_file_and_the_permit_follows(browser, server, tmp_path, javascript):
    reference = janis_case(server, "tree-felling-permit")
    staff_step(server, "clerk", reference, "in_review")
    ask_for_information(server.state.database, server.state.catalogue, server.staff["clerk"], Clock(),
                        AuditContext("staff:e2e"), "riga", reference, "Lūdzu, pievienojiet koka fotoattēlu.", True)
    page = page_of(browser, server, javascript=javascript)
    page.goto("/my/")
    page.get_by_role("link", name=f"Atbildiet uz pašvaldības pieprasījumu {reference}").click()
    assert page.get_by_text("Lūdzu, pievienojiet koka fotoattēlu.").is_visible()
    check(page, "the case page with an open request", javascript)
    page.get_by_role("button", name="Nosūtīt atbildi").click()
    assert page.get_by_role("alert").is_visible()
    check(page, "the case page with an answer refused", javascript)
    photo = tmp_path / "ozols.png"
    photo.write_bytes(PNG)
    page.get_by_label("Jūsu atbilde").fill("Pievienoju fotoattēlu.")
    page.get_by_label("Datnes").set_input_files(str(photo))
    page.get_by_role("button", name="Nosūtīt atbildi").click()
    assert page.get_by_text("Paldies! Jūsu atbilde ir nosūtīta pašvaldībai.").is_visible()
    assert page.get_by_role("link", name="ozols.png").is_visible()
    staff_step(server, "clerk", reference, "commission")
    staff_step(server, "commission", reference, "issued", decision="Atļauts nocirst vienu ozolu.")
    server.run_outbox()
    page.goto(f"/riga/case/{reference}")
    link = page.get_by_role("link", name="Lejupielādēt: Koku ciršanas atļauja (PDF)")
    assert link.is_visible()
    check(page, "the case page with the permit", javascript)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF-")
