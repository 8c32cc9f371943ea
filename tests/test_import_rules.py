"""The import rules of DESIGN.md, read from the source with `ast` (so an import inside a
function or behind `if TYPE_CHECKING` counts too):

- builder imports no Flask, SQLAlchemy, WTForms, nor runtime, publishers or app;
- publishers import no runtime, app or Flask;
- inside runtime, web -> cases -> storage: cases import no Flask, WTForms or web, and
  storage imports neither cases nor web;
- runtime.registers (the register providers) imports no Flask, database or use cases;
- nothing imports app (the composition root).

Then the same for what Python really loads: every module of `runtime.cases`, imported in
a fresh interpreter, brings no Flask into `sys.modules` (an indirect import through a
helper module counts too).
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WEB_FRAMEWORK = {"flask", "flask_wtf", "werkzeug", "wtforms"}
FORBIDDEN = {
    "builder": {"flask", "flask_wtf", "sqlalchemy", "alembic", "wtforms", "runtime", "publishers", "app"},
    "publishers": {"runtime", "app", "flask", "flask_wtf"},
    "runtime": {"app"},
    "runtime.cases": {"app", "runtime.web", *WEB_FRAMEWORK},
    "runtime.storage": {"app", "runtime.web", "runtime.cases", *WEB_FRAMEWORK},
    # register providers: plain data in and out, usable from any part of the platform
    "runtime.registers": {"app", "runtime.web", "runtime.cases", "runtime.storage", "sqlalchemy", *WEB_FRAMEWORK},
}


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Dotted names of every module imported by `module` (relative imports resolved)."""
    found = set()
    own_package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            prefix = node.module or ""
            if node.level:
                base = own_package.split(".")[: len(own_package.split(".")) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            found.add(prefix)    # and each name, which may be a module of that package
            found.update(f"{prefix}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant):
            found.add(str(node.args[0].value))
    return found


def breaks(imports: set[str], forbidden: set[str]) -> set[str]:
    return {name for name in imports for bad in forbidden if name == bad or name.startswith(bad + ".")}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package.replace(".", "/")).rglob("*.py"))


CASES = [(package, path) for package in FORBIDDEN for path in python_files(package)]


@pytest.mark.parametrize("package, path", CASES, ids=[f"{p}:{f.relative_to(ROOT)}" for p, f in CASES])
def test_imports_flow_one_way(package, path):
    imports = imported_modules(path.read_text(encoding="utf-8"), module_name(path),
                               is_package=path.name == "__init__.py")
    bad = breaks(imports, FORBIDDEN[package])
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_every_package_has_files_to_check():
    assert all(python_files(package) for package in ("builder", "runtime", "runtime.cases", "runtime.storage"))


@pytest.mark.parametrize("source, module, package, bad", [
    ("import flask", "builder.x", "builder", {"flask"}),
    ("from sqlalchemy.orm import Session", "builder.x", "builder", {"sqlalchemy.orm", "sqlalchemy.orm.Session"}),
    ("def f():\n    from runtime import storage", "builder.x", "builder", {"runtime", "runtime.storage"}),
    ("import importlib\nimportlib.import_module('wtforms.fields')", "builder.x", "builder", {"wtforms.fields"}),
    ("from app import create_app", "publishers.x", "publishers", {"app", "app.create_app"}),
    ("from . import model", "builder.x", "builder", set()),
    ("from ..web.actor import current_actor", "runtime.cases.x", "runtime.cases",
     {"runtime.web.actor", "runtime.web.actor.current_actor"}),
    ("from .. import web", "runtime.cases.x", "runtime.cases", {"runtime.web"}),
    ("from ..storage.models import Submission", "runtime.cases.x", "runtime.cases", set()),
    ("from ..cases import access", "runtime.storage.x", "runtime.storage", {"runtime.cases", "runtime.cases.access"}),
    ("from werkzeug.exceptions import NotFound", "runtime.cases.x", "runtime.cases", {"werkzeug.exceptions", "werkzeug.exceptions.NotFound"}),
])
def test_the_checker_sees_every_form_of_import(source, module, package, bad):
    assert breaks(imported_modules(source, module), FORBIDDEN[package]) == bad


def test_use_cases_load_no_web_framework_in_a_fresh_interpreter():
    modules = [module_name(path) for path in python_files("runtime.cases")]
    script = (f"import importlib, json, sys\nfor name in {modules!r}: importlib.import_module(name)\n"
              "print(json.dumps(sorted(sys.modules)))")
    loaded = json.loads(subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True,
                                       capture_output=True, text=True).stdout)
    assert "runtime.cases.submitting" in loaded
    assert not breaks(set(loaded), WEB_FRAMEWORK | {"runtime.web"})
