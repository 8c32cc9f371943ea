"""Helpers for builder tests: a minimal valid service as text, tweaked section by section,
and a definitions folder (services/, municipalities/, codelists/) written to a temp dir."""
from __future__ import annotations

import datetime
from pathlib import Path

from builder.catalogue import Catalogue, load_catalogue
from builder.compiler import compile_text
from builder.problems import Problems

# Top-level sections of the minimal service, in file order. A test replaces or adds one
# by name; `None` drops it. Each value is the section's YAML without the key line.
BASE_SECTIONS: dict[str, str] = {
    "format": " 1",
    "service": """
  id: x
  code: XX
  version: 1.0.0
  title: {lv: Pakalpojums, en: Service}""",
    "parameters": """
  fee: {type: money, default: "10.00"}""",
    "fields": """
  name: {type: text, label: {lv: Vārds, en: Name}}
  pets:
    type: repeat
    required: false
    label: {lv: Dzīvnieki, en: Pets}
    fields:
      chip: {type: text, label: {lv: Čips, en: Chip}}""",
    "pages": """
  - {id: main, title: {lv: Galvenā, en: Main}, fields: [name, pets]}""",
    "routing": """
  to: council""",
    "tests": """
  - name: ok
    context: {municipality: riga, today: 2026-01-15}
    answers: {name: A}
    expect: {valid: true}""",
}

RIGA = """\
format: 1
municipality:
  id: riga
  name: {lv: Rīga, en: Riga}
  kind: state_city
  atvk: "0001000"
  iso: LV-RIX
institutions:
  council: {name: {lv: Dome, en: Council}}
  finance: {name: {lv: Finanses, en: Finance}}
services:
  x: {enabled: true}
"""

SPECIES = """\
format: 1
codelist:
  id: species
  title: {lv: Sugas, en: Species}
options:
  - {value: dog, label: {lv: Suns, en: Dog}, extra: {big: true}}
  - {value: cat, label: {lv: Kaķis, en: Cat}, extra: {big: false}}
"""

TODAY = datetime.date(2026, 1, 15)


def service(**sections: str | None) -> str:
    """The minimal service with `sections` replaced (None removes one; new ones are added)."""
    merged = {**BASE_SECTIONS, **sections}
    parts = [f"{key}:{body}" for key, body in merged.items() if body is not None]
    return "\n".join(parts) + "\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the `occurrence`-th line containing `needle`."""
    found = [number for number, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) >= occurrence, f"{needle!r} not in the text"
    return found[occurrence - 1]


def column_of(text: str, needle: str, occurrence: int = 1) -> int:
    line = text.splitlines()[line_of(text, needle, occurrence) - 1]
    return line.index(needle) + 1


def compile_problems(text: str, codelists=None) -> tuple[object, Problems]:
    problems = Problems()
    return compile_text(text, "services/x.yaml", problems, codelists), problems


def write_layout(root: Path, services: dict[str, str] | None = None,
                 municipalities: dict[str, str] | None = None,
                 codelists: dict[str, str] | None = None) -> Path:
    """A definitions folder under `root`; default: service x, Riga, the species list."""
    files = {
        "services": services if services is not None else {"x": service()},
        "municipalities": municipalities if municipalities is not None else {"riga": RIGA},
        "codelists": codelists if codelists is not None else {"species": SPECIES},
    }
    for folder, contents in files.items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, text in contents.items():
            (root / folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def load(root: Path, **layout) -> Catalogue:
    return load_catalogue(write_layout(root, **layout))


def codes(problems) -> list[str]:
    return sorted({p.code for p in problems})
