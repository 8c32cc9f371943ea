"""Load a whole definitions folder: shared code lists, services, municipality overlays.

Each service is compiled once; overlays are checked against the compiled services and
bound lazily (binding is a dictionary merge). `load_catalogue` never raises on bad
content: everything wrong is in `Catalogue.problems`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .commissions import check_commissions
from .compile_fields import compile_options
from .compiler import compile_text
from .model import ChoiceOption, Municipality, Service
from .overlay import EffectiveService, bind, check_overlay, load_municipality
from .problems import Problems, did_you_mean
from .schemacheck import check_document
from .unit import Unit
from .yamlload import load_text


@dataclass
class Catalogue:
    root: str
    problems: Problems = field(default_factory=Problems)
    codelists: dict[str, tuple[ChoiceOption, ...]] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    broken_services: set[str] = field(default_factory=set)   # ids of service files with errors
    _bound: dict[tuple[str, str], EffectiveService] = field(default_factory=dict, repr=False)

    def effective(self, municipality_id: str, service_id: str) -> EffectiveService | None:
        """The service as the municipality offers it, or None if it does not offer it."""
        municipality = self.municipalities.get(municipality_id)
        service = self.services.get(service_id)
        if municipality is None or service is None:
            return None
        settings = municipality.services.get(service_id)
        if settings is None or not settings.enabled or not municipality.current:
            return None
        key = (municipality_id, service_id)
        if key not in self._bound:
            self._bound[key] = bind(service, municipality)
        return self._bound[key]

    def current_municipalities(self) -> list[Municipality]:
        """The municipalities that exist today (not merged into another)."""
        return [m for m in self.municipalities.values() if m.current]

    def merged_into(self, municipality_id: str) -> list[Municipality]:
        """The municipalities merged into `municipality_id`, directly or through another."""
        found = [m for m in self.municipalities.values() if m.merged_into == municipality_id]
        return found + [deeper for m in found for deeper in self.merged_into(m.id)]

    def answers_for(self, municipality_id: str, case_municipality_id: str) -> bool:
        """Whether a case filed with `case_municipality_id` is found from `municipality_id`:
        its own, or one of a municipality it took over."""
        return case_municipality_id == municipality_id or any(
            m.id == case_municipality_id for m in self.merged_into(municipality_id))

    def enabled_services(self, municipality_id: str) -> list[EffectiveService]:
        municipality = self.municipalities.get(municipality_id)
        if municipality is None:
            return []
        found = (self.effective(municipality_id, sid) for sid in municipality.services)
        return sorted((e for e in found if e is not None), key=lambda e: e.service.title.get_for("lv"))


def load_catalogue(root: str | Path, service_files: list[Path] | None = None) -> Catalogue:
    """Everything under `root`; `service_files` replaces `root/services/*.yaml` when given."""
    root = Path(root)
    catalogue = Catalogue(str(root))
    for path in _yaml_files(root / "codelists"):
        _load_codelist(catalogue, path)
    for path in service_files if service_files is not None else _yaml_files(root / "services"):
        _load_service(catalogue, path)
    positions: dict[str, dict] = {}
    for path in _yaml_files(root / "municipalities"):
        _load_municipality(catalogue, path, positions)
    for municipality in catalogue.municipalities.values():
        check_overlay(municipality, catalogue.services, catalogue.problems, positions[municipality.id],
                      frozenset(catalogue.broken_services))
        check_commissions(municipality, catalogue.services, catalogue.problems, positions[municipality.id],
                          frozenset(catalogue.broken_services))
    _check_mergers(catalogue, positions)
    _check_test_municipalities(catalogue)
    return catalogue


def services_on_defaults(catalogue: Catalogue) -> dict[str, list[str]]:
    """Per current municipality, the services it offers whose parameters its overlay leaves
    all at the service's defaults: it charges and decides by values that are not its own."""
    found: dict[str, list[str]] = {}
    for municipality in catalogue.current_municipalities():
        for sid, settings in municipality.services.items():
            service = catalogue.services.get(sid)
            if settings.enabled and service is not None and service.parameters and not settings.parameters:
                found.setdefault(municipality.id, []).append(sid)
    return {mid: sorted(sids) for mid, sids in sorted(found.items())}


def _check_mergers(catalogue: Catalogue, positions: dict[str, dict]) -> None:
    """A merger names an existing, current municipality other than itself, on a real date (E606)."""
    for municipality in catalogue.municipalities.values():
        if municipality.merged_into is None:
            continue
        target = catalogue.municipalities.get(municipality.merged_into)
        if target is None or target is municipality:
            wrong = f'no other municipality "{municipality.merged_into}" in definitions/municipalities.' \
                    f'{did_you_mean(municipality.merged_into, catalogue.municipalities)}'
        elif not target.current:
            wrong = f'"{target.id}" was itself merged into "{target.merged_into}"; name that one'
        elif municipality.merged_on is None:
            wrong = "the date is not a real day; write it YYYY-MM-DD"
        else:
            continue
        where = positions[municipality.id].get(("municipality", "merged_into"), (1, 1))
        catalogue.problems.add("E606", f"municipality.merged_into: {wrong}", municipality.source_path, *where)


def _check_test_municipalities(catalogue: Catalogue) -> None:
    for service in catalogue.services.values():
        for case in service.tests:
            name = str(case.context.get("municipality"))
            municipality = catalogue.municipalities.get(name)
            if municipality is None:
                catalogue.problems.add("E701", f'test "{case.name}" names municipality "{name}", which is not in '
                                               f'definitions/municipalities.{did_you_mean(name, catalogue.municipalities)}',
                                       service.source_path, case.line, 5)
            elif not _enables(municipality, service.id):
                catalogue.problems.add("W701", f'test "{case.name}": municipality "{name}" does not offer '
                                               f'"{service.id}" yet; residents cannot reach what this tests until it '
                                               f'is enabled in {municipality.source_path}', service.source_path, case.line, 5)


def _enables(municipality: Municipality, service_id: str) -> bool:
    settings = municipality.services.get(service_id)
    return settings is not None and settings.enabled and municipality.current


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def _read(catalogue: Catalogue, path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        catalogue.problems.add("E101", f"cannot read the file: {exc}", str(path), 1, 1)
        return None


def _load_codelist(catalogue: Catalogue, path: Path) -> None:
    text = _read(catalogue, path)
    doc = load_text(text, str(path), catalogue.problems) if text is not None else None
    if doc is None or not check_document(doc, "codelist", catalogue.problems):
        return
    name = doc.data["codelist"]["id"]
    catalogue.codelists[name] = compile_options(Unit(doc, catalogue.problems), ("options",))


def _load_service(catalogue: Catalogue, path: Path) -> None:
    text = _read(catalogue, path)
    if text is None:
        return
    service = compile_text(text, str(path), catalogue.problems, catalogue.codelists,
                           Path(catalogue.root) / "templates")
    if service is None:
        catalogue.broken_services.add(_declared_id(text, path))
        return
    if service.id in catalogue.services:
        other = catalogue.services[service.id].source_path
        catalogue.problems.add("E401", f'service id "{service.id}" is also used by {other}', str(path), 1, 1)
        return
    catalogue.services[service.id] = service


def _declared_id(text: str, path: Path) -> str:
    """The id a broken service file declares (else its file name), so that overlays
    enabling it are not also told that the service does not exist."""
    doc = load_text(text, str(path), Problems())
    meta = doc.data.get("service") if doc is not None else None
    ident = meta.get("id") if isinstance(meta, dict) else None
    return ident if isinstance(ident, str) else path.stem


def _load_municipality(catalogue: Catalogue, path: Path, positions: dict[str, dict]) -> None:
    text = _read(catalogue, path)
    loaded = load_municipality(text, str(path), catalogue.problems) if text is not None else None
    if loaded is None:
        return
    municipality, where = loaded
    for other in catalogue.municipalities.values():
        for key in ("id", "atvk", "iso"):
            if getattr(other, key) == getattr(municipality, key):
                catalogue.problems.add("E605", f'{key} "{getattr(municipality, key)}" is also used by '
                                               f'{other.source_path}', str(path), *where.get(("municipality", key), (1, 1)))
    if municipality.id not in catalogue.municipalities:
        catalogue.municipalities[municipality.id] = municipality
        positions[municipality.id] = where
