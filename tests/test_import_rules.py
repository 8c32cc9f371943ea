"""The import rules of DESIGN.md, read from the source with `ast` (so an import inside a
function or behind `if TYPE_CHECKING` counts too):

- builder imports no Flask, SQLAlchemy, WTForms, nor runtime, publishers or app;
- publishers import no runtime, app or Flask;
- nothing imports app (the composition root).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "builder": {"flask", "flask_wtf", "sqlalchemy", "alembic", "wtforms", "runtime", "publishers", "app"},
    "publishers": {"runtime", "app", "flask", "flask_wtf"},
    "runtime": {"app"},
}


def imported_modules(source: str, package: str) -> set[str]:
    """Top-level names of every module imported; relative imports resolved within `package`."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(package if node.level else (node.module or "").split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value).split(".")[0])
    return found


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


CASES = [(package, path) for package in FORBIDDEN for path in python_files(package)]


@pytest.mark.parametrize("package, path", CASES, ids=[str(p.relative_to(ROOT)) for _, p in CASES])
def test_imports_flow_one_way(package, path):
    imports = imported_modules(path.read_text(encoding="utf-8"), package)
    assert not imports & FORBIDDEN[package], f"{path.relative_to(ROOT)} imports {sorted(imports & FORBIDDEN[package])}"


def test_every_package_has_files_to_check():
    assert python_files("builder") and python_files("runtime")


@pytest.mark.parametrize("source, package, bad", [
    ("import flask", "builder", {"flask"}),
    ("from sqlalchemy.orm import Session", "builder", {"sqlalchemy"}),
    ("def f():\n    from runtime import storage", "builder", {"runtime"}),
    ("import importlib\nimportlib.import_module('wtforms.fields')", "builder", {"wtforms"}),
    ("from app import create_app", "publishers", {"app"}),
    ("from . import model", "builder", set()),
])
def test_the_checker_sees_every_form_of_import(source, package, bad):
    assert imported_modules(source, package) & FORBIDDEN[package] == bad
