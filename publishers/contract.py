"""The publisher contract: what every target (latvija.lv, PSPP, DIV e-address, open data)
implements, after Open Forms' registration plugins.

The runtime decides *when* to publish: it turns the compiled model and the case into plain
data (dicts of strings, numbers, lists) and writes a job to the outbox in the same
transaction as the change. The publisher decides *what* the message is (`build`, pure:
the same data always gives the same message) and *how* it is sent (`send`, through the
target's real protocol). A publisher never imports `runtime`.

A publisher declares its settings once (`Setting`); the runtime's configuration reads
them as `<publisher id>_<name>` from the instance file and `PKIP_*` variables. A
publisher is `enabled` when its endpoint setting is given; the runtime enqueues nothing
for a disabled one.

`send` says how it went with an exception or a `Receipt`:
- `TemporaryFailure`: try again later (the receiver is down, timed out, answered 5xx);
- `PermanentRefusal`: the receiver refused this message for good (unknown addressee, a
  schema violation); retrying cannot help, so the outbox parks it as a dead letter.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Iterator, Mapping

PlainData = Mapping[str, Any]


class TemporaryFailure(Exception):
    """The message may go through later: retry with backoff."""


class PermanentRefusal(Exception):
    """The receiver refused this message for good: park it as a dead letter."""


@dataclass(frozen=True)
class Setting:
    """One setting of a publisher, declared once: `name` (without the publisher's prefix),
    how a raw value is parsed (raise ValueError with a sentence), the default, and what it is for."""

    name: str
    parse: Callable[[Any], Any]
    default: Any
    doc: str


@dataclass(frozen=True)
class Outgoing:
    """A built message: `key` is its idempotency key (the receiver applies a key once),
    `body` the bytes sent, `summary` a line for the admin page without personal data."""

    publisher: str
    key: str
    body: bytes
    content_type: str
    summary: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Receipt:
    """What the receiver answered when it took the message (its own id, if any)."""

    publisher: str
    key: str
    receiver_id: str | None = None
    duplicate: bool = False          # the receiver had applied this key before


class Publisher(ABC):
    """One target. Subclasses set `id`, `title`, `settings` and implement `build` and `send`;
    `standin` returns a WSGI app implementing the target's protocol locally."""

    id: ClassVar[str]
    title: ClassVar[str]
    settings: ClassVar[tuple[Setting, ...]] = ()
    endpoint_setting: ClassVar[str] = "url"     # the setting whose presence enables it

    @abstractmethod
    def build(self, data: PlainData, key: str) -> Outgoing:
        """The message for `data` (pure: no clock, no network)."""

    @abstractmethod
    def send(self, message: Outgoing, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        """Deliver `message`; raise TemporaryFailure or PermanentRefusal when it did not go."""

    @classmethod
    def standin(cls, **options: Any) -> Any:
        raise NotImplementedError(f"{cls.id} has no stand-in")

    def enabled(self, settings: Mapping[str, Any]) -> bool:
        return bool(settings.get(self.endpoint_setting))

    def deliver(self, data: PlainData, key: str, settings: Mapping[str, Any], *, transport: Any = None) -> Receipt:
        return self.send(self.build(data, key), settings, transport=transport)


class Registry(Mapping[str, Publisher]):
    """The explicit list of publishers, by id; a second publisher with an id already taken
    is refused at import time, so two targets can never be confused."""

    def __init__(self, publishers: Iterable[Publisher] = ()):
        self._by_id: dict[str, Publisher] = {}
        for publisher in publishers:
            self.register(publisher)

    def register(self, publisher: Publisher) -> None:
        if publisher.id in self._by_id:
            raise ValueError(f"publisher id {publisher.id!r} is registered twice")
        names = [setting.name for setting in publisher.settings]
        if len(names) != len(set(names)):
            raise ValueError(f"publisher {publisher.id!r} declares a setting twice")
        self._by_id[publisher.id] = publisher

    def __getitem__(self, publisher_id: str) -> Publisher:
        return self._by_id[publisher_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)

    def setting_names(self) -> dict[str, tuple[Publisher, Setting]]:
        """Every publisher setting by its full name, `<publisher id>_<name>`."""
        return {f"{p.id}_{s.name}": (p, s) for p in self._by_id.values() for s in p.settings}
