"""What start-up costs with many municipalities: `python -m builder.measure [43 119 1000]`.

For each count, a temporary definitions folder gets the real services, code lists and
fixtures, the real municipality overlays, and synthetic clones of those overlays (new id,
ATVK and ISO code) up to the count. Then it times `load_catalogue` (which compiles each
service once and checks every overlay) and binding every enabled service to every
municipality. Binding merges parameter values into the compiled model; it never
recompiles, so its cost per municipality stays flat as the count grows.
"""
from __future__ import annotations

import argparse
import shutil
import string
import sys
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Sequence

import yaml

from . import schemacheck
from .catalogue import load_catalogue
from .compiler import compile_text
from .problems import Problems
from .schemacheck import check_document
from .yamlload import load_text

DEFAULT_COUNTS = (43, 119, 1000)
FREE_ISO_LETTERS = "QWXYZ"       # no Latvian ISO 3166-2 letter code starts with these


@dataclass(frozen=True)
class Measurement:
    municipalities: int
    services: int
    load_seconds: float          # read + compile every service + read and check every overlay
    compile_seconds: float       # of which: compiling the services (once each)
    bind_seconds: float          # bind every enabled service in every municipality
    bindings: int
    errors: int
    schema_seconds: float = 0.0  # the schema check of every overlay (read beforehand), on its own

    def lines(self) -> list[str]:
        per_municipality = self.bind_seconds / max(self.municipalities, 1)
        per_binding = self.bind_seconds / max(self.bindings, 1)
        return [f"{self.municipalities} municipalities, {self.services} services: "
                f"load_catalogue {self.load_seconds * 1000:.0f} ms "
                f"(compiling the services {self.compile_seconds * 1000:.0f} ms, "
                f"overlays {(self.load_seconds - self.compile_seconds) / max(self.municipalities, 1) * 1000:.1f} ms each); "
                f"binding {self.bindings} service-municipality pairs {self.bind_seconds * 1000:.1f} ms "
                f"({per_municipality * 1e6:.0f} µs per municipality, {per_binding * 1e6:.0f} µs per pair); "
                f"schema check {self.schema_seconds / max(self.municipalities, 1) * 1000:.2f} ms per overlay; "
                f"{self.errors} errors"]


class _Dumper(yaml.SafeDumper):
    """Writes the loader's exact Decimals back as plain numbers."""


_Dumper.add_representer(Decimal, lambda dumper, value: dumper.represent_scalar("tag:yaml.org,2002:float", str(value)))


def build_tree(source: Path, target: Path, count: int) -> None:
    """A definitions folder at `target` with every real municipality (the services' own
    tests name them) and synthetic clones up to `count`."""
    for folder in ("services", "codelists", "fixtures", "templates"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    overlays = sorted((source / "municipalities").glob("*.yaml"))
    (target / "municipalities").mkdir(parents=True)
    for path in overlays:
        shutil.copy(path, target / "municipalities" / path.name)
    originals = [load_text(p.read_text(encoding="utf-8"), str(p), Problems()).data for p in overlays]
    for index in range(max(0, count - len(overlays))):
        clone = clone_overlay(originals[index % len(originals)], index)
        text = yaml.dump(clone, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
        (target / "municipalities" / f"{clone['municipality']['id']}.yaml").write_text(text, encoding="utf-8")


def clone_overlay(data: dict, index: int) -> dict:
    """A copy of an overlay under a new id, ATVK and ISO code that no real one uses."""
    first, rest = divmod(index, 26 * 26)
    letters = FREE_ISO_LETTERS[first] + string.ascii_uppercase[rest // 26] + string.ascii_uppercase[rest % 26]
    meta = {**data["municipality"], "id": f"synthetic-{index:04d}", "atvk": f"9{index:06d}", "iso": f"LV-{letters}"}
    return {**data, "municipality": meta}


def measure(source: Path, count: int) -> Measurement:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_tree(source, root, count)
        started = time.perf_counter()
        catalogue = load_catalogue(root)
        loaded = time.perf_counter()
        bindings = sum(len(catalogue.enabled_services(mid)) for mid in catalogue.municipalities)
        bound = time.perf_counter()
        compile_seconds = _compile_time(root, catalogue.codelists)
        schema_seconds = _schema_time(root)
    return Measurement(len(catalogue.municipalities), len(catalogue.services), loaded - started,
                       compile_seconds, bound - loaded, bindings, len(catalogue.problems.errors), schema_seconds)


def _schema_time(root: Path) -> float:
    docs = [load_text(p.read_text(encoding="utf-8"), str(p), Problems())
            for p in sorted((root / "municipalities").glob("*.yaml"))]
    started = time.perf_counter()
    for doc in docs:
        check_document(doc, "municipality", Problems())
    return time.perf_counter() - started


def _compile_time(root: Path, codelists) -> float:
    started = time.perf_counter()
    for path in sorted((root / "services").glob("*.yaml")):
        compile_text(path.read_text(encoding="utf-8"), str(path), Problems(), codelists)
    return time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m builder.measure", description=__doc__.splitlines()[0])
    parser.add_argument("counts", nargs="*", type=int, default=list(DEFAULT_COUNTS))
    parser.add_argument("--root", default="definitions", help="the real definitions folder to copy")
    parser.add_argument("--without-fast-schema", action="store_true",
                        help="check every overlay with the jsonschema pass only (the figures before the fast path)")
    args = parser.parse_args(argv)
    if args.without_fast_schema:
        schemacheck.FAST_KINDS = ()
    for count in args.counts:
        for line in measure(Path(args.root), count).lines():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
