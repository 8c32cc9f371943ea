"""The engine's own validation messages, in Latvian and English, written the way the
GOV.UK error-message pattern asks: say what is wrong and how to put it right, and name
the thing in words ("Jānorāda suņa vārds", "Enter dog's name"), never "Label: problem".

Latvian inflects a noun by its place in a sentence and a definition gives its labels in
the nominative, so a message either keeps the label in the nominative (the debitive:
"Jāpievieno pilnvara") or quotes it ("Laukā „Svars” ievadiet skaitli"). A label that
reads as a question or a sentence ("Kas iesniedz pieteikumu?", "Esmu pensionārs",
"Suņa īpašnieks ir") is always quoted. A field may declare its own words for any check
(`messages:` in the definition, docs/language.md), which win over these.

Templates are looked up as `<check>:<type>` first, then `<check>`; `{name}` is the label
as it reads inside a sentence (first letter lower-cased unless it is an abbreviation),
`{label}` the label as written.

A further interface language words them in its gettext catalogue, not here: each entry's
`msgctxt` is `engine:<key>` and its `msgid` the English template, e.g. `msgctxt
"engine:required"`, `msgid "Enter {name}"`. The builder stays pure: the runtime registers
a lookup per language (`add_language`), and a template the catalogue lacks is shown in
Latvian, the whole message at once (docs in runtime/README.md)."""
from __future__ import annotations

from typing import Any, Callable

from ..fieldtypes import FIELD_TYPES
from ..fieldtypes.display import in_language
from ..model import Field, Text

_T = dict[str, str]
# (msgctxt, English msgid) -> the language's text, or None when its catalogue lacks it
Lookup = Callable[[str, str], "str | None"]

MESSAGES: dict[str, _T] = {
    "required": {"lv": "Jānorāda {name}", "en": "Enter {name}"},
    "required:file": {"lv": "Jāpievieno {name}", "en": "Upload {name}"},
    "required_choice": {"lv": "Jāizvēlas {name}", "en": "Select {name}"},
    "required_choice:yes_no": {"lv": "Atbildiet „Jā” vai „Nē”: „{label}”", "en": "Select yes or no for “{label}”"},
    "required_choice:multi_choice": {"lv": "Atzīmējiet vismaz vienu: „{label}”",
                                     "en": "Select at least one option for “{label}”"},
    "required_question": {"lv": "Atbildiet uz jautājumu „{label}”", "en": "Answer “{label}”"},
    "required_question:file": {"lv": "Pievienojiet datni: „{label}”", "en": "Upload a file for “{label}”"},
    "control_characters": {
        "lv": "Laukā „{label}” ir rakstzīmes, ko nevar izmantot (piemēram, vadības rakstzīmes): "
              "izdzēsiet tās vai ierakstiet tekstu no jauna",
        "en": "{label} contains characters that cannot be used, such as control characters: "
              "delete them or type the text again"},
    "too_large": {"lv": "Laukā „{label}” ievadiet mazāku skaitli", "en": "{label} is too large a number"},
    "too_short": {"lv": "Laukā „{label}” ievadiet vismaz {min} {characters}",
                  "en": "{label} must be {min} characters or more"},
    "too_long": {"lv": "Laukā „{label}” var ievadīt ne vairāk kā {max} {characters}",
                 "en": "{label} must be {max} characters or fewer"},
    "pattern": {"lv": "Pārbaudiet lauku „{label}”: ievadītais nav pareizajā formā",
                "en": "{label} is not in the right format"},
    "below_min": {"lv": "Laukā „{label}” ievadiet {min} vai vairāk", "en": "{label} must be {min} or more"},
    "above_max": {"lv": "Laukā „{label}” ievadiet {max} vai mazāk", "en": "{label} must be {max} or less"},
    "date_before": {"lv": "Laukā „{label}” ievadiet datumu, kas nav agrāks par {min}",
                    "en": "{label} must be on or after {min}"},
    "date_after": {"lv": "Laukā „{label}” ievadiet datumu, kas nav vēlāks par {max}",
                   "en": "{label} must be on or before {max}"},
    "moment_before": {"lv": "Laukā „{label}” ievadiet laiku, kas nav agrāks par {min}",
                      "en": "{label} must be {min} or later"},
    "moment_after": {"lv": "Laukā „{label}” ievadiet laiku, kas nav vēlāks par {max}",
                     "en": "{label} must be {max} or earlier"},
    "whole_number": {"lv": "Laukā „{label}” ievadiet veselu skaitli, bez daļas aiz komata",
                     "en": "{label} must be a whole number"},
    "too_many_decimals": {"lv": "Laukā „{label}” ievadiet ne vairāk kā {max} {digits} aiz komata",
                          "en": "{label} must have no more than {max} {places}"},
    "not_an_option": {"lv": "Laukā „{label}” izvēlieties kādu no piedāvātajām iespējām",
                      "en": "Select one of the options offered for “{label}”"},
    "too_few_items": {"lv": "Sadaļā „{label}” pievienojiet vismaz {min}", "en": "Add at least {min} to “{label}”"},
    "too_few_items:multi_choice": {"lv": "Laukā „{label}” atzīmējiet vismaz {min}",
                                   "en": "Select at least {min} options for “{label}”"},
    "too_many_items": {"lv": "Sadaļā „{label}” var pievienot ne vairāk kā {max}",
                       "en": "“{label}” can have at most {max}"},
    "too_many_items:multi_choice": {"lv": "Laukā „{label}” atzīmējiet ne vairāk kā {max}",
                                    "en": "Select no more than {max} options for “{label}”"},
    "too_many_items:file": {"lv": "Laukā „{label}” var pievienot ne vairāk kā {max} datnes",
                            "en": "Upload no more than {max} files for “{label}”"},
    "file_type": {"lv": "Datni laukā „{label}” nevar pievienot: der tikai {types}",
                  "en": "The file for “{label}” must be {types}"},
    "file_too_large": {"lv": "Datne ir par lielu: laukā „{label}” var pievienot datni līdz {max} MB",
                       "en": "The file for “{label}” is too big: it must be smaller than {max} MB"},
}

# Each type's own message when its answer cannot be read or fails its check
MESSAGES.update({f"invalid_{name}": dict(kind.invalid) for name, kind in FIELD_TYPES.items()})

# The checks a definition may word itself (`messages:` of a field); `required` covers a
# missing choice too, `invalid` the type's own check, `decimals` both decimal messages.
CHECKS = ("required", "invalid", "too_short", "too_long", "pattern", "below_min", "above_max", "decimals",
          "not_an_option", "too_few_items", "too_many_items", "file_type", "file_too_large")
_CHECK_OF = {"required_choice": "required", "whole_number": "decimals", "too_many_decimals": "decimals",
             "date_before": "below_min", "moment_before": "below_min", "date_after": "above_max",
             "moment_after": "above_max", "pattern": "pattern"}

# A short name for a media type, as people know it from file names
MEDIA_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG", "image/heic": "HEIC",
               "application/xml": "XML", "text/xml": "XML", "application/vnd.etsi.asic-e+zip": "EDOC",
               "application/msword": "DOC",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
               "application/vnd.oasis.opendocument.text": "ODT"}
_OR = {"lv": "vai", "en": "or"}
_SENTENCE_ENDS = ("?", ":", " ir", " is", " are")
_STATEMENT_STARTS = ("esmu ", "es ", "apliecinu", "mana ", "mans ", "i ", "my ")


# The further languages' lookups, registered by the runtime as it reads their catalogues
_MORE_LANGUAGES: dict[str, Lookup] = {}


def add_language(language: str, lookup: Lookup) -> None:
    """Word the engine's messages in `language` through `lookup` (a catalogue's)."""
    if language not in ("lv", "en"):
        _MORE_LANGUAGES[language] = lookup


def check_of(key: str) -> str:
    """The check a message key belongs to, as a definition names it in `messages:`."""
    return "invalid" if key.startswith("invalid_") else _CHECK_OF.get(key, key)


def media_names(accept: tuple[str, ...], language: str) -> str:
    """"PDF, JPG vai PNG" from the accepted media types."""
    names = list(dict.fromkeys(MEDIA_NAMES.get(t) or t.split("/")[-1].split("+")[0].split(".")[-1].upper()
                               for t in accept))
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_or_word(language)} {names[-1]}"


def _or_word(language: str) -> str:
    lookup = _MORE_LANGUAGES.get(language)
    found = lookup("engine:or", _OR["en"]) if lookup and language not in _OR else None
    return found or _OR.get(language, _OR["lv"])


def reads_as_sentence(label: str) -> bool:
    """A question or statement ("Vai ...?", "Esmu pensionārs", "Tirgotājs ir"), not a noun."""
    text = label.strip().lower()
    return text.endswith(_SENTENCE_ENDS) or text.startswith(_STATEMENT_STARTS) or len(text.split()) > 7


def in_sentence(label: str) -> str:
    """The label inside a sentence: "Suņa vārds" -> "suņa vārds"; "IBAN", "LDC ..." stay."""
    if len(label) > 1 and label[0].isupper() and not (label[1].isupper() or label[1].isdigit()):
        return label[0].lower() + label[1:]
    return label


def _template(key: str, field: Field, language: str, label: str) -> str | None:
    """The template in `language`; None for a further language whose catalogue lacks it."""
    if key in ("required", "required_choice") and reads_as_sentence(label) and field.type != "yes_no":
        key = "required_question"
    chosen = next((k for k in (f"{key}:{field.type}", key) if k in MESSAGES), "pattern")
    templates = MESSAGES[chosen]
    if language in templates:
        return templates[language]
    lookup = _MORE_LANGUAGES.get(language)
    return lookup(f"engine:{chosen}", templates["en"]) if lookup else templates["lv"]


def _counted(language: str, number: Any) -> dict[str, str]:
    """The words after a number: Latvian "1 rakstzīmi", "21 ciparu" but "5 rakstzīmes"."""
    try:
        count = int(number)
    except (TypeError, ValueError):
        count = 2
    one = count % 10 == 1 and count % 100 != 11
    if language == "lv":
        return {"characters": "rakstzīmi" if one else "rakstzīmes", "digits": "ciparu" if one else "ciparus"}
    english = {"characters": "characters", "digits": "digits",
               "places": "decimal place" if count == 1 else "decimal places"}
    lookup = _MORE_LANGUAGES.get(language)
    if lookup is None:
        return english
    # one word whatever the number: a translator writes the template around it
    return {word: lookup(f"engine:{word}", text) or text for word, text in english.items()}


class LazyText(Text):
    """A Text worked out when first read: the engine reports every problem of the whole
    application on every post, and only those of the page shown are ever read."""

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[], dict[str, str]]):
        self._make = make

    def __getattr__(self, name: str) -> Any:
        if name != "_items":
            raise AttributeError(name)
        self._items = self._make()
        return self._items


def message(key: str, field: Field, **values: Any) -> Text:
    """The message `key` about `field` in every language we speak."""
    return LazyText(lambda: _render(key, field, values))


def _render(key: str, field: Field, values: dict[str, Any]) -> dict[str, str]:
    if key == "too_many_decimals" and str(values.get("max")) == "0":
        key = "whole_number"
    texts = {}
    for language in ("lv", "en", *_MORE_LANGUAGES):
        label = field.label.get_for(language)
        template = _template(key, field, language, label)
        if template is None:        # not in the catalogue: Text.get_for shows the Latvian
            continue
        shown = {name: str(value) if isinstance(value, int) else in_language(value, language)
                 for name, value in values.items() if "{" + name + "}" in template}
        extra = _counted(language, values.get("min", values.get("max"))) if "{" in template else {}
        if "{types}" in template:
            extra["types"] = media_names(field.accept, language)
        texts[language] = template.format(label=label, name=in_sentence(label), **extra, **shown)
    return texts
