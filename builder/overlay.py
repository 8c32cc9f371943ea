"""Municipality overlays: read a municipality file, check its service settings against
the compiled services, and bind a compiled service to one municipality.

A service is compiled once; binding it to a municipality only merges parameter values
and routing targets. Nothing is recompiled per municipality, which is what keeps start-up
cheap with hundreds of municipalities.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Mapping

from .compile_logic import coerce_parameter, value_problem
from .model import (ChoiceOption, Commission, CommissionRemit, Institution, Municipality, Service, ServiceSettings,
                    frozen_map)
from .problems import Problems, did_you_mean
from .schemacheck import check_document
from .unit import Unit
from .yamlload import load_text


@dataclass(frozen=True)
class EffectiveService:
    """A compiled service as one municipality offers it."""

    service: Service
    municipality: Municipality
    params: Mapping[str, Any]
    routing: Mapping[str, str]          # service role -> institution id

    def options(self, field) -> tuple[ChoiceOption, ...]:
        source = field.choices
        if source is None:
            return ()
        if source.parameter is not None:
            return tuple(self.params.get(source.parameter) or ())
        return source.options

    def institution_for(self, role: str) -> Institution | None:
        """The municipality's institution for a service role: the overlay's mapping, else the
        institution of the same name, else the council; None if it has none (E604 at load)."""
        return self.municipality.institutions.get(route_target(role, self.routing, self.municipality))


def route_target(role: str, routing: Mapping[str, str], municipality: Municipality) -> str:
    return routing.get(role, role if role in municipality.institutions else "council")


def load_municipality(text: str, path: str, problems: Problems) -> tuple[Municipality, dict] | None:
    """The municipality in `text` and the positions of its nodes (for overlay checks)."""
    doc = load_text(text, path, problems)
    if doc is None or not check_document(doc, "municipality", problems):
        return None
    unit = Unit(doc, problems)
    meta = doc.data["municipality"]
    institutions = {
        name: Institution(name, unit.text(("institutions", name, "name"), fallback=name),
                          **{k: spec.get(k) for k in ("registration_number", "e_address", "email", "phone", "address")})
        for name, spec in (doc.data.get("institutions") or {}).items()
    }
    services = {
        sid: ServiceSettings(bool(spec.get("enabled", True)), frozen_map(spec.get("parameters")),
                             frozen_map(spec.get("routing")))
        for sid, spec in (doc.data.get("services") or {}).items()
    }
    commissions = {
        name: Commission(name, unit.text(("commissions", name, "name"), fallback=name), spec["institution"],
                         tuple(CommissionRemit(remit["service"], remit["state"]) for remit in spec["decides"]))
        for name, spec in (doc.data.get("commissions") or {}).items()
    }
    return _municipality(unit, meta, institutions, services, path, commissions), doc.positions


def _municipality(unit: Unit, meta: Mapping, institutions: dict, services: dict, path: str,
                  commissions: dict) -> Municipality:
    return Municipality(
        id=meta["id"], name=unit.text(("municipality", "name")), kind=meta["kind"], atvk=meta["atvk"],
        iso=meta["iso"], registration_number=meta.get("registration_number"),
        e_address=meta.get("e_address"), iban=meta.get("iban"),
        contacts=frozen_map(meta.get("contacts")), theme=frozen_map(meta.get("theme")),
        institutions=frozen_map(institutions), services=frozen_map(services), source_path=path,
        commissions=frozen_map(commissions),
        **_merger(meta.get("merged_into")))


def _merger(spec: Mapping | None) -> dict:
    """`merged_into` and `merged_on` from the overlay's `merged_into: {municipality, date}`."""
    if not spec:
        return {}
    try:
        on = datetime.date.fromisoformat(str(spec["date"]))
    except ValueError:
        on = None                       # the schema's pattern passed, the date does not exist
    return {"merged_into": spec["municipality"], "merged_on": on}


def check_overlay(municipality: Municipality, services: Mapping[str, Service], problems: Problems,
                  positions: Mapping[tuple, tuple[int, int]], broken: frozenset[str] = frozenset()) -> None:
    """Report settings that name unknown services, parameters or institutions (E601-E604).
    `broken`: ids of services whose files have errors; they exist, so no E601 for them."""
    def report(code: str, message: str, node: tuple) -> None:
        line, column = _nearest(positions, node)
        problems.add(code, message, municipality.source_path, line, column)

    for sid, settings in municipality.services.items():
        service = services.get(sid)
        if service is None and sid in broken:
            continue
        if service is None:
            report("E601", f'services.{sid}: no service "{sid}" in definitions/services.'
                           f'{did_you_mean(sid, services)}', ("services", sid))
            continue
        for name, raw in settings.parameters.items():
            declared = service.parameters.get(name)
            if declared is None:
                report("E602", f'services.{sid}.parameters.{name}: the service declares no such parameter.'
                               f'{did_you_mean(name, service.parameters)}', ("services", sid, "parameters", name))
            elif (value := coerce_parameter(declared.type, raw)) is None:
                report("E603", f'services.{sid}.parameters.{name}: {raw!r} is not a valid {declared.type}',
                       ("services", sid, "parameters", name))
            elif (outside := value_problem(declared, value)) is not None:
                report("E603", f'services.{sid}.parameters.{name}: {outside}', ("services", sid, "parameters", name))
        for role, target in settings.routing.items():
            if target not in municipality.institutions:
                report("E604", f'services.{sid}.routing.{role}: no institution "{target}" in `institutions`.'
                               f'{did_you_mean(target, municipality.institutions)}', ("services", sid, "routing", role))
        if settings.enabled:
            for role in _unroutable_roles(service, settings, municipality):
                wanted = 'no "council"' if role == "council" else f'neither "{role}" nor "council"'
                report("E604", f'services.{sid}: the service sends cases to "{role}", but `institutions` has '
                               f'{wanted}; add one, or map the role under '
                               f'services.{sid}.routing', ("services", sid))


def _unroutable_roles(service: Service, settings: ServiceSettings, municipality: Municipality) -> list[str]:
    roles = service.routing.roles if service.routing is not None else ()
    return [role for role in roles if role not in settings.routing
            and route_target(role, settings.routing, municipality) not in municipality.institutions]


def _nearest(positions: Mapping[tuple, tuple[int, int]], node: tuple) -> tuple[int, int]:
    while node and node not in positions:
        node = node[:-1]
    return positions.get(node, (1, 1))


def bind(service: Service, municipality: Municipality) -> EffectiveService:
    """The service as `municipality` offers it: defaults overridden by its overlay values."""
    settings = municipality.services.get(service.id)
    params = {name: p.default for name, p in service.parameters.items()}
    if settings is not None:
        for name, raw in settings.parameters.items():
            if name in service.parameters:
                value = coerce_parameter(service.parameters[name].type, raw)
                if value is None:
                    continue            # reported as E603 when loading; the default stands
                if service.parameters[name].type == "table" and params[name]:
                    value = {**params[name], **value}  # a municipality overrides rows, not the whole table
                params[name] = value
    routing = dict(settings.routing) if settings is not None else {}
    return EffectiveService(service, municipality, frozen_map(params), frozen_map(routing))


def municipality_variables(municipality: Municipality, language: str = "lv") -> dict[str, Any]:
    """`municipality.*` as expressions see it."""
    return {"id": municipality.id, "code": municipality.reference_code,
            "name": municipality.name.get_for(language), "atvk": municipality.atvk, "iso": municipality.iso,
            "registration_numbers": registration_numbers(municipality)}


def registration_numbers(municipality: Municipality) -> list[str]:
    """The municipality's own registration number and its institutions', each once."""
    numbers = [municipality.registration_number, *(i.registration_number for i in municipality.institutions.values())]
    return list(dict.fromkeys(n for n in numbers if n))

