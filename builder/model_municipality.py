"""A municipality as its overlay declares it, compiled: its institutions, its settings for
each service it offers, its commissions. `model` re-exports every name, so
`from builder.model import Municipality` keeps working."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # annotations only, so that this module needs nothing of `model` at run time
    from .model import Text


@dataclass(frozen=True)
class Institution:
    id: str
    name: Text
    registration_number: str | None = None
    e_address: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@dataclass(frozen=True)
class ServiceSettings:
    """One municipality's settings for one service, as its overlay declares them."""

    enabled: bool
    parameters: Mapping[str, Any]
    routing: Mapping[str, str]


@dataclass(frozen=True)
class CommissionRemit:
    """What a commission decides: the cases of `service` while they are in `state`, by the
    steps from there that the service gives to a commission role."""

    service: str
    state: str


@dataclass(frozen=True)
class Commission:
    """A municipality's commission (the green-areas commission, the trading commission):
    it belongs to one institution, whose clerks prepare its sessions; its members are
    staff with the commission_member role there."""

    id: str
    name: Text
    institution: str
    decides: tuple[CommissionRemit, ...]

    def decides_in(self, service_id: str) -> frozenset[str]:
        """The states of `service_id` whose cases this commission decides."""
        return frozenset(remit.state for remit in self.decides if remit.service == service_id)


@dataclass(frozen=True)
class Municipality:
    id: str
    name: Text
    kind: str
    atvk: str
    iso: str
    registration_number: str | None
    e_address: str | None
    iban: str | None
    contacts: Mapping[str, str]
    theme: Mapping[str, str]
    institutions: Mapping[str, Institution]
    services: Mapping[str, ServiceSettings]
    source_path: str = ""
    merged_into: str | None = None        # the id of the municipality that took it over
    merged_on: datetime.date | None = None
    commissions: Mapping[str, Commission] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def current(self) -> bool:
        """Whether it still exists: a merged municipality takes no applications."""
        return self.merged_into is None

    @property
    def reference_code(self) -> str:
        """The municipality part of a case reference: the ISO code without `LV-`."""
        return self.iso.removeprefix("LV-")
