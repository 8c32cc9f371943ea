"""Interface language: every string has its Latvian translation; formats per locale."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date
from babel.messages.extract import extract_from_dir
from babel.numbers import format_currency
from builder.money import to_cents
from flask import Flask, g
from jinja2 import Environment

from runtime.i18n import (
    FORMAT_LOCALES, Languages,
    format_day, format_money, format_number, language_switch_url, language_switch_urls, latvian_sort_key,
    template_gettext, text_for, translations_for,
)

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def interface_messages() -> list[tuple[str, tuple[str, ...] | str]]:
    """Every gettext msgid in the runtime's Python code and templates."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(str(ROOT / "runtime"), method_map, options, keywords=KEYWORDS)
    return [(filename, message) for filename, _line, message, _comments, _context in found]


def test_extraction_finds_the_interface_strings():
    messages = {message for _file, message in interface_messages()}
    assert "Page not found" in messages
    assert ("%(num)d working day", "%(num)d working days") in messages


def test_every_interface_string_has_a_latvian_translation():
    latvian = translations_for("lv")
    missing = []
    for filename, message in interface_messages():
        if isinstance(message, tuple):
            translated = latvian.ngettext(message[0], message[1], 2)
            untranslated = translated == message[1]
        else:
            untranslated = latvian.gettext(message) == message
        if untranslated:
            missing.append(f"{filename}: {message!r}")
    assert missing == []


@pytest.mark.parametrize(("days", "expected"), [(1, "1 darba diena"), (2, "2 darba dienas"),
                                                (21, "21 darba diena"), (11, "11 darba dienas"),
                                                (0, "0 darba dienu")])
def test_latvian_plurals(days, expected):
    text = translations_for("lv").ngettext("%(num)d working day", "%(num)d working days", days)
    assert text % {"num": days} == expected


@pytest.fixture
def in_language():
    app = Flask(__name__)

    def use(language: str):
        context = app.test_request_context()
        context.push()
        g.language = language
        return context

    contexts = []
    yield lambda language: contexts.append(use(language))
    for context in reversed(contexts):
        context.pop()


def test_latvian_formats(in_language):
    in_language("lv")
    assert format_money(Decimal("1234.5")) == "1\xa0234,50\xa0€"
    assert format_number(Decimal("1234567.891"), 2) == "1\xa0234\xa0567,89"
    assert format_day(date(2026, 2, 1)) == "2026. gada 1. februāris"


@pytest.mark.parametrize("amount, shown", [("0.125", "€0.13"), ("0.135", "€0.14"), ("-0.005", "-€0.01")])
def test_amounts_are_shown_rounded_by_the_one_money_rule(in_language, amount, shown):
    in_language("en")      # Babel alone rounds half-even: 0.125 would show as 0.12
    assert format_money(Decimal(amount)) == shown


def test_english_formats(in_language):
    in_language("en")
    assert format_money(Decimal("1234.5")) == "€1,234.50"
    assert format_number(Decimal("1234567.891"), 2) == "1,234,567.89"
    assert format_day(date(2026, 2, 1)) == "1 February 2026"


def test_definition_texts_fall_back_to_latvian(in_language):
    in_language("en")
    assert text_for({"lv": "Suns", "en": "Dog"}) == "Dog"
    assert text_for({"lv": "Suns"}) == "Suns"
    assert text_for("Suns") == "Suns"
    assert text_for(None) == ""


def test_latvian_alphabetical_order():
    names = ["Žīguri", "Cēsis", "Ādaži", "Čiekurkalns", "Alūksne", "Carnikava", "Zilupe"]
    assert sorted(names, key=latvian_sort_key) == [
        "Ādaži", "Alūksne", "Carnikava", "Cēsis", "Čiekurkalns", "Zilupe", "Žīguri",
    ]


@pytest.mark.parametrize("language", ["lv", "en"])
def test_kept_amounts_and_days_are_what_babel_formats(in_language, language):
    """Amounts and days are formatted once and kept: the kept text is Babel's, for every
    language, sign and style, and asking twice gives the same."""
    in_language(language)
    locale = Locale.parse(FORMAT_LOCALES[language])
    for amount in ("0", "-0.00", "0.00", "-0.004", "0.125", "10", "1234.5", "-99.99", "999999999.99"):
        expected = format_currency(to_cents(Decimal(amount)), "EUR", locale=locale)
        assert format_money(Decimal(amount)) == format_money(amount) == expected, amount
    early_in_riga = datetime(2026, 6, 24, 1, 30, tzinfo=timezone(timedelta(hours=3)))
    same_instant_in_utc = early_in_riga.astimezone(timezone.utc)        # equal, but on another day
    for day in (date(2026, 2, 1), date(2027, 12, 31), datetime(2026, 6, 23, 18, 30), early_in_riga,
                same_instant_in_utc):
        for style in ("long", "short", "medium"):
            assert format_day(day, style) == format_date(day, format=style, locale=locale), (day, style)


VARIABLE = re.compile(r"%\((\w+)\)([a-z])")


def jinja_newstyle(languages: Languages, autoescape: bool) -> Environment:
    """What the templates' `_()` gave before it was kept: Jinja's own new-style gettext."""
    environment = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: languages.translations(g.language).gettext(message),
        lambda singular, plural, n: languages.translations(g.language).ngettext(singular, plural, n), newstyle=True)
    return environment


@pytest.mark.parametrize("autoescape", [True, False])
def test_the_templates_kept_texts_are_what_jinja_gives(in_language, autoescape):
    """Every interface text, in every language, with and without autoescaping (the e-mail
    templates), with its variables (values that need escaping) and without: the kept
    `_()` gives what Jinja's gettext gave, the second time as the first."""
    languages = Languages()
    reference = jinja_newstyle(languages, autoescape)
    kept = Environment(extensions=["jinja2.ext.i18n"], autoescape=autoescape)
    kept.globals.update(_=template_gettext(languages), gettext=template_gettext(languages))
    messages = {message for _file, message in interface_messages() if isinstance(message, str)}
    messages |= {"50%% off <b>now</b>", "A & B"}
    source = "{{ _(message, **variables) }}|{{ gettext(message) if not variables else '' }}"
    compared = 0
    for language in ("lv", "en"):
        in_language(language)
        for message in sorted(messages):
            variables = {name: 3 if kind == "d" else '<i>"x" & y</i>' for name, kind in VARIABLE.findall(message)}
            expected = reference.from_string(source).render(message=message, variables=variables)
            for _twice in range(2):
                assert kept.from_string(source).render(message=message, variables=variables) == expected, message
            compared += 1
    assert compared > 300, compared


@pytest.mark.parametrize("query", [
    "", "lang=en", "lang=lv&lang=en", "page=2", "q=a+b&lang=en&q=%C4%81%26%3D", "x=&y", "a=1&lang=ru&b=%2F",
    "return=check", "lang=en&return=check&return=x%26"])
@pytest.mark.parametrize("root", ["", "/mounted"])
def test_language_links_and_form_actions_read_the_request_once(query, root):
    """The header's links, made together with the request read once, are each
    `language_switch_url`'s: other arguments kept in order, `lang` replaced; a form's
    action keeps only `return`, its arguments not parsed when there are none."""
    app = Flask(__name__)
    with app.test_request_context(f"/riga/dog-fee/check?{query}", base_url=f"http://localhost{root}/"):
        languages = ("lv", "en", "ru")
        assert language_switch_url("lv").startswith(f"{root}/riga/dog-fee/check?")
        assert language_switch_urls(languages) == {language: language_switch_url(language) for language in languages}
        from flask import request
        from urllib.parse import urlencode

        from runtime.web.resident import form_action
        kept = [(key, value) for key, value in request.args.items(multi=True) if key == "return"]
        assert form_action() == request.script_root + request.path + (f"?{urlencode(kept)}" if kept else "")


def _every_text(fields):
    for field in fields:
        yield field.label
        yield field.hint
        for option in field.choices.options if field.choices else ():
            yield option.label
        yield from _every_text(field.children or ())


def test_texts_for_is_text_for_of_each():
    """`texts_for` (the question pages' option labels, the language read once) gives
    `text_for` of each: every shipped service's labels, hints and option labels, a plain
    mapping without the language or Latvian, a str and None, in each language."""
    from runtime.i18n import text_for, texts_for

    from .resident_support import real_catalogue

    catalogue = real_catalogue()
    texts = [text for service in catalogue.services.values() for text in _every_text(service.fields)]
    texts += [{"de": "Hund"}, {"en": "Dog", "lv": "Suns"}, "plain", None, 7]
    assert len(texts) > 400
    app = Flask(__name__)
    for language in ("lv", "en", "ru"):
        with app.test_request_context("/"):
            g.language = language
            assert texts_for(texts) == [text_for(text) for text in texts]
            assert any(texts_for(texts)) and texts_for([]) == []
