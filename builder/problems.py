"""Problems the builder reports: a stable code, a severity, a place and a message.

The builder never raises on a bad definition; every stage appends to a `Problems`
collection so that an admin sees all that is wrong at once. The code table below is the
single source of the codes; `docs/problem-codes.md` is checked against it by a test.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable, Iterator

ERROR = "error"
WARNING = "warning"

# code -> (severity, one-line meaning). Codes are stable: never reuse a retired one.
# Retired: E407 (a field key that does not fit its type is caught by the schema as E207);
# E704 (never emitted as an error; a test may try a service before it is enabled: W701).
CODES: dict[str, tuple[str, str]] = {
    # reading files
    "E101": (ERROR, "the file cannot be read"),
    "E102": (ERROR, "the file is not valid YAML"),
    "E103": (ERROR, "a key appears twice in one mapping"),
    "E104": (ERROR, "the file is empty or its top level is not a mapping"),
    "E105": (ERROR, "YAML anchors, aliases and custom tags are not allowed"),
    # JSON Schema
    "E201": (ERROR, "a required key is missing"),
    "E202": (ERROR, "an unknown key (not in the schema)"),
    "E203": (ERROR, "a value has the wrong type"),
    "E204": (ERROR, "a value is not one of the allowed values"),
    "E205": (ERROR, "a value does not match the required pattern or format"),
    "E206": (ERROR, "a value is out of range (too small, too large, too short, too long)"),
    "E207": (ERROR, "a value does not fit the schema"),
    "E208": (ERROR, "an unsupported format version"),
    # expressions (see builder/expressions/errors.py)
    "E301": (ERROR, "an expression has a syntax error"),
    "E302": (ERROR, "an expression uses an unknown name"),
    "E303": (ERROR, "an expression uses an unknown member of a value"),
    "E304": (ERROR, "an expression calls an unknown function or passes wrong arguments"),
    "E305": (ERROR, "an expression mixes types that do not go together"),
    "E306": (ERROR, "an expression gives the wrong type of result for where it is used"),
    # references and ids
    "E401": (ERROR, "two things share one id"),
    "E402": (ERROR, "a reference to a field that does not exist"),
    "E403": (ERROR, "a reference to a choice list that does not exist"),
    "E404": (ERROR, "a reference to a parameter that does not exist"),
    "E405": (ERROR, "a reference to a process state that does not exist"),
    "E406": (ERROR, "a reference to a document that does not exist"),
    "E408": (ERROR, "a `for_each` does not name a repeat"),
    "E409": (ERROR, "a default value does not fit its declared type"),
    "E410": (ERROR, "a `pattern` is not a valid regular expression"),
    "E411": (ERROR, "a reduction is always below zero"),
    "E412": (ERROR, "a document's template file does not exist"),
    "E413": (ERROR, "a document's template does not render with a test case's answers"),
    "E414": (ERROR, "a catalogue fact (processing_days, price) reads an answer"),
    "E415": (ERROR, "a service for a child (`audience: [child]`) names no personal_code field as its `subject`"),
    "W401": (WARNING, "a text lacks its English translation"),
    "W402": (WARNING, "a message's braces hold no value, so they are shown as written"),
    # structure and flow
    "E501": (ERROR, "a top-level field is on no page"),
    "E502": (ERROR, "a field is on more than one page"),
    "E503": (ERROR, "computed values depend on each other in a cycle"),
    "E504": (ERROR, "a process state cannot be reached from the initial state"),
    "E505": (ERROR, "a repeat's minimum is above its maximum"),
    "E506": (ERROR, "the state a case waits in for an information request is final or one it is asked from"),
    "W501": (WARNING, "a page can never be shown (its condition is always false)"),
    "W502": (WARNING, "a process has a non-final state with no way out"),
    # municipalities and overlays
    "E601": (ERROR, "an overlay enables a service that does not exist"),
    "E602": (ERROR, "an overlay sets a parameter the service does not declare"),
    "E603": (ERROR, "an overlay parameter value does not fit the parameter's type"),
    "E604": (ERROR, "an overlay routes to an institution it does not define"),
    "E605": (ERROR, "two municipalities share an id, ATVK or ISO code"),
    "E606": (ERROR, "a merger names no current municipality, or no real date"),
    "E607": (ERROR, "a commission names an institution, service or state that does not fit"),
    # definition tests
    "E701": (ERROR, "a test names a municipality that does not exist"),
    "E702": (ERROR, "a test's answers name a field that does not exist"),
    "E703": (ERROR, "a test expects a rule, page or fee line that does not exist"),
    "W701": (WARNING, "a test's municipality does not enable the service"),
}


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    path: str = ""
    line: int = 0
    column: int = 0

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def format(self) -> str:
        """`path:line:column: CODE severity: message`, as `pkip validate` prints it."""
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.severity}: {self.message}"


@dataclass
class Problems:
    """An ordered collection of problems, filled by every stage of the pipeline."""

    items: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, path: str = "", line: int = 0, column: int = 0) -> None:
        if code not in CODES:
            raise KeyError(f"unregistered problem code {code}")
        self.items.append(Problem(code, message, path, line, column))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=lambda p: (p.path, p.line, p.column, p.code, p.message))

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """A ' Did you mean "x"?' suffix when a candidate is close to `name`, else ''."""
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f' Did you mean "{close[0]}"?' if close else ""
