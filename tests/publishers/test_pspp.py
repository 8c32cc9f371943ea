"""PSPP case-status events: the client against the stand-in over HTTP, and the stand-in
against the protocol facts (DOMAIN.md, "PSPP")."""
from __future__ import annotations

import pytest

from publishers.contract import PermanentRefusal, TemporaryFailure
from publishers.pspp import CHANNELS, NATIONAL_STATUSES, PUBLISHER, national_status
from publishers.pspp_standin import PsppStandIn
from publishers.standin import Faults
from tests.standins import pspp_event


def event(sequence=1, status_id="submitted", **state):
    return pspp_event(sequence=sequence, status_id=status_id, **state)


def settings(url, **more):
    return {"url": url, "token": None, "timeout_seconds": 2.0, "max_attempts": 3, **more}


def test_the_national_statuses_are_those_the_recipient_sees():
    for name in ("apstrādē", "paprasīta papildu informācija", "atteikts", "sniegta atbilde"):
        assert name in NATIONAL_STATUSES.values()
    # DOMAIN.md's six channels
    assert {"in_person", "e_service", "e_address", "e_mail", "post", "customer_service_centre"} <= set(CHANNELS.values())


def test_a_state_maps_to_its_declared_status_else_by_its_place_in_the_process():
    assert national_status({"id": "submitted", "initial": True}) == "submitted"
    assert national_status({"id": "in_review"}) == "in_processing"
    assert national_status({"id": "issued", "final": True, "result": "permit"}) == "answered"
    assert national_status({"id": "refused", "final": True, "national_status": "refused"}) == "refused"


def test_an_event_is_applied_once_however_often_it_is_sent(served):
    standin = PsppStandIn()
    url = served(standin)
    first = PUBLISHER.deliver(event(), "pspp:RIG-DOG-2026-1:1", settings(url))
    again = PUBLISHER.deliver(event(), "pspp:RIG-DOG-2026-1:1", settings(url))
    assert not first.duplicate and again.duplicate and first.receiver_id == again.receiver_id
    [applied] = standin.cases["RIG-DOG-2026-1"]
    assert applied["status"] == "submitted" and applied["statusName"] == "iesniegts"
    assert applied["serviceId"] == "pkip.riga.dog-fee" and applied["channel"] == "e_service"
    assert applied["recipientType"] == "natural_person" and applied["feeAmount"] == "10.00"


def test_an_event_older_than_one_applied_is_refused_for_good(served):
    standin = PsppStandIn()
    url = served(standin)
    PUBLISHER.deliver(event(2, "in_review"), "k2", settings(url))
    with pytest.raises(PermanentRefusal, match="out_of_order"):
        PUBLISHER.deliver(event(1), "k1", settings(url))
    assert standin.out_of_order == 1 and len(standin.cases["RIG-DOG-2026-1"]) == 1


def test_a_malformed_event_is_refused_with_the_field_named(served):
    url = served(PsppStandIn())
    bad = event()
    bad["channel"] = "carrier pigeon"
    with pytest.raises(PermanentRefusal, match="channel"):
        PUBLISHER.deliver(bad, "k1", settings(url))


def test_a_wrong_token_is_refused(served):
    url = served(PsppStandIn(token="s3cret"))
    with pytest.raises(PermanentRefusal, match="401"):
        PUBLISHER.deliver(event(), "k1", settings(url, token="wrong"))
    assert PUBLISHER.deliver(event(), "k1", settings(url, token="s3cret")).receiver_id


@pytest.mark.parametrize("kind", ["error", "drop_before", "drop_after", "slow"])
def test_faults_are_temporary_and_a_retry_applies_once(served, kind):
    standin = PsppStandIn(faults=Faults(rate=1.0, kinds=(kind,), slow_seconds=1.5))
    url = served(standin)
    with pytest.raises(TemporaryFailure):
        PUBLISHER.deliver(event(), "k1", settings(url, timeout_seconds=0.5))
    standin.faults.rate = 0.0
    receipt = PUBLISHER.deliver(event(), "k1", settings(url))
    assert receipt.duplicate == (kind in ("drop_after", "slow"))     # the first try had been applied
    assert len(standin.cases["RIG-DOG-2026-1"]) == 1


def test_nothing_listening_is_a_temporary_failure():
    with pytest.raises(TemporaryFailure, match="connection failed"):
        PUBLISHER.deliver(event(), "k1", settings("http://127.0.0.1:9"))


def test_the_standin_page_lists_what_it_received(served):
    import httpx
    standin = PsppStandIn()
    url = served(standin)
    PUBLISHER.deliver(event(), "pspp:RIG-DOG-2026-1:1", settings(url))
    page = httpx.get(url + "/").text
    assert "pspp:RIG-DOG-2026-1:1" in page and "applied" in page and '<html lang="en">' in page
