"""The parts of the HTTP fuzz suite: read a page's form as a browser would, fill it with
the definition's valid answers, and let hypothesis spoil some of them.

Nothing here knows a service: the inputs come from the page's HTML, the plausible values
from the definition's own valid `tests:` case (flattened to input names the way the
runtime names them: `owner-surname`, `pets-chip`, `start_date-day`).
"""
from __future__ import annotations

import datetime
import io
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator, Mapping

from hypothesis import strategies as st

FIXTURES = Path(__file__).resolve().parents[2] / "definitions" / "fixtures"
FILE_KEYS = {"fixture", "media_type"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Every spoiled text carries a marker, so that the log check finds it even when cut short.
MARKER = "Fz9q"
# A personal code in any form a person might write it, with or without the PNOLV prefix.
PERSONAL_CODE_ANY_FORM = re.compile(r"(?<!\d)[0-3]\d[01]\d\d\d[ -]?\d{5}(?!\d)|PNOLV-?\d{6}-?\d{5}")


@dataclass
class Form:
    action: str
    inputs: list[dict] = field(default_factory=list)     # {name, type, value, checked}
    options: dict[str, list[str]] = field(default_factory=dict)    # select name -> option values
    buttons: list[tuple[str, str]] = field(default_factory=list)   # named submit buttons


class _FormReader(HTMLParser):
    """The POST forms of a page (the header's sign-out and language forms included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self.forms.append(Form(a.get("action", "")))
        if not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind == "submit":
                form.buttons.append((a["name"], a.get("value", "")))
            else:
                form.inputs.append({"name": a["name"], "type": kind, "value": a.get("value", ""),
                                    "checked": "checked" in a, "accept": a.get("accept", "")})
        elif tag == "button" and a.get("name"):
            form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form.options[a["name"]] = []
            form.inputs.append({"name": a["name"], "type": "select", "value": "", "checked": False})
        elif tag == "option" and self._select:
            form.options[self._select].append(a.get("value", ""))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "type": "textarea", "value": "", "checked": False}
            form.inputs.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def main_form(html: str) -> Form | None:
    """The page's own form: the POST form with the most inputs (not sign-out or language)."""
    reader = _FormReader()
    reader.feed(html)
    forms = [f for f in reader.forms if not f.action.endswith(("/signout", "/language"))]
    return max(forms, key=lambda f: len(f.inputs), default=None)


def input_values(answers: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """A test case's answers as input name -> text (a repeat's first entry stands for all)."""
    values: dict[str, str] = {}
    for key, value in answers.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not FILE_KEYS & set(value):
            values.update(input_values(value, f"{name}-"))
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            values.update(input_values(value[0], f"{name}-"))
        elif isinstance(value, list):
            values[name] = ",".join(map(str, value))
            values.update({f"{name}#{i}": str(v) for i, v in enumerate(value)})
        elif isinstance(value, Mapping):        # a file: the fixture it names, if any
            values[name] = f"fixture:{value['fixture']}" if "fixture" in value else ""
        elif isinstance(value, datetime.date) or (isinstance(value, str) and ISO_DATE.match(value)):
            day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)
            values.update({f"{name}-day": str(day.day), f"{name}-month": str(day.month),
                           f"{name}-year": str(day.year)})
            values[name] = day.isoformat()
        elif isinstance(value, bool):
            values[name] = "yes" if value else "no"
        elif isinstance(value, Decimal):
            values[name] = format(value, "f")
        elif value is not None:
            values[name] = str(value)
    return values


def a_file(accept: str, valid: str) -> tuple[io.BytesIO, str]:
    """A genuine small file of a type the input accepts (the runtime checks the content)."""
    if valid.startswith("fixture:"):
        path = FIXTURES / valid.removeprefix("fixture:")
        return io.BytesIO(path.read_bytes()), path.name
    if "application/pdf" in accept or not accept:
        return io.BytesIO(PDF), "file.pdf"
    if "image/png" in accept or "image/" in accept:
        return io.BytesIO(PNG), "file.png"
    return io.BytesIO((FIXTURES / "e-invoice" / "valid.xml").read_bytes()), "valid.xml"


def plausible(form: Form, valid: Mapping[str, str]) -> dict[str, list]:
    """What a careful resident sends: the valid case's answers where an input matches one,
    otherwise what the page shows (or its first choice)."""
    payload: dict[str, list] = {}
    radios: dict[str, list[str]] = {}
    for item in form.inputs:
        name, kind = item["name"], item["type"]
        if kind == "radio":
            radios.setdefault(name, []).append(item["value"])
        elif kind == "checkbox":
            chosen = [v for k, v in valid.items() if k.startswith(f"{name}#") or k == name]
            if item["value"] in chosen or (not chosen and item["checked"]):
                payload.setdefault(name, []).append(item["value"])
        elif kind == "file":
            payload[name] = [a_file(item["accept"], valid.get(name, ""))]
        elif kind == "select":
            options = [o for o in form.options.get(name, []) if o]
            pick = valid.get(name)
            payload[name] = [pick if pick in options else (options[0] if options else "")]
        else:
            payload[name] = [valid.get(name, item["value"])]
    for name, options in radios.items():
        pick = valid.get(name)
        payload[name] = [pick if pick in options else options[0]]
    return payload


def _text(alphabet=None, *, min_size=0, max_size=40):
    letters = st.characters(blacklist_categories=("Cs",)) if alphabet is None else st.sampled_from(alphabet)
    return st.text(letters, min_size=min_size, max_size=max_size)


CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\u202e", "\u2028", "\ufeff", "\u200b"]
WRONG_TYPES = ["1e999", "NaN", "-0", "١٢٣", "9" * 400, "0x10", "[]", "{}", "true", "2026-02-30", "--", "'"]


def spoiled_text() -> st.SearchStrategy[str]:
    """A text that a form should refuse or store safely, never fail on."""
    return st.one_of(
        st.builds(lambda a, b: f"{a}{MARKER}\x00{b}", _text(max_size=5), _text(max_size=5)),
        st.builds(lambda a: f"{MARKER}{a}", _text(CONTROL, min_size=1, max_size=8)),
        st.builds(lambda n, c: MARKER + c * n, st.sampled_from([300, 5_000, 200_000]), st.sampled_from("a漢😀")),
        st.builds(lambda a: MARKER + a, _text(min_size=1)),
        st.builds(lambda a: MARKER + a, st.sampled_from(WRONG_TYPES)),
        st.just(""),
    )


@st.composite
def spoiled(draw, form: Form, valid: Mapping[str, str]) -> tuple[dict[str, list], str]:
    """The plausible payload with some inputs spoiled; and how (for the failure report)."""
    payload = plausible(form, valid)
    names = sorted(payload)
    how = draw(st.sampled_from(["values", "values", "values", "missing", "extra", "many", "csrf", "files", "none"]))
    targets = [n for n in names if n != "csrf_token"]
    if how == "values" and targets:
        for name in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=4, unique=True)):
            payload[name] = [draw(spoiled_text())]
    elif how == "missing" and targets:
        for name in draw(st.lists(st.sampled_from(targets), min_size=1, max_size=3, unique=True)):
            del payload[name]
    elif how == "extra":
        for _ in range(draw(st.integers(1, 4))):
            payload[draw(st.sampled_from(["zz", "__proto__", "owner-zz", "pets-0-x", "a" * 300, "x[]"]))] = [
                draw(spoiled_text())]
    elif how == "many" and targets:
        name = draw(st.sampled_from(targets))
        payload[name] = [draw(spoiled_text()) for _ in range(draw(st.integers(2, 60)))]
    elif how == "csrf":
        payload["csrf_token"] = [draw(st.sampled_from(["", MARKER, "x" * 5000]))] if draw(st.booleans()) else []
    elif how == "files":
        name = next((i["name"] for i in form.inputs if i["type"] == "file"), "photos")
        payload[name] = [(io.BytesIO(draw(st.sampled_from([PNG, PDF, b"", b"\x00" * 2048]))), f"{MARKER}{i}.png")
                         for i in range(draw(st.integers(2, 40)))]
    return payload, how


class LogCapture(logging.Handler):
    """Every record any logger writes while a walk runs, as the server log would show it."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    def __enter__(self) -> "LogCapture":
        root = logging.getLogger()
        self._level = root.level
        root.addHandler(self)
        root.setLevel(logging.DEBUG)
        return self

    def __exit__(self, *exc) -> None:
        root = logging.getLogger()
        root.removeHandler(self)
        root.setLevel(self._level)


def leaks(log_lines: list[str], values: Iterator[str]) -> list[str]:
    """The log lines that hold an answer value (of 5 or more characters) or a personal code."""
    text = "\n".join(log_lines)
    found = [f"personal code {m.group(0)!r}" for m in PERSONAL_CODE_ANY_FORM.finditer(text)]
    if MARKER in text:
        found.append(f"a spoiled answer ({MARKER}...)")
    found += [f"answer {v!r}" for v in set(values) if len(v) >= 5 and v in text]
    return found
