"""The whole loop of issue 14 in Chromium: a resident applies for a tree felling permit in
Riga; a clerk finds it in the inbox and asks for a photo; the resident answers with an
upload; the clerk sets the compensation the municipality calculates and puts the case on
a session of the green-areas commission; two of its three members vote for and one
records the decision; a finance clerk imports the bank's camt.053 statement that pays it;
the clerk issues the permit; the permit PDF appears for the resident and the e-mails
(received, information request, decision) arrive at the SMTP stand-in. axe-core checks
every staff page on the way."""
from __future__ import annotations

import re

import pytest

from runtime.mail_standin import running_standin
from tests.runtime.staff.conftest import PASSWORD, make_staff
from tests.runtime.staff.statements import statement

from . import flow
from .axe import assert_accessible
from .conftest import DEFAULT_TIMEOUT_MS, serving
from .scenarios import journey
from .test_case_page import PNG

pytestmark = pytest.mark.e2e
MEMBERS = ("juris@riga.lv", "daina@riga.lv", "karlis@riga.lv")
PERSONAL_CODE = re.compile(r"\d{6}-?\d{5}")


@pytest.fixture(scope="module")
def mailbox():
    with running_standin() as standin:
        yield standin


@pytest.fixture(scope="module")
def server(tmp_path_factory, mailbox):
    settings = {"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "mail_from": "E-pakalpojumi <noreply@riga.lv>"}
    with serving(tmp_path_factory.mktemp("whole-loop-instance"), settings) as live:
        make_staff(live.app, "clerk@riga.lv", "clerk", "riga", "environment", name="Rita Kļava")
        for email, name in zip(MEMBERS, ("Juris Ozols", "Daina Priede", "Kārlis Vītols")):
            make_staff(live.app, email, "commission_member", "riga", "environment", name=name)
        make_staff(live.app, "finance@riga.lv", "finance", "riga", name="Marta Lapa")
        yield live


def browser_page(browser, server):
    context = browser.new_context(base_url=server.url, locale="lv-LV")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return context.new_page()


def staff_sign_in(browser, server, email):
    page = browser_page(browser, server)
    page.goto("/staff/signin")
    page.get_by_label("E-pasta adrese").fill(email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_role("button", name="Pierakstīties").click()
    return page


def test_from_the_application_to_the_permit(browser, server, mailbox, tmp_path):
    chosen = journey("tree-felling-permit", municipality="riga")
    server.set_today(chosen.today)
    try:
        resident, reference = apply(browser, server, chosen)
        clerk = ask_for_a_photo(browser, server, reference)
        answer_with_a_photo(resident, reference, tmp_path)
        session_url = set_the_compensation_and_put_it_on_the_agenda(clerk, reference)
        the_commission_approves(browser, server, session_url, reference)
        pay_by_statement(browser, server, reference, tmp_path)
        clerk.goto(f"/staff/riga/case/{reference}")
        clerk.get_by_role("button", name="Samaksa saņemta, izsniegt atļauju").click()
        assert clerk.get_by_text("Atļauja izsniegta").first.is_visible()
        server.run_outbox()
    finally:
        server.set_today(None)
    resident.goto(f"/riga/case/{reference}")
    link = resident.get_by_role("link", name="Lejupielādēt: Koku ciršanas atļauja (PDF)")
    assert link.is_visible()
    assert resident.request.get(link.get_attribute("href")).body().startswith(b"%PDF-")
    mail_arrived(mailbox, reference)


def apply(browser, server, chosen):
    resident = browser_page(browser, server)
    flow.sign_in(resident, chosen.person, next_path=chosen.start_path)
    reference = flow.complete(resident, chosen)
    return resident, reference


def ask_for_a_photo(browser, server, reference):
    clerk = staff_sign_in(browser, server, "clerk@riga.lv")
    clerk.get_by_role("link", name="Iesūtne").first.click()
    assert_accessible(clerk, "the inbox with the new application")
    clerk.get_by_role("link", name=reference).click()
    clerk.get_by_role("button", name="Sākt izskatīt").click()
    clerk.get_by_label("Kas jums vajadzīgs? Iesniedzējs redzēs šo tekstu.").fill("Lūdzu, pievienojiet ozola fotoattēlu.")
    clerk.get_by_label("Lūgt datnes (fotoattēlus, dokumentus)").check()
    clerk.get_by_role("button", name="Nosūtīt pieprasījumu").click()
    assert_accessible(clerk, "the case file awaiting the applicant")
    return clerk


def answer_with_a_photo(resident, reference, tmp_path):
    resident.goto("/my/")
    resident.get_by_role("link", name=f"Atbildiet uz pašvaldības pieprasījumu {reference}").click()
    photo = tmp_path / "ozols.png"
    photo.write_bytes(PNG)
    resident.get_by_label("Jūsu atbilde").fill("Pievienoju fotoattēlu.")
    resident.get_by_label("Datnes").set_input_files(str(photo))
    resident.get_by_role("button", name="Nosūtīt atbildi").click()
    assert resident.get_by_text("Paldies! Jūsu atbilde ir nosūtīta pašvaldībai.").is_visible()


def set_the_compensation_and_put_it_on_the_agenda(clerk, reference):
    clerk.goto(f"/staff/riga/case/{reference}")
    assert clerk.get_by_role("link", name="ozols.png").first.is_visible()     # the answer, in the case file
    clerk.locator("#assessed_amount").fill("24.48")
    clerk.get_by_label("Kā tā aprēķināta").fill("51 cm x 2.00 x 1.5 x 1.5 x 0.8 x 0.1333")
    clerk.get_by_role("button", name="Noteikt summu").click()
    assert clerk.get_by_text("Summa vēl nav noteikta").count() == 0
    assert_accessible(clerk, "the case file with the compensation set")
    clerk.get_by_role("button", name="Nodot komisijai").click()
    clerk.goto("/staff/riga/commissions")
    clerk.get_by_label("Datums").fill("2026-03-10")
    clerk.get_by_label("Vieta").fill("Rātslaukums 1, 2. zāle")
    clerk.get_by_role("button", name="Izveidot sēdi").click()
    clerk.get_by_label("Lieta un ierosinātais solis").select_option(f"{reference}|awaiting_payment")
    clerk.get_by_label("Ierosinātais lēmums").fill("Atļauju piešķirt; kompensācija 24,48 EUR jāmaksā")
    clerk.get_by_role("button", name="Iekļaut darba kārtībā").click()
    assert_accessible(clerk, "the session with the case on its agenda")
    return clerk.url.split("#")[0]


def the_commission_approves(browser, server, session_url, reference):
    for email in MEMBERS[:2]:
        member = staff_sign_in(browser, server, email)
        member.goto(session_url)
        member.get_by_label("Par", exact=True).check()
        member.get_by_role("button", name="Balsot").click()
    assert_accessible(member, "the voting")
    member.get_by_role("button", name=f"Reģistrēt lēmumu par {reference}").click()
    assert member.get_by_text("Pieņemts: lieta ir virzīta tālāk").is_visible()
    assert_accessible(member, "the decision recorded")


def pay_by_statement(browser, server, reference, tmp_path):
    finance = staff_sign_in(browser, server, "finance@riga.lv")
    finance.goto("/staff/riga/payments")
    assert_accessible(finance, "the payments page")
    path = tmp_path / "izraksts.xml"
    path.write_bytes(statement([("24.48", f"Kompensacija {reference}", "TX-LOOP-1")]))
    finance.get_by_label("Bankas izraksts (camt.053 XML)").set_input_files(str(path))
    finance.get_by_role("button", name="Importēt izrakstu").click()
    assert finance.get_by_role("status").get_by_text(reference).is_visible()
    assert_accessible(finance, "the statement imported")


def mail_arrived(mailbox, reference):
    messages = [m for m in mailbox.messages if reference in m["Subject"]]
    subjects = " | ".join(m["Subject"] for m in messages)
    assert len(messages) >= 3, subjects                  # received, information request, decision
    assert all(m["To"] == "janis@example.lv" for m in messages), subjects
    assert subjects.count(reference) == len(messages) and "Pieteikums saņemts" in subjects
    assert not any(PERSONAL_CODE.search(m.get_content()) for m in messages)
