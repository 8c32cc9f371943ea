"""`pkip check-invoice FILE...`: per file `FILE: accepted|rejected`, then one line per
problem `RULE-ID fatal|warning: message`; exit 1 if any file is rejected."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.builder.invoices import invoice, set_text
from tests.builder.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = re.compile(r"^(?P<rule>[A-Z][A-Z0-9-]+) (?P<severity>fatal|warning): \S.*$")


def test_an_accepted_invoice_prints_accepted_and_exits_0(tmp_path, capsys):
    path = tmp_path / "rekins.xml"
    path.write_bytes(invoice())
    assert run(capsys, "check-invoice", str(path)) == (0, [f"{path}: accepted"])


def test_each_problem_is_a_line_with_rule_severity_and_message(tmp_path, capsys):
    good, bad, warned = tmp_path / "a.xml", tmp_path / "b.xml", tmp_path / "c.xml"
    good.write_bytes(invoice())
    bad.write_bytes(invoice(set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00")))
    warned.write_bytes(invoice(set_text("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", "90011524361")))
    code, out = run(capsys, "check-invoice", "--lang", "en", str(good), str(bad), str(warned))
    assert code == 1
    assert out[0] == f"{good}: accepted" and out[1] == f"{bad}: rejected"
    assert PROBLEM.match(out[2]).group("rule", "severity") == ("BR-CO-16", "fatal")
    assert "BT-115" in out[2] and "1.00" in out[2]
    assert out[3] == f"{warned}: accepted"           # a warning does not reject
    assert PROBLEM.match(out[4]).group("rule", "severity") == ("PKIP-ID-0218", "warning")
    assert len(out) == 5


def test_messages_are_latvian_by_default(tmp_path, capsys):
    path = tmp_path / "b.xml"
    path.write_bytes(invoice(set_text("cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00")))
    code, out = run(capsys, "check-invoice", str(path))
    assert code == 1 and out[1].startswith("BR-CO-16 fatal: Maksājamā summa (BT-115)")


def test_an_unreadable_file_is_rejected_and_the_others_still_checked(tmp_path, capsys):
    good = tmp_path / "a.xml"
    good.write_bytes(invoice())
    code, out = run(capsys, "check-invoice", str(tmp_path / "missing.xml"), str(good))
    assert code == 1
    assert out[0] == f"{tmp_path / 'missing.xml'}: rejected" and out[1].startswith("PKIP-FILE-01 fatal: ")
    assert out[2] == f"{good}: accepted"


def test_the_pkip_command_runs_it(tmp_path):
    path = tmp_path / "x.xml"
    path.write_bytes(b"<not-an-invoice/>")
    done = subprocess.run([sys.executable, "-c", "import sys, app; sys.exit(app.main())", "check-invoice", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == f"{path}: rejected"
    assert done.stdout.splitlines()[1].startswith("PKIP-UBL-01 fatal: ")
