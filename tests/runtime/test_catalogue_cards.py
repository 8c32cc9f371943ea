"""Catalogue cards from the shipped definitions: every card passes the contract; start-up
writes each enabled service's card once; a municipality's changed overlay writes only its
own cards again; the worker delivers them to the stand-in; a service a municipality stops
offering has its card withdrawn (once), and offered again it is shown again; the cards
say who may apply and when the service does not apply; `pkip publish catalogue
--dry-run` prints them as JSON."""
from __future__ import annotations

import json
import shutil

from sqlalchemy import func, select

from app import create_app, main
from publishers.catalogue import card_problems
from publishers.catalogue_standin import CatalogueStandIn
from runtime.startup import load_definitions
from runtime.storage.models import OutboxJob
from runtime.worker import run_pending
from tests.standins import served  # noqa: F401  (a fixture)

from .support_documents import ROOT, real_catalogue


def card_jobs(state, municipality_id=None):
    with state.database.transaction() as session:
        query = select(func.count()).select_from(OutboxJob).where(OutboxJob.idempotency_key.like("catalogue:%"))
        if municipality_id:
            query = query.where(OutboxJob.municipality_id == municipality_id)
        return session.scalar(query)


def enabled_count(catalogue, municipality_id=None):
    ids = [municipality_id] if municipality_id else [m for m, v in catalogue.municipalities.items() if v.current]
    return sum(len(catalogue.enabled_services(m)) for m in ids)


def first_start(app_config, served, tmp_path):
    """The stand-in, a copy of the shipped definitions the app reads, and the state of its
    first start (with those definitions' catalogue, compiled once for the session)."""
    standin = CatalogueStandIn()
    definitions = tmp_path / "definitions"
    shutil.copytree(ROOT / "definitions", definitions)
    app_config.update(definitions_path=str(definitions), catalogue_url=served(standin))
    return standin, definitions, create_app(app_config, catalogue=real_catalogue()).extensions["pkip"]


def test_cards_are_written_once_changed_cards_again_and_delivered(app_config, served, tmp_path):
    standin, definitions, state = first_start(app_config, served, tmp_path)
    total = enabled_count(state.catalogue)
    assert total > 50 and card_jobs(state) == total
    create_app(app_config, catalogue=real_catalogue()).extensions["pkip"].database.dispose()    # again: nothing new
    assert card_jobs(state) == total
    overlay = definitions / "municipalities" / "riga.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace('phone: "+371 80000800"', 'phone: "+371 80000801"'),
                       encoding="utf-8")
    changed = create_app(app_config)        # compiled from the folder, as a start does
    assert card_jobs(state) == total + enabled_count(changed.extensions["pkip"].catalogue, "riga")
    run_pending(state)
    assert len(standin.cards) == total and all(card_problems(card) == [] for card in standin.cards.values())
    assert standin.revisions["pkip.riga.dog-fee"] == 2 and standin.revisions["pkip.cesu-novads.e-invoice"] == 1
    assert standin.cards["pkip.riga.dog-fee"]["contacts"]["phone"] == "+371 80000801"
    changed.extensions["pkip"].database.dispose()
    state.database.dispose()


def riga_dry_run(app_config, monkeypatch, capsys) -> list[dict]:
    """`pkip publish catalogue --municipality riga --dry-run` on a migrated database, as
    an operator runs it (settings from the environment); the cards it prints."""
    monkeypatch.setenv("PKIP_INSTANCE_PATH", app_config["instance_path"])
    monkeypatch.setenv("PKIP_DATABASE_URL", app_config["database_url"])
    monkeypatch.setenv("PKIP_DEFINITIONS_PATH", str(ROOT / "definitions"))
    monkeypatch.setenv("PKIP_ENV", "testing")
    create_app({"auto_upgrade": True}, catalogue=real_catalogue()).extensions["pkip"].database.dispose()   # the schema
    assert main(["publish", "catalogue", "--municipality", "riga", "--dry-run"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_dry_run_prints_the_cards_of_one_municipality_as_json(app_config, monkeypatch, capsys):
    cards = riga_dry_run(app_config, monkeypatch, capsys)
    assert cards and {card["municipality"]["id"] for card in cards} == {"riga"}
    assert all(card_problems(card) == [] for card in cards)
    deadlines = {card["service"]["id"]: card["deadlineWorkingDays"] for card in cards}
    assert deadlines["street-trading-permit"] == 21      # param.decision_days, as Riga sets it
    assert deadlines["dog-fee"] == 0
    assert main(["publish", "catalogue", "--municipality", "atlantis", "--dry-run"]) == 2


def test_a_service_no_longer_offered_has_its_card_withdrawn_once_and_can_come_back(app_config, served, tmp_path):
    standin, definitions, state = first_start(app_config, served, tmp_path)
    run_pending(state)
    assert "pkip.riga.dog-fee" in standin.cards
    overlay = definitions / "municipalities" / "riga.yaml"
    offered = overlay.read_text(encoding="utf-8")
    assert "  dog-fee:\n    enabled: true\n" in offered
    overlay.write_text(offered.replace("  dog-fee:\n    enabled: true\n", "  dog-fee:\n    enabled: false\n"),
                       encoding="utf-8")
    before = card_jobs(state)
    withdrawn = load_definitions(definitions)       # compiled once for both starts
    for _ in range(2):      # started twice: the withdrawal is written once
        create_app(app_config, catalogue=withdrawn).extensions["pkip"].database.dispose()
    assert withdrawals(state) == ["catalogue-withdrawal:pkip.riga.dog-fee"]
    assert card_jobs(state) == before, "no other card was written again"
    run_pending(state)
    assert "pkip.riga.dog-fee" not in standin.cards and "pkip.riga.dog-fee" in standin.withdrawn
    assert "pkip.aluksnes-novads.dog-fee" in standin.cards, "another municipality's card of the service stays"
    shown_before = standin.withdrawn["pkip.riga.dog-fee"]
    # offered again, as it was: the definitions of the first start, so its catalogue
    create_app(app_config, catalogue=real_catalogue()).extensions["pkip"].database.dispose()
    run_pending(state)
    assert standin.cards["pkip.riga.dog-fee"] == shown_before, "the same card, shown again"
    assert "pkip.riga.dog-fee" not in standin.withdrawn
    assert standin.revisions["pkip.riga.dog-fee"] == 3
    state.database.dispose()


def withdrawals(state):
    with state.database.transaction() as session:
        keys = session.scalars(select(OutboxJob.idempotency_key)
                               .where(OutboxJob.idempotency_key.like("catalogue-withdrawal:%"))).all()
    return [key.rsplit(":", 1)[0] for key in keys]


def test_cards_say_who_may_apply_and_when_the_service_does_not_apply(app_config, monkeypatch, capsys):
    cards = {card["service"]["id"]: card for card in riga_dry_run(app_config, monkeypatch, capsys)}
    dog_fee = cards["dog-fee"]["restrictions"]
    assert dog_fee["whoMayApply"]["en"].startswith("Who may apply: natural persons")
    assert dog_fee["whoMayApply"]["lv"].startswith("Pieteikties var: fiziskas personas")
    assert [c["lv"] for c in dog_fee["conditions"]] == [
        "Nodevu maksā tajā pašvaldībā, kurā ir suņa turēšanas vieta LDC reģistrā. Izvēlieties to pašvaldību."]
    felling = [c["en"] for c in cards["tree-felling-permit"]["restrictions"]["conditions"]]
    assert len(felling) == 2 and felling[1].startswith("Where the building permit provides for the felling")
