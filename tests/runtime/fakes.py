"""A small stand-in for `builder.catalogue.Catalogue`, so that runtime tests do not
depend on the compiler's progress or on the real definitions' content. It has the
same shape as the interface the runtime consumes (see runtime/state.py)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Mapping


class Text(dict):
    def get_for(self, language: str) -> str:
        return self.get(language) or self.get("lv") or next(iter(self.values()), "")


@dataclass(frozen=True)
class Municipality:
    id: str
    name: Text
    iso: str = "LV-XXX"
    kind: str = "novads"
    contacts: Mapping[str, str] = field(default_factory=dict)
    theme: Mapping[str, str] = field(default_factory=dict)
    institutions: Mapping[str, Any] = field(default_factory=dict)
    merged_into: str | None = None
    merged_on: Any = None

    @property
    def current(self) -> bool:
        return self.merged_into is None

    @property
    def reference_code(self) -> str:
        return self.iso.removeprefix("LV-")


@dataclass(frozen=True)
class Service:
    id: str
    code: str
    version: str
    title: Text
    source_text: str
    summary: Text | None = None
    audience: tuple[str, ...] = ("person",)
    processing_days: int | None = 10
    result: Text | None = None
    processing_days_expr: Any = None     # builder.model.Service: processing_days from parameters
    price: Any = None
    keywords: tuple[str, ...] = ()
    topic: str = "other"
    example: bool = False

    @property
    def source_hash(self) -> str:
        return hashlib.sha256(self.source_text.encode()).hexdigest()


@dataclass(frozen=True)
class EffectiveService:
    service: Service
    municipality: Municipality
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Problems:
    lines: list[str] = field(default_factory=list)
    has_errors: bool = False

    @property
    def errors(self) -> list[str]:
        return self.lines if self.has_errors else []

    def sorted(self) -> list[Any]:
        return [type("P", (), {"format": lambda self, line=line: line})() for line in self.lines]


@dataclass
class Catalogue:
    municipalities: dict[str, Municipality]
    services: dict[str, Service]
    enabled: dict[str, list[str]]
    problems: Problems = field(default_factory=Problems)
    codelists: dict[str, Any] = field(default_factory=dict)

    def enabled_services(self, municipality_id: str) -> list[EffectiveService]:
        municipality = self.municipalities.get(municipality_id)
        if municipality is None:
            return []
        return [EffectiveService(self.services[s], municipality) for s in self.enabled.get(municipality_id, [])]

    def current_municipalities(self) -> list[Municipality]:
        return [m for m in self.municipalities.values() if m.current]

    def merged_into(self, municipality_id: str) -> list[Municipality]:
        return [m for m in self.municipalities.values() if m.merged_into == municipality_id]

    def answers_for(self, municipality_id: str, case_municipality_id: str) -> bool:
        return case_municipality_id in {municipality_id, *(m.id for m in self.merged_into(municipality_id))}

    def effective(self, municipality_id: str, service_id: str) -> EffectiveService | None:
        """The service as the municipality offers it; None when it does not."""
        return next((e for e in self.enabled_services(municipality_id) if e.service.id == service_id), None)


def dog_fee(version: str = "1.0.0", source_text: str = "service: dog-fee # v1") -> Service:
    return Service(
        id="dog-fee", code="SUN", version=version, source_text=source_text,
        title=Text(lv="Suņu nodeva", en="Dog-keeping fee"),
        summary=Text(lv="Nodeva par suņa turēšanu.", en="The annual fee for keeping a dog."),
        processing_days=5,
    )


def sample_catalogue() -> Catalogue:
    riga = Municipality(
        "riga", Text(lv="Rīgas valstspilsēta", en="City of Riga"), iso="LV-RIX",
        contacts={"phone": "+371 80000800"}, theme={"colour": "#9e1b32", "coat_of_arms": "riga.svg"},
    )
    aluksne = Municipality("aluksnes-novads", Text(lv="Alūksnes novads", en="Alūksne Municipality"))
    cesis = Municipality("cesu-novads", Text(lv="Cēsu novads", en="Cēsis Municipality"))
    adazi = Municipality("adazu-novads", Text(lv="Ādažu novads", en="Ādaži Municipality"))
    municipalities = {m.id: m for m in (riga, aluksne, cesis, adazi)}
    return Catalogue(municipalities, {"dog-fee": dog_fee()}, {"riga": ["dog-fee"]})
