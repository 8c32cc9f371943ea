"""The publisher contract: the registry refuses two publishers with one id and a
setting declared twice, and every publisher declares what the contract asks."""
from __future__ import annotations

from pathlib import Path

import pytest

from publishers.contract import Outgoing, Publisher, Receipt, Registry, Setting
from publishers.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[2]


class Dummy(Publisher):
    id = "dummy"
    title = "a dummy"

    def build(self, data, key):
        return Outgoing(self.id, key, b"{}", "application/json", "dummy")

    def send(self, message, settings, *, transport=None):
        return Receipt(self.id, message.key)


def test_the_registry_refuses_a_second_publisher_with_the_same_id():
    registry = Registry([Dummy()])
    with pytest.raises(ValueError, match="registered twice"):
        registry.register(Dummy())


def test_the_registry_refuses_a_setting_declared_twice():
    class Twice(Dummy):
        id = "twice"
        settings = (Setting("url", str, None, "a"), Setting("url", str, None, "b"))

    with pytest.raises(ValueError, match="declares a setting twice"):
        Registry([Twice()])


def test_a_publisher_is_off_until_its_endpoint_is_set():
    assert not Dummy().enabled({"url": None}) and Dummy().enabled({"url": "http://127.0.0.1:1"})


@pytest.mark.parametrize("publisher_id", list(REGISTRY))
def test_every_publisher_declares_its_endpoint_setting_and_documents_each_setting(publisher_id):
    publisher = REGISTRY[publisher_id]
    names = [s.name for s in publisher.settings]
    assert publisher.endpoint_setting in names and publisher.title
    readme = (ROOT / "runtime" / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"`{publisher_id}_{name}`" in readme, f"{publisher_id}_{name} is not in runtime/README.md"
