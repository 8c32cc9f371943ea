"""The language's command line: `pkip validate`, `pkip test`, `pkip new`, `pkip schema`,
`pkip check-invoice`.

(`pkip serve`, `pkip db` and `pkip sync` belong to the runtime; `app.main` adds them and
hands the rest to `main` here.)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .catalogue import Catalogue, load_catalogue, services_on_defaults
from .deftests import run_service_tests
from .documents import read_document
from .problems import Problems
from .schemacheck import load_schema
from .starter import starter_definition
from .templatecheck import check_document_templates

DEFAULT_ROOT = "definitions"
# The definition tools and what each does (app.py lists them beside the runtime's commands)
COMMANDS = {
    "validate": "check definitions (folders or single files); one line per problem",
    "test": "run the definitions' own test cases",
    "new": "write a starter service definition",
    "schema": "print the JSON Schema of the language",
    "check-invoice": "check e-invoices (UBL 2.1, PEPPOL BIS Billing 3.0) before sending them; exit 1 if any is rejected",
}
MISSING_PATH = 2      # the exit status for a path that does not exist, as for a usage error


def build_parser(parser: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    parser = parser or argparse.ArgumentParser(prog="pkip", description="Municipal e-service builder")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help=COMMANDS["validate"])
    validate.add_argument("paths", nargs="*", default=[DEFAULT_ROOT])
    validate.add_argument("--strict", action="store_true", help="fail on warnings too")
    test = commands.add_parser("test", help=COMMANDS["test"])
    test.add_argument("paths", nargs="*", default=[DEFAULT_ROOT])
    new = commands.add_parser("new", help=COMMANDS["new"])
    new.add_argument("service_id")
    new.add_argument("--root", default=DEFAULT_ROOT, help="the definitions folder")
    schema = commands.add_parser("schema", help=COMMANDS["schema"])
    schema.add_argument("--kind", choices=["service", "municipality", "codelist"], default="service")
    check = commands.add_parser("check-invoice", help=COMMANDS["check-invoice"])
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--lang", choices=["lv", "en"], default="lv", help="language of the messages")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    missing = [path for path in getattr(args, "paths", ()) if not Path(path).exists()]
    if missing:
        for path in missing:
            print(f"pkip {args.command}: {path}: no such file or folder", file=sys.stderr)
        return MISSING_PATH
    return {"validate": _validate, "test": _test, "new": _new, "schema": _schema,
            "check-invoice": _check_invoice}[args.command](args)


def _validate(args) -> int:
    catalogues, problems = _load(args.paths)
    for catalogue in catalogues:       # the templates, rendered with the test cases' answers
        check_document_templates(catalogue, catalogue.services.values(), problems)
    shown = problems.sorted()
    for problem in shown:
        print(problem.format())
    whole_roots = [c for c, selected in zip(catalogues, _roots(args.paths).values()) if selected is None]
    for line in _defaults_listing(whole_roots):
        print(line)
    errors = sum(p.is_error for p in shown)
    print(f"{errors} errors, {len(shown) - errors} warnings in {_definition_count(args.paths, catalogues)} definitions")
    return 1 if errors or (args.strict and shown) else 0


def _defaults_listing(catalogues: Sequence[Catalogue]) -> list[str]:
    """Which municipalities still offer services on the service defaults, one line each."""
    found = {mid: sids for c in catalogues for mid, sids in services_on_defaults(c).items()}
    if not found:
        return []
    return ["On the service defaults (the overlay sets none of the service's parameters, so its "
            "amounts and rules are not the municipality's own; set them, or disable the service):",
            *(f"  {mid}: {', '.join(sids)}" for mid, sids in found.items())]


def _definition_count(paths: Sequence[str], catalogues: list[Catalogue]) -> int:
    """How many definitions were asked for: a folder's files, or one file as one."""
    selected = [selection for selection in _roots(paths).values() if selection is not None]
    whole = sum(len(c.services) + len(c.municipalities) + len(c.codelists)
                for c, selection in zip(catalogues, _roots(paths).values()) if selection is None)
    return whole + sum(len(_yaml_in(selection)) for selection in selected)


def _test(args) -> int:
    catalogues, problems = _load(args.paths)
    if problems.has_errors:
        for problem in problems.sorted():
            print(problem.format())
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    for catalogue in catalogues:
        for result in run_service_tests(catalogue, catalogue.services.values()):
            status = "PASS" if result.passed else "FAIL"
            print(f"{status} {result.service.id}: {result.case.name}")
            for failure in result.failures:
                print(f"     {result.service.source_path}:{result.case.line}: {failure}")
            passed, failed = passed + result.passed, failed + (not result.passed)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _new(args) -> int:
    target = Path(args.root) / "services" / f"{args.service_id}.yaml"
    if target.exists():
        print(f"{target} already exists; choose another id or edit it", file=sys.stderr)
        return 1
    text = starter_definition(args.service_id, _any_municipality(Path(args.root)))
    if text is None:
        print(f'"{args.service_id}" is not a valid service id: use lowercase letters, digits and '
              f"dashes, starting with a letter", file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}; next: pkip validate {target} && pkip test {target}")
    print(f"to offer it, enable it in a municipality: services: {{{args.service_id}: {{enabled: true}}}}")
    return 0


def _schema(args) -> int:
    print(json.dumps(load_schema(args.kind), indent=2, ensure_ascii=False))
    return 0


def _check_invoice(args) -> int:
    """Per file `FILE: accepted|rejected`, then `RULE-ID fatal|warning: message` per problem."""
    rejected = 0
    for name in args.files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            print(f"{name}: rejected")
            print(f"PKIP-FILE-01 fatal: {error.strerror or error}")
            rejected += 1
            continue
        reading = read_document("en16931", data)
        print(f"{name}: {'accepted' if reading.ok else 'rejected'}")
        for problem in reading.problems:
            text = problem.message.get(args.lang) or problem.message.get("en") or ""
            print(f"{problem.rule_id} {problem.severity}: {' '.join(text.split())}")
        rejected += not reading.ok
    return 1 if rejected else 0


def _load(paths: Sequence[str]) -> tuple[list[Catalogue], Problems]:
    """Load the definitions roots that `paths` lie in; keep the problems of `paths` only."""
    problems = Problems()
    catalogues = []
    for root, selected in _roots(paths).items():
        loose = selected is not None and not (Path(root) / "services").is_dir()
        catalogue = load_catalogue(root, _yaml_in(selected) if loose else None)
        if selected is not None:
            catalogue.services = {k: s for k, s in catalogue.services.items() if _under(s.source_path, selected)}
        catalogues.append(catalogue)
        problems.extend(p for p in catalogue.problems if selected is None or _under(p.path, selected))
    return catalogues, problems


def _roots(paths: Sequence[str]) -> dict[Path, list[Path] | None]:
    """Each path's definitions root; None means "the whole root was asked for"."""
    roots: dict[Path, list[Path] | None] = {}
    for raw in paths:
        path = Path(raw).resolve()
        root = _relative(_root_of(path))
        if root.resolve() == path:
            roots[root] = None
        elif roots.get(root, []) is not None:
            roots.setdefault(root, []).append(path)
    return roots


def _relative(path: Path) -> Path:
    """Paths in messages read best relative to where the admin stands."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _yaml_in(paths: list[Path]) -> list[Path]:
    return sorted(f for p in paths for f in ([p] if p.is_file() else p.glob("*.yaml")))


def _root_of(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if any((candidate / sub).is_dir() for sub in ("services", "municipalities", "codelists")):
            return candidate
    return path.parent


def _under(file: str, selected: list[Path]) -> bool:
    resolved = Path(file).resolve()
    return any(resolved == s or s in resolved.parents for s in selected)


def _any_municipality(root: Path) -> str:
    files = sorted((root / "municipalities").glob("*.yaml"))
    return "riga" if (root / "municipalities" / "riga.yaml").exists() or not files else files[0].stem


if __name__ == "__main__":
    sys.exit(main())
