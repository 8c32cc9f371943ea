"""Where the builder reports each problem code: every call in `builder/` whose first
argument is a code literal (`unit.report("E402", ...)`, `problems.add(...)`,
`ExprProblem(...)`, `_Rejected(...)`), found by reading the source; and a recorder that
notes which of those calls ran while a definition was checked."""
from __future__ import annotations

import ast
import contextlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

BUILDER = Path(__file__).resolve().parents[2] / "builder"
CODE = re.compile(r"^[EW]\d{3}$")
REPORTERS = {"report", "add", "ExprProblem", "_Rejected"}


@dataclass(frozen=True, order=True)
class Site:
    file: str       # relative to builder/
    line: int
    code: str

    def __str__(self) -> str:
        return f"builder/{self.file}:{self.line} ({self.code})"


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None


def reporting_sites() -> list[Site]:
    sites = []
    for path in sorted(BUILDER.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _callee(node) in REPORTERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value):
                    sites.append(Site(str(path.relative_to(BUILDER)), node.lineno, first.value))
    return sites


@contextlib.contextmanager
def recording() -> Iterator[set[tuple[str, int]]]:
    """The (file under builder/, line) of every call into a reporter while the block runs."""
    calls: set[tuple[str, int]] = set()
    names = REPORTERS | {"__init__"}

    def profile(frame, event, _arg):
        try:
            if event == "call" and frame.f_code.co_name in names and frame.f_back is not None:
                caller = frame.f_back.f_code.co_filename
                if caller.startswith(str(BUILDER)):
                    calls.add((str(Path(caller).relative_to(BUILDER)), frame.f_back.f_lineno))
        except RecursionError:      # a deep expression: Python would switch off a failing profiler
            pass

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)
