"""latvija.lv catalogue cards: the client against the stand-in over HTTP, and the card
contract (its JSON Schema) against the facts DOMAIN.md names for a service card."""
from __future__ import annotations

import copy
import json

import httpx
import pytest

from publishers.catalogue import (PUBLISHER, SCHEMA_FILE, WITHDRAWAL_SCHEMA_FILE, build_card, card_key,
                                  card_problems)
from publishers.catalogue_standin import CatalogueStandIn
from publishers.contract import PermanentRefusal

TEXT = {"lv": "Suņa turēšanas nodeva", "en": "Dog-keeping fee"}


def data(**changes):
    item = {
        "card_id": "pkip.riga.dog-fee",
        "service": {"id": "dog-fee", "version": "1.0.0", "title": TEXT, "summary": TEXT, "audience": ["person"],
                    "processing_days": 0, "channels": ["e_service", "in_person"], "appeal": None,
                    "restrictions": {"conditions": [{"lv": "Tikai suņiem", "en": "Dogs only"}]},
                    "legal_acts": [{"type": "law", "title": "Par nodokļiem un nodevām", "issuer": "Saeima",
                                    "number": None, "date": "1995-02-02", "article": "12(1)5", "url": None}]},
        "municipality": {"id": "riga", "name": {"lv": "Rīga", "en": "Riga"}, "atvk": "0010000",
                         "registration_number": "90011524360"},
        "fee_lines": [{"label": {"lv": "Nodeva", "en": "Fee"}, "amount": "10.00"}],
        "documents": [],
        "contacts": {"phone": "+371 80000800"},
        "urls": {"lv": "http://127.0.0.1:5000/riga/dog-fee/", "en": "http://127.0.0.1:5000/riga/dog-fee/?lang=en"},
        "last_updated": "2026-12-01",
    }
    item.update(changes)
    return item


def settings(url):
    return {"url": url, "token": None, "timeout_seconds": 2.0, "max_attempts": 3, "site_url": "http://x"}


def test_the_card_schema_holds_every_fact_of_a_latvija_lv_service_card():
    required = set(json.loads(SCHEMA_FILE.read_text())["required"])
    # DOMAIN.md: name, short description, price, deadline in working days, recipient type,
    # restrictions, steps, documents and forms, appeal, legal acts, contacts, last update
    assert {"name", "description", "price", "deadlineWorkingDays", "recipients", "restrictions", "steps",
            "documents", "appeal", "legalActs", "contacts", "lastUpdated", "nameInMunicipality",
            "eServiceUrl"} <= required


def test_a_card_is_in_latvian_and_english_and_names_its_steps():
    card = build_card(data())
    assert card_problems(card) == []
    assert card["nameInMunicipality"] == {"lv": "Rīga: Suņa turēšanas nodeva", "en": "Riga: Dog-keeping fee"}
    assert [step["kind"] for step in card["steps"]] == ["request", "payment", "receipt"]
    assert card["recipients"] == ["natural_person"] and card["price"]["lines"][0]["amount"] == "10.00"


def test_a_card_without_english_breaks_the_schema():
    card = build_card(data())
    del card["name"]["en"]
    assert any(problem.startswith("name:") for problem in card_problems(card))


def test_a_card_is_stored_once_and_a_changed_card_makes_a_new_revision(served):
    standin = CatalogueStandIn()
    url = served(standin)
    first = build_card(data())
    assert PUBLISHER.deliver(data(), card_key(first), settings(url)).receiver_id == "1"
    again = PUBLISHER.deliver(data(), card_key(first), settings(url))
    assert again.duplicate and again.receiver_id == "1"
    changed = data(fee_lines=[{"label": {"lv": "Nodeva", "en": "Fee"}, "amount": "12.00"}])
    assert card_key(build_card(changed)) != card_key(first)
    assert PUBLISHER.deliver(changed, card_key(build_card(changed)), settings(url)).receiver_id == "2"
    assert httpx.get(f"{url}/cards/pkip.riga.dog-fee").json()["price"]["lines"][0]["amount"] == "12.00"


def test_the_standin_refuses_a_card_that_breaks_the_schema(served):
    standin = CatalogueStandIn()
    url = served(standin)
    card = build_card(data())
    broken = copy.deepcopy(card)
    broken["recipients"] = ["aliens"]
    response = httpx.put(f"{url}/cards/{card['id']}", json=broken, headers={"Idempotency-Key": "k"})
    assert response.status_code == 422 and "recipients" in response.json()["problems"][0]
    assert standin.cards == {}


def test_a_wrong_token_is_refused_for_good(served):
    url = served(CatalogueStandIn(token="t0ken"))
    with pytest.raises(PermanentRefusal, match="401"):
        PUBLISHER.deliver(data(), "k", {**settings(url), "token": "nope"})


def test_the_card_says_who_may_apply_and_when_the_service_does_not_apply():
    card = build_card(data(service={**data()["service"], "audience": ["person", "company"]}))
    assert card_problems(card) == []
    assert card["restrictions"] == {
        "whoMayApply": {"lv": "Pieteikties var: fiziskas personas, privāto tiesību juridiskās personas.",
                        "en": "Who may apply: natural persons, private legal persons."},
        "conditions": [{"lv": "Tikai suņiem", "en": "Dogs only"}]}
    card["restrictions"] = None
    assert any(problem.startswith("restrictions:") for problem in card_problems(card)), "no longer optional"


def test_a_service_for_a_child_is_for_natural_persons_once():
    card = build_card(data(service={**data()["service"], "audience": ["person", "child"]}))
    assert card_problems(card) == []
    assert card["recipients"] == ["natural_person"]
    assert card["restrictions"]["whoMayApply"]["en"] == \
        "Who may apply: natural persons, parents or guardians for their child."


def withdrawal(card_id="pkip.riga.dog-fee"):
    return {"card_id": card_id, "withdrawn": True, "municipality": {"id": "riga"}, "withdrawn_on": "2026-12-01"}


def test_a_withdrawn_card_is_no_longer_shown_until_it_is_published_again(served):
    standin = CatalogueStandIn()
    url = served(standin)
    card = build_card(data())
    PUBLISHER.deliver(data(), card_key(card), settings(url))
    message = PUBLISHER.build(withdrawal(), "catalogue-withdrawal:pkip.riga.dog-fee:1")
    assert card_problems(json.loads(message.body), WITHDRAWAL_SCHEMA_FILE) == []
    receipt = PUBLISHER.deliver(withdrawal(), "catalogue-withdrawal:pkip.riga.dog-fee:1", settings(url))
    assert not receipt.duplicate and receipt.receiver_id == "2"
    assert httpx.get(f"{url}/cards/pkip.riga.dog-fee").status_code == 410
    again = PUBLISHER.deliver(withdrawal(), "catalogue-withdrawal:pkip.riga.dog-fee:1", settings(url))
    assert again.duplicate, "the same withdrawal is applied once"
    # the same content again, under the key that names the withdrawal: shown again
    PUBLISHER.deliver(data(), card_key(card, after=7), settings(url))
    assert httpx.get(f"{url}/cards/pkip.riga.dog-fee").json() == card
    assert standin.revisions["pkip.riga.dog-fee"] == 3
    assert card_key(card, after=7) != card_key(card) and card_key(card, after=None) == card_key(card)


def test_withdrawing_a_card_never_shown_changes_nothing(served):
    standin = CatalogueStandIn()
    url = served(standin)
    receipt = PUBLISHER.deliver(withdrawal("pkip.riga.nothing"), "catalogue-withdrawal:pkip.riga.nothing:1",
                                settings(url))
    assert receipt.duplicate and standin.cards == {} and standin.withdrawn == {}


def test_the_standin_refuses_a_withdrawal_of_another_card(served):
    url = served(CatalogueStandIn())
    response = httpx.post(f"{url}/cards/pkip.riga.dog-fee/withdrawal", headers={"Idempotency-Key": "k"},
                          json={"id": "pkip.riga.other", "withdrawnOn": "2026-12-01"})
    assert response.status_code == 422 and response.json()["error"] == "invalid_withdrawal"
    broken = httpx.post(f"{url}/cards/pkip.riga.dog-fee/withdrawal", json={"id": "pkip.riga.dog-fee"})
    assert broken.status_code == 422 and "withdrawnOn" in broken.json()["problems"][0]
