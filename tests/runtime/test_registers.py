"""Register providers (runtime/registers): an explicit registry, each call under a timeout,
answers remembered for a while, and a provider that is slow, fails or is missing gives
"unavailable", never an exception to the page."""
from __future__ import annotations

import time

import pytest

from builder.engine import LookupRequest
from builder.registers import FOUND, NOT_FOUND, UNAVAILABLE

from runtime.registers import Registry, RegisterUnavailable, ask, ask_one
from runtime.registers.standin import StandinRegister, standin_registers


class Counting(StandinRegister):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls = 0

    def lookup(self, key, timeout):
        self.calls += 1
        return super().lookup(key, timeout)


class Broken:
    register = "cadastre"

    def lookup(self, key, timeout):
        raise ConnectionError("refused")


def request(register: str, key: str) -> LookupRequest:
    return LookupRequest("x", register, key)


COMPANY = {"40003032949": {"name": "SIA A", "active": True}}


def test_found_and_not_found_are_plain_data():
    registry = Registry([StandinRegister("enterprise_register", COMPANY)])
    answers = ask(registry, [request("enterprise_register", "40003032949"), request("enterprise_register", "40003002003")])
    assert answers[("enterprise_register", "40003032949")].status == FOUND
    assert answers[("enterprise_register", "40003032949")].data == {"name": "SIA A", "active": True}
    assert answers[("enterprise_register", "40003002003")].status == NOT_FOUND


def test_a_register_without_a_provider_is_unavailable():
    assert ask(Registry(), [request("cadastre", "01000120034")])[("cadastre", "01000120034")].status == UNAVAILABLE


def test_a_failing_provider_is_unavailable_not_an_error():
    registry = Registry([Broken(), StandinRegister("enterprise_register", COMPANY, down=True)])
    answers = ask(registry, [request("cadastre", "01000120034"), request("enterprise_register", "40003032949")])
    assert {answer.status for answer in answers.values()} == {UNAVAILABLE}


def test_a_slow_provider_costs_at_most_the_timeout():
    registry = Registry([StandinRegister("enterprise_register", COMPANY, delay=2.0)], timeout=0.2)
    started = time.monotonic()
    answers = ask(registry, [request("enterprise_register", "40003032949")])
    assert time.monotonic() - started < 1.0
    assert answers[("enterprise_register", "40003032949")].status == UNAVAILABLE


def test_answers_are_remembered_and_a_down_register_for_less_long():
    now = [1000.0]
    provider = Counting("enterprise_register", COMPANY)
    registry = Registry([provider], clock=lambda: now[0])
    for _ in range(3):
        ask(registry, [request("enterprise_register", "40003032949")])
    assert provider.calls == 1
    now[0] += 301
    ask(registry, [request("enterprise_register", "40003032949")])
    assert provider.calls == 2
    provider.down = True
    now[0] += 301
    assert ask(registry, [request("enterprise_register", "40003032949")])[
        ("enterprise_register", "40003032949")].status == UNAVAILABLE
    provider.down = False
    now[0] += 31                      # a down register is asked again after 30 s
    assert ask(registry, [request("enterprise_register", "40003032949")])[
        ("enterprise_register", "40003032949")].status == FOUND


def test_one_key_can_be_asked_outside_a_form():
    registry = Registry(standin_registers())
    children = ask_one(registry, "population_children", "010190-15267")
    assert children.status == FOUND and children.data["children"][0]["personal_code"] == "150312-20180"
    assert ask_one(registry, "population_children", "150312-20180").status == NOT_FOUND
    assert ask_one(Registry(), "population_children", "010190-15267").status == UNAVAILABLE


def test_the_registry_refuses_a_second_provider_and_an_unknown_register():
    registry = Registry([StandinRegister("cadastre", {})])
    with pytest.raises(ValueError, match="already registered"):
        registry.add(StandinRegister("cadastre", {}))
    with pytest.raises(ValueError, match="no register 'land_book'"):
        registry.add(StandinRegister("land_book", {}))


def test_the_stand_in_knows_a_person_with_or_without_the_dash():
    people = next(p for p in standin_registers() if p.register == "population_children")
    assert people.lookup("01019015267", 1.0) == people.lookup("010190-15267", 1.0)
    assert people.lookup("010190-15267", 1.0)["children"][0]["given_name"] == "Anna"
    with pytest.raises(RegisterUnavailable):
        StandinRegister("cadastre", {}, down=True).lookup("01000120034", 1.0)


def test_every_register_has_a_stand_in():
    from builder.registers import REGISTERS
    assert sorted(p.register for p in standin_registers()) == sorted(REGISTERS)
