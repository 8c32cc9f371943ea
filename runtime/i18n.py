"""Interface language: Latvian by default, English on request, with Babel.

Interface strings are written in English in the code and templates (gettext msgids) and
translated in `runtime/translations/<lang>/LC_MESSAGES/messages.po`. The .po file is
the only artefact: it is compiled in memory with Babel once per process, so there is no
.mo build step to forget. `tests/runtime/test_i18n.py` extracts every msgid from the code
and templates and fails when one lacks its Latvian translation.

The languages offered are a setting (`languages`, Latvian first; `runtime/README.md`):
a third one needs only its catalogue, in `translations_path/<lang>/LC_MESSAGES/messages.po`
(or beside the shipped ones), and no Python. Whatever its catalogue lacks is shown in
Latvian, as is every text a definition gives in Latvian only (`Text.get_for`).

The language is chosen by `?lang=xx` (then kept in the session), else the session, else
Latvian. Every page links to the other languages with its own URL, so no JavaScript is
needed to switch.
"""
from __future__ import annotations

import copy
import functools
import io
import re
from urllib.parse import urlencode
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.dates import format_date
from babel.support import NullTranslations, Translations
from builder.engine import messages as engine_messages
from builder.money import to_cents
from flask import Flask, g, request, session
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

DEFAULT_LANGUAGE = "lv"
LANGUAGES = ("lv", "en")        # the default setting
LANGUAGE_NAMES = {"lv": "Latviešu", "en": "English"}
# Babel locales for formatting: Irish English writes euro amounts and dates the way an
# English-speaking resident of the euro area expects. Any other language: its own locale.
FORMAT_LOCALES = {"lv": "lv_LV", "en": "en_IE"}
TRANSLATIONS = Path(__file__).resolve().parent / "translations"
CATALOGUE = Path("LC_MESSAGES") / "messages.po"
SESSION_KEY = "lang"
EXTENSION = "pkip_languages"
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")


try:      # the context variable behind flask.g (Flask 2.3 and later)
    from flask.globals import _cv_app as _app_context
except ImportError:     # pragma: no cover
    _app_context = None


def catalogue_path(language: str, folders: tuple[Path, ...] = ()) -> Path | None:
    """The first `<folder>/<language>/LC_MESSAGES/messages.po`, the shipped folder last."""
    for folder in (*folders, TRANSLATIONS):
        path = folder / language / CATALOGUE
        if path.is_file():
            return path
    return None


@functools.cache
def _compiled(po_path: Path, language: str) -> Translations:
    """A .po file compiled in memory; entries left untranslated are dropped, so that the
    fallback (Latvian) answers for them rather than an empty string."""
    with po_path.open("rb") as file:
        catalog = read_po(file, locale=language)
    for message in list(catalog):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and not all(strings):
            catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


class Languages:
    """The interface languages an installation offers (Latvian first) and the folders
    their catalogues are looked for in before the shipped one."""

    def __init__(self, codes: tuple[str, ...] = LANGUAGES, folders: tuple[Path, ...] = ()):
        self.codes = tuple(codes)
        self.folders = tuple(folders)
        self._translations: dict[str, NullTranslations] = {}

    def translations(self, language: str) -> NullTranslations:
        found = self._translations.get(language)
        if found is None:
            found = self._translations[language] = self._build(language)
        return found

    def _build(self, language: str) -> NullTranslations:
        path = catalogue_path(language, self.folders)
        if path is None:
            # English is the msgids themselves; any other language falls back to Latvian
            return NullTranslations() if language == "en" else self.translations(DEFAULT_LANGUAGE)
        translations = copy.copy(_compiled(path, language))     # its own fallback chain
        if language not in (DEFAULT_LANGUAGE, "en"):
            translations.add_fallback(self.translations(DEFAULT_LANGUAGE))
        return translations

    def name(self, language: str) -> str:
        """The language's name in itself ("Latviešu", "Українська")."""
        if language in LANGUAGE_NAMES:
            return LANGUAGE_NAMES[language]
        own = Locale.parse(language).get_display_name(language) or language
        return own[:1].upper() + own[1:]


def problem_with_languages(codes: tuple[str, ...], folders: tuple[Path, ...]) -> str | None:
    """Why these languages cannot be offered (for the `languages` setting's message), or None."""
    if not codes or codes[0] != DEFAULT_LANGUAGE:
        return f"must start with {DEFAULT_LANGUAGE} (Latvian is the first language)"
    if len(set(codes)) != len(codes):
        return "names a language twice"
    for code in codes:
        if not LANGUAGE_CODE.fullmatch(code):
            return f"has {code!r}, not a language code such as uk or ru"
        try:
            Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            return f"has {code!r}, a language Babel does not know"
        if code != "en" and catalogue_path(code, folders) is None:
            where = ", ".join(str(folder) for folder in (*folders, TRANSLATIONS))
            return f"has {code!r} but no {code}/{CATALOGUE} in {where}"
    return None


def language_settings(values: Mapping[str, Any]) -> dict[str, Any]:
    """PKIP_LANGUAGES and PKIP_TRANSLATIONS_PATH for `Settings`, checked together: the
    folder exists, and each language has its catalogue (there or among ours)."""
    from .config_values import ConfigError

    raw = values["translations_path"]
    path = Path(raw).expanduser().resolve() if raw else None
    if path is not None and not path.is_dir():
        raise ConfigError(f"PKIP_TRANSLATIONS_PATH: no such folder {raw!r}")
    problem = problem_with_languages(values["languages"], (path,) if path else ())
    if problem:
        raise ConfigError(f"PKIP_LANGUAGES {problem}, got {','.join(values['languages'])!r}")
    return {"languages": values["languages"], "translations_path": path}


_process_languages = Languages()    # outside an app context (a worker's jobs): the last app's


def configure_languages(app: Flask, languages: Languages) -> None:
    global _process_languages
    app.extensions[EXTENSION] = _process_languages = languages


def active_languages() -> Languages:
    context = _app_context.get(None) if _app_context is not None else None
    if context is not None:
        found = context.app.extensions.get(EXTENSION)
        if found is not None:
            return found
    return _process_languages


def interface_languages() -> tuple[str, ...]:
    return active_languages().codes


def language_name(language: str) -> str:
    return active_languages().name(language)


def translations_for(language: str) -> NullTranslations:
    return active_languages().translations(language)


def format_locale_name(language: str) -> str:
    return FORMAT_LOCALES.get(language, language)


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
        g.language = request.accept_languages.best_match(interface_languages()) or DEFAULT_LANGUAGE
        return
    offered = interface_languages()
    # most requests have no query string: nothing to parse into `request.args` then
    asked = request.args.get("lang") if request.query_string else None
    if asked in offered:
        session[SESSION_KEY] = asked
    stored = session.get(SESSION_KEY)
    g.language = stored if stored in offered else DEFAULT_LANGUAGE


SWITCH_FIELD = "switch_language"     # the language switch's buttons on a page of answers


def language_switched() -> bool:
    """Whether this post came from a language switch button of the page's form (the
    layout's `_language_switch.html`); if so, the asked language is this request's now."""
    asked = request.form.get(SWITCH_FIELD)
    if asked not in interface_languages():
        return False
    session[SESSION_KEY] = g.language = asked
    return True


def language_switch_url(language: str) -> str:
    """This page's URL with `lang` set, other query arguments kept."""
    arguments = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    return f"{request.script_root}{request.path}?{urlencode([*arguments, ('lang', language)])}"


@functools.lru_cache(maxsize=32)
def _lang_argument(language: str) -> str:
    return urlencode([("lang", language)])


def language_switch_urls(languages: tuple[str, ...]) -> dict[str, str]:
    """`language_switch_url` of each of `languages`, the request read once: every signed-in
    page's header draws them (some fifty calls each through the `request` proxy and
    `urlencode`). `urlencode` joins its pairs with "&", so the other arguments are encoded
    once and `lang=...` (kept per language) appended."""
    current = request._get_current_object()
    arguments = [(key, value) for key, value in current.args.items(multi=True) if key != "lang"] \
        if current.query_string else []
    base = f"{current.script_root}{current.path}?{urlencode(arguments) + '&' if arguments else ''}"
    return {language: base + _lang_argument(language) for language in languages}


def texts_for(texts: Iterable[Any]) -> list[str]:
    """`text_for` of each of `texts` (a page's option labels), the language read once."""
    language = current_language()
    return [text.get_for(language) if hasattr(text, "get_for") else text_for(text) for text in texts]


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
    return Locale.parse(format_locale_name(current_language()))


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
    return format_currency(Decimal(cents), currency, locale=Locale.parse(format_locale_name(language)))


@functools.lru_cache(maxsize=FORMATTED_KEPT)
def _day_text(value: date, style: str, language: str) -> str:
    return format_date(value, format=style, locale=Locale.parse(format_locale_name(language)))


TEMPLATE_TEXTS_KEPT = 4096


def template_gettext(languages: Languages) -> Callable[..., str]:
    """The templates' `_()` and `gettext()`: what Jinja's new-style gettext gives (the
    translation, marked safe where the template autoescapes, then %-formatted with the
    variables, escaped), but a text without variables is worked out once per language
    and kept. A page asks for some fifty texts, each of which cost Jinja's alias, its
    wrapper and the catalogue look-up; now it is one call and a dictionary look-up."""
    kept: dict[tuple[str, str, bool], str] = {}

    @pass_eval_context
    def gettext(eval_context: EvalContext, message: str, **variables: Any) -> str:
        key = (current_language(), message, eval_context.autoescape)
        found = kept.get(key)
        if found is None or variables:
            text = languages.translations(key[0]).gettext(message)
            found = (Markup(text) if key[2] else text) % variables
            if not variables:
                if len(kept) >= TEMPLATE_TEXTS_KEPT:
                    kept.clear()
                kept[key] = found
        return found
    return gettext


def _engine_lookup(translations: NullTranslations) -> engine_messages.Lookup:
    """The engine's templates from a catalogue (`msgctxt "engine:<key>"`, the English
    template as msgid); what it lacks comes back as the msgid itself, so None then."""
    def lookup(context: str, english: str) -> str | None:
        found = translations.pgettext(context, english)
        return found if found != english else None
    return lookup


def init_i18n(app: Flask, languages: Languages | None = None) -> None:
    languages = languages or Languages()
    configure_languages(app, languages)
    for language in languages.codes:      # parse and compile the .po files now, not on a first request
        engine_messages.add_language(language, _engine_lookup(languages.translations(language)))
    app.before_request(choose_language)
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # Jinja's new-style gettext does the %-formatting and escaping itself, so it gets the
    # bare lookups rather than `gettext`/`ngettext` above.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translations_for(current_language()).gettext(message),
        lambda singular, plural, n: translations_for(current_language()).ngettext(singular, plural, n),
        newstyle=True,
    )
    kept_gettext = template_gettext(languages)      # what `_()` gives, without Jinja's three hops
    app.jinja_env.globals.update(_=kept_gettext, gettext=kept_gettext)
    app.jinja_env.filters.update(
        text=text_for, number=format_number, money=format_money, day=format_day
    )
    app.jinja_env.globals.update(
        current_language=current_language,
        language_switch_url=language_switch_url,
        interface_languages=interface_languages,
        language_name=language_name,
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
