"""Interface language: Latvian by default, English on request, with Babel.

Interface strings are written in English in the code and templates (gettext msgids) and
translated in `runtime/translations/<lang>/LC_MESSAGES/messages.po`. The .po file is
the only artefact: it is compiled in memory with Babel once per process, so there is no
.mo build step to forget. `tests/runtime/test_i18n.py` extracts every msgid from the code
and templates and fails when one lacks its Latvian translation.

The language is chosen by `?lang=xx` (then kept in the session), else the session, else
Latvian. Every page links to the other language with its own URL, so no JavaScript is
needed to switch.
"""
from __future__ import annotations

import functools
import io
from urllib.parse import urlencode
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from builder.money import to_cents
from flask import Flask, g, request, session

DEFAULT_LANGUAGE = "lv"
LANGUAGES = ("lv", "en")
LANGUAGE_NAMES = {"lv": "Latviešu", "en": "English"}
# Babel locales for formatting: Irish English writes euro amounts and dates the way an
# English-speaking resident of the euro area expects.
FORMAT_LOCALES = {"lv": "lv_LV", "en": "en_IE"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
SESSION_KEY = "lang"


try:      # the context variable behind flask.g (Flask 2.3 and later)
    from flask.globals import _cv_app as _app_context
except ImportError:     # pragma: no cover
    _app_context = None


@functools.cache
def translations_for(language: str) -> NullTranslations:
    po_path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return NullTranslations()  # English: the msgids are the English strings
    with po_path.open("rb") as file:
        catalog = read_po(file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


def current_language() -> str:
    """The request's language. Asked some fifty times a page (every label, hint and option
    text), so it reads the app context's `g` from Flask's context variable rather than
    through the `g` proxy (a tenth of the time); outside an app context it raises as `g`
    does."""
    context = _app_context.get(None) if _app_context is not None else None
    if context is None:
        return getattr(g, "language", DEFAULT_LANGUAGE)
    return getattr(context.g, "language", DEFAULT_LANGUAGE)


def gettext(message: str, **variables: Any) -> str:
    text = translations_for(current_language()).gettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, number: int, **variables: Any) -> str:
    variables.setdefault("num", number)
    return translations_for(current_language()).ngettext(singular, plural, number) % variables


def choose_language() -> None:
    """before_request: settle the language of this request. The API keeps no session
    (it never sets a cookie): there the client's Accept-Language chooses."""
    if request.path.startswith("/api/"):
        g.language = request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
        return
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session[SESSION_KEY] = asked
    stored = session.get(SESSION_KEY)
    g.language = stored if stored in LANGUAGES else DEFAULT_LANGUAGE


def language_switch_url(language: str) -> str:
    """This page's URL with `lang` set, other query arguments kept."""
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.path}?{urlencode([*arguments, ('lang', language)])}"


def text_for(text: Any) -> str:
    """A definition's text (`builder.model.Text`, a plain mapping or a string) in the
    current language, falling back to Latvian and then to any language."""
    if text is None:
        return ""
    if hasattr(text, "get_for"):
        return text.get_for(current_language())
    if isinstance(text, Mapping):
        found = text.get(current_language()) or text.get(DEFAULT_LANGUAGE)
        return found if found is not None else next(iter(text.values()), "")
    return str(text)


def format_locale() -> Locale:
    return Locale.parse(FORMAT_LOCALES[current_language()])


def format_number(value: int | Decimal, decimals: int | None = None) -> str:
    pattern = None if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale=format_locale())


def format_money(value: Decimal | str, currency: str = "EUR") -> str:
    """Rounded to the cent by the one money rule first (`builder.money`), not by Babel's
    half-even, so a computed amount shows the cent a fee line would charge."""
    return _money_text(str(to_cents(value)), currency, current_language())


def format_day(value: date | datetime, style: str = "long") -> str:
    # Babel shows a datetime's own date part; as a key, two aware datetimes of the same
    # instant in other zones are equal although their dates may differ
    return _day_text(value.date() if isinstance(value, datetime) else value, style, current_language())


# Babel formats an amount in about 0.1 ms, and a page shows the same few amounts and days
# again and again (a check-answers page formats each fee twice): the text is a function of
# the value, the format and the language alone, so each is worked out once. The amount is
# keyed by its text, which tells -0.00 from 0.00.
FORMATTED_KEPT = 4096


@functools.lru_cache(maxsize=FORMATTED_KEPT)
def _money_text(cents: str, currency: str, language: str) -> str:
    return format_currency(Decimal(cents), currency, locale=Locale.parse(FORMAT_LOCALES[language]))


@functools.lru_cache(maxsize=FORMATTED_KEPT)
def _day_text(value: date, style: str, language: str) -> str:
    return format_date(value, format=style, locale=Locale.parse(FORMAT_LOCALES[language]))


def init_i18n(app: Flask) -> None:
    for language in LANGUAGES:      # parse and compile the .po files now, not on a first request
        translations_for(language)
    app.before_request(choose_language)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Jinja's new-style gettext does the %-formatting and escaping itself, so it gets the
    # bare lookups rather than `gettext`/`ngettext` above.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations_for(current_language()).gettext(message),
        lambda singular, plural, n: translations_for(current_language()).ngettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(
        text=text_for, number=format_number, money=format_money, day=format_day
    )
    app.jinja_env.globals.update(
        current_language=current_language,
        language_switch_url=language_switch_url,
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
    )
    from .layout import layout_header, layout_parts     # the base layout's render plans (layout.py)
    app.jinja_env.globals.update(layout_parts=layout_parts, layout_header=layout_header)



# Latvian collation (CLDR): č ģ ķ ļ ņ š ž are letters of their own after c g k l n s z,
# while the long vowels ā ē ī ū only break ties with a e i u.
LATVIAN_LETTERS = "abcčdefgģhijkķlļmnņoprsštuvzž"
LONG_VOWELS = {"ā": "a", "ē": "e", "ī": "i", "ō": "o", "ū": "u"}
_LATVIAN_RANK = {letter: rank for rank, letter in enumerate(LATVIAN_LETTERS)}


def latvian_sort_key(text: str) -> tuple[tuple[int, ...], str]:
    """Order names as a Latvian reader expects (Ādaži before Alūksne, Cēsis after
    Carnikava, Žīguri last), which plain code-point order does not."""
    folded = text.casefold()
    primary = tuple(_LATVIAN_RANK.get(LONG_VOWELS.get(c, c), 100 + ord(c)) for c in folded)
    return primary, folded
