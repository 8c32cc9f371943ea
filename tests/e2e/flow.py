"""Drive the resident flow in the browser, generically, from the compiled model.

The pages (runtime/web/resident, templates/resident, templates/fields):
  start page          form posting to `start`, button "Start now"
  question page       `.../apply/<page>`, inputs named by model path with "-" for "."
                      (`owner-surname`; a date as `<name>-day/-month/-year`; radios and
                      checkboxes share the name, one value each), a `.button-group`
                      submit "Continue"
  a repeat            on its page: the entries so far, a submit `add_entry=<repeat name>`
                      that opens `.../apply/<page>/<repeat>/<i>`; there the entry's
                      inputs are named `<repeat>-<child>`, the submit "Save and continue"
  check your answers  `.../check`, the declaration checkbox `#declaration`, "Accept and send"
  confirmation        `.../case/<reference>`, `.panel__reference`
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from builder.model import Field

from .scenarios import Journey, date_parts, typed, upload

ERROR_SUMMARY = ".error-summary"
PAGE_URL = re.compile(r"/apply/(?P<page>[a-z0-9_]+)/?(?:[?#].*)?$")
ENTRY_URL = re.compile(r"/apply/(?P<page>[a-z0-9_]+)/(?P<repeat>[a-z0-9_-]+)/(?P<index>\d+)/?(?:[?#].*)?$")
CHECK_URL = re.compile(r"/check/?(?:[?#].*)?$")
CASE_URL = re.compile(r"/case/(?P<reference>[^/?#]+)/?(?:[?#].*)?$")
MAX_STEPS = 60


class FlowBroken(AssertionError):
    """The journey could not go on: the message names the step, the URL and what the page said."""


def html_name(path: str) -> str:
    return path.replace(".", "-")


def errors_on(page) -> list[str]:
    summary = page.locator(ERROR_SUMMARY)
    if summary.count() == 0:
        return []
    return [text.strip() for text in summary.locator("li").all_inner_texts()]


def broken(page, step: str, detail: str = "") -> FlowBroken:
    heading = page.locator("h1").first.inner_text() if page.locator("h1").count() else "(no h1)"
    found = errors_on(page)
    return FlowBroken(f"{step}: at {page.url} (h1 {heading!r}){' ' + detail if detail else ''}"
                      + (f"; the error summary says {found}" if found else ""))


def go(locator) -> None:
    """Click something that loads a new page, and wait until that page has loaded (the
    click alone returns once the navigation commits, before the DOM is complete)."""
    with locator.page.expect_navigation(wait_until="load"):
        locator.click()


def watch_csp(page) -> list[str]:
    """The Content-Security-Policy violations the browser reports from now on."""
    found: list[str] = []
    page.on("console", lambda message: found.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text else None)
    return found


# --- sign-in ------------------------------------------------------------------------

def sign_in(page, person: Mapping[str, str], next_path: str = "/my/") -> None:
    page.goto(f"/signin/dev?next={next_path}")
    page.fill("#given_name", person["given_name"])
    page.fill("#surname", person["surname"])
    page.fill("#personal_code", person["personal_code"])
    go(page.locator("main form button[type=submit]"))
    if errors_on(page):
        raise broken(page, "development sign-in")
    if "/my/acting-for" in page.url:      # a parent (the register stand-in knows a child) is asked first
        page.check("#party-self")
        go(page.locator("main form button[type=submit]"))


# --- one field ---------------------------------------------------------------------

def fill_field(page, field: Field, value: Any, name: str | None = None) -> bool:
    """Put `value` into the input(s) for `field` if the page shows them; True if it did."""
    name = name or html_name(field.path)
    if value is None:
        return False
    if field.type == "date":
        day, month, year = date_parts(value)
        inputs = [page.locator(f'input[name="{name}-{part}"]') for part in ("day", "month", "year")]
        if inputs[0].count() == 0 or not inputs[0].is_visible() or not inputs[0].is_editable():
            return False
        for locator, text in zip(inputs, (day, month, year)):
            locator.fill(text)
        return True
    if field.type == "file":
        locator = page.locator(f'input[type=file][name="{name}"]')
        if locator.count() == 0:
            return False
        values = value if isinstance(value, list) else [value]
        files = [upload(field, v) for v in values if isinstance(v, Mapping)]
        if not files:
            return False
        locator.set_input_files(files if locator.get_attribute("multiple") is not None else files[0])
        return True
    if field.type == "multi_choice":
        boxes = page.locator(f'input[type=checkbox][name="{name}"]')
        if boxes.count() == 0:
            return False
        wanted = {typed(field, v) for v in (value if isinstance(value, list) else [value])}
        for index in range(boxes.count()):
            box = boxes.nth(index)
            if box.is_visible():
                box.set_checked(box.get_attribute("value") in wanted)
        settle(page)
        return True
    text = typed(field, value)
    radios = page.locator(f'input[type=radio][name="{name}"]')
    if radios.count():
        radio = page.locator(f'input[type=radio][name="{name}"][value="{text}"]')
        if radio.count() == 0:
            raise broken(page, f"filling {field.path}", f"no option {text!r} among the radios")
        if not radio.is_visible() or not radio.is_enabled():
            return False        # hidden by an answer on this page: offered once that is sent
        if not radio.is_checked():
            radio.check()
            settle(page)
        return True
    select = page.locator(f'select[name="{name}"]')
    if select.count():
        option = select.locator(f'option[value="{text}"]')
        if not select.is_visible() or (option.count() and option.is_disabled()):
            return False
        select.select_option(value=text)
        settle(page)
        return True
    box = page.locator(f'input[name="{name}"], textarea[name="{name}"]').first
    if box.count() == 0 or not box.is_visible():
        return False
    if not box.is_editable():
        return True   # prefilled and locked (from the sign-in): the value is the person's
    box.fill(text)
    return True


def settle(page) -> None:
    """Wait until form.js has the server's answer to what was just chosen (the questions
    it reveals and the options it offers); at once when there is no such script."""
    page.locator("form[data-revealing]").wait_for(state="detached")


def fill_fields(page, fields, answers: Mapping[str, Any] | None) -> set[str]:
    """Fill the leaves of `fields` (groups opened, repeats left to `add_entries`); the
    paths of the fields filled."""
    answers = answers or {}
    filled: set[str] = set()
    for field in fields:
        value = answers.get(field.name)
        if field.type == "group":
            filled |= fill_fields(page, field.children, value if isinstance(value, Mapping) else {})
        elif field.type != "repeat" and fill_field(page, field, value):
            filled.add(field.path)
    return filled


def repeats_in(fields, answers: Mapping[str, Any] | None):
    """(repeat field, its answered entries) for the repeats among `fields`."""
    answers = answers or {}
    for field in fields:
        value = answers.get(field.name)
        if field.type == "group":
            yield from repeats_in(field.children, value if isinstance(value, Mapping) else {})
        elif field.type == "repeat":
            yield field, list(value or [])


# --- pages ---------------------------------------------------------------------------

def start(page, journey: Journey) -> None:
    page.goto(journey.start_path)
    go(page.locator("main form .button--start, main form button[type=submit]").first)
    if not PAGE_URL.search(page.url):
        raise broken(page, "Start now", "did not open the first question page")


def submit_page(page, step: str) -> None:
    go(page.locator("main form .button-group button[type=submit]").first)
    if errors_on(page):
        raise broken(page, step)


def add_entries(page, journey: Journey, page_id: str) -> None:
    model_page = next(p for p in journey.service.pages if p.id == page_id)
    top = [journey.service.field_index[name] for name in model_page.fields]
    for repeat, entries in repeats_in(top, journey.answers):
        name = html_name(repeat.path)
        shown = page.locator(f'[id^="{name}-"].summary-list__row').count()
        for index in range(shown, len(entries)):
            go(page.locator(f'button[name="add_entry"][value="{name}"]'))
            if not ENTRY_URL.search(page.url):
                raise broken(page, f"add entry {index + 1} to {repeat.path}", "did not open an entry page")
            fill_entry(page, repeat, entries[index], index)


def fill_entry(page, repeat: Field, entry: Any, index: int) -> None:
    """On an entry page: fill the entry's fields, save, and expect to be back on the page."""
    entry = entry if isinstance(entry, Mapping) else {}
    if not _fill_entry_fields(page, repeat, entry):
        # Without JavaScript an option filtered by an answer on the entry is offered only
        # once that answer is sent: save, and fill what the re-drawn entry offers.
        go(page.locator("main form .button-group button[type=submit]").first)
        if ENTRY_URL.search(page.url):
            _fill_entry_fields(page, repeat, entry)
        else:
            return
    submit_page(page, f"save entry {index + 1} of {repeat.path}")
    for _ in range(2):
        if not ENTRY_URL.search(page.url):
            break
        # Without JavaScript, a question an answer on the entry reveals is asked when the
        # entry is sent (drawn as a new question, not as an error): answer it and send again.
        _fill_entry_fields(page, repeat, entry)
        submit_page(page, f"save entry {index + 1} of {repeat.path} (with the questions it revealed)")
    if not PAGE_URL.search(page.url):
        raise broken(page, f"save entry {index + 1} of {repeat.path}", "did not return to the page")


def _fill_entry_fields(page, repeat: Field, entry: Mapping[str, Any]) -> bool:
    """Fill an entry's fields; False when a choice the entry needs is not offered yet."""
    complete = True
    for child in repeat.children:
        if child.type == "group":
            fill_fields(page, child.children, entry.get(child.name))
        elif not fill_field(page, child, entry.get(child.name)) and entry.get(child.name) is not None \
                and child.type in ("choice", "multi_choice", "yes_no"):
            complete = complete and page.locator(f'[name="{html_name(child.path)}"]').count() == 0
    return complete


def fill_question_page(page, journey: Journey, page_id: str) -> set[str]:
    """Fill the page's fields and add its repeat entries; the paths of the fields filled."""
    model_page = next((p for p in journey.service.pages if p.id == page_id), None)
    if model_page is None:
        raise broken(page, "question page", f"{page_id!r} is no page of {journey.service.id}")
    top = [journey.service.field_index[name] for name in model_page.fields]
    filled = fill_fields(page, top, journey.answers)
    add_entries(page, journey, page_id)
    # The "add" post saved the page; fill again in case the page was redrawn empty.
    return filled | fill_fields(page, top, journey.answers)


@dataclass
class Revealed:
    """A question that appeared only after "Continue" reported it missing: a resident
    is told to fill in something the page never showed."""
    page_id: str
    fields: set[str]
    errors: list[str]

    def __str__(self) -> str:
        return (f"page {self.page_id!r}: {sorted(self.fields)} appeared only with the errors "
                f"{self.errors}")


def answer_questions(page, journey: Journey, *, on_page=None, revealed: list | None = None) -> list[str]:
    """From the first question page to "check your answers"; the page ids visited.

    With `revealed` (a list), a page whose "Continue" asks for fields it did not show is
    filled again and sent, and the event is appended; without it, that is a FlowBroken."""
    visited: list[str] = []
    for _ in range(MAX_STEPS):
        if CHECK_URL.search(page.url):
            return visited
        found = PAGE_URL.search(page.url)
        if not found:
            raise broken(page, "answering the questions", "expected a question page or the check page")
        page_id = found.group("page")
        visited.append(page_id)
        if on_page is not None:
            on_page(page, page_id)
        filled = fill_question_page(page, journey, page_id)
        go(page.locator("main form .button-group button[type=submit]").first)
        found_errors = errors_on(page)
        if found_errors and revealed is not None:
            # Fields the first render did not show but the errors now do: fill them, note it.
            more = fill_question_page(page, journey, page_id) - filled
            if more:
                revealed.append(Revealed(page_id, more, found_errors))
                submit_page(page, f"Continue on page {page_id!r} (after filling {sorted(more)})")
                continue
        if found_errors:
            raise broken(page, f"Continue on page {page_id!r}")
    raise broken(page, "answering the questions", f"no check page after {MAX_STEPS} steps: {visited}")


def send(page) -> str:
    """Declare and send from the check page; the case reference."""
    if not CHECK_URL.search(page.url):
        raise broken(page, "send", "not on the check page")
    page.locator("#declaration").check()
    go(page.locator("main form button[type=submit]").last)
    found = CASE_URL.search(page.url)
    if not found or errors_on(page):
        raise broken(page, "Accept and send", "no confirmation page")
    reference = page.locator(".panel__reference").inner_text().strip()
    assert reference, f"no case reference on {page.url}"
    return reference


def complete(page, journey: Journey, *, on_page=None, revealed: list | None = None) -> str:
    start(page, journey)
    answer_questions(page, journey, on_page=on_page, revealed=revealed)
    return send(page)
