"""The open data sets from real cases: applications, processing times and outcomes are
counted per municipality and service, counts under 5 are left empty, and no CSV holds a
personal code, a name or an e-mail from the answers (a scan of every file); `pkip
publish opendata --dry-run DIR` writes them, and through the outbox they reach the CKAN
stand-in."""
from __future__ import annotations

import csv
import io
import json
import re

from app import create_app, main
from publishers.opendata_standin import CkanStandIn
from runtime.worker import run_pending
from tests.standins import served  # noqa: F401  (a fixture)

from .staff.cases import file_case
from .staff.conftest import ROOT

PERSONAL_CODE = re.compile(r"\b\d{6}-?\d{5}\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def shipped_app(app_config, **settings):
    app_config.update(definitions_path=str(ROOT / "definitions"), **settings)
    return create_app(app_config)


def test_the_data_sets_count_suppress_and_hold_no_personal_data(app_config, served, monkeypatch, tmp_path, capsys):
    standin = CkanStandIn(api_key="k")
    app = shipped_app(app_config, opendata_url=served(standin), opendata_api_key="k")
    references = [file_case(app, "tree-felling-permit", "riga") for _ in range(6)]
    for _ in range(5):
        file_case(app, "preschool-queue", "riga")
    file_case(app, "tree-felling-permit", "valmieras-novads")
    state = app.extensions["pkip"]
    for reference in references[:5]:
        grant(state, reference)
    answers_text = json.dumps([c.answers for c in _cases(state)], ensure_ascii=False)
    names = set(re.findall(r'"(?:given_name|surname|name)": "([^"]+)"', answers_text))
    assert names and PERSONAL_CODE.search(answers_text)          # the scan below could find them
    for name, value in (("INSTANCE_PATH", app_config["instance_path"]), ("DATABASE_URL", app_config["database_url"]),
                        ("DEFINITIONS_PATH", str(ROOT / "definitions")), ("ENV", "testing"),
                        ("OPENDATA_URL", app_config["opendata_url"]), ("OPENDATA_API_KEY", "k")):
        monkeypatch.setenv(f"PKIP_{name}", value)
    folder = tmp_path / "opendata"
    assert main(["publish", "opendata", "--dry-run", str(folder)]) == 0
    files = sorted(folder.glob("*.csv"))
    assert len(files) == 11
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not PERSONAL_CODE.search(text) and not EMAIL.search(text), path.name
        assert not [name for name in names if name in text], path.name
    catalogue = list(csv.DictReader(io.StringIO((folder / "pkip-service-catalogue.csv").read_text(encoding="utf-8"))))
    days = {(row["municipality"], row["service"]): row["processing_working_days"] for row in catalogue}
    assert days[("riga", "street-trading-permit")] == "21"     # param.decision_days, as Riga sets it
    rows = list(csv.DictReader(io.StringIO((folder / "pkip-applications.csv").read_text(encoding="utf-8"))))
    by_place = {row["municipality"]: row["applications"] for row in rows if row["service"] == "tree-felling-permit"}
    assert by_place == {"riga": "6", "valmieras-novads": ""}                   # 1 is under 5: left empty
    trees = (folder / "pkip-tree-felling-permits.csv").read_text(encoding="utf-8").splitlines()
    assert trees[1:] == ["riga,centre,oak,5,5"]
    decisions = (folder / "pkip-commission-decisions.csv").read_text(encoding="utf-8").splitlines()
    assert len(decisions) == 2 and decisions[1].startswith("riga,tree-felling-permit,issued,") and decisions[1].endswith(",5")
    places = (folder / "pkip-street-trading-places.csv").read_text(encoding="utf-8")
    assert "riga,doma_laukums,Doma laukums,Dome Square,yes" in places
    queues = list(csv.DictReader(io.StringIO((folder / "pkip-preschool-queues.csv").read_text(encoding="utf-8"))))
    assert sum(int(row["waiting"] or 0) for row in queues) >= 5 and all(row["age_years"] for row in queues)
    assert main(["publish", "opendata"]) == 0
    run_pending(state)
    assert set(standin.packages) == {p.stem for p in files}
    assert standin.csv_of("pkip-applications") == (folder / "pkip-applications.csv").read_text(encoding="utf-8")
    state.database.dispose()


def grant(state, reference):
    from runtime.cases.access import Actor, StaffRole
    from runtime.cases.audit import AuditContext
    from runtime.cases.caseflow import move_case
    from runtime.cases.clock import Clock
    clerk = Actor(roles=(StaffRole.of_kind("clerk", "riga", "environment"),), staff_user_id=1)
    commission = Actor(roles=(StaffRole.of_kind("commission_member", "riga", "environment"),), staff_user_id=2)
    for actor, target, inputs in ((clerk, "in_review", {}), (clerk, "commission", {}),
                                  (commission, "issued", {"decision": "Atļauts."})):
        move_case(state.database, state.catalogue, actor, Clock(), AuditContext("staff:1"), "riga", reference,
                  target, inputs)


def _cases(state):
    from runtime.storage.models import Submission
    with state.database.transaction() as session:
        return session.query(Submission).all()
