"""The engine's own validation messages, in Latvian and English, written the way the
GOV.UK error-message pattern asks: say what is wrong and how to put it right."""
from __future__ import annotations

from typing import Any

from ..fieldtypes import FIELD_TYPES
from ..fieldtypes.display import plain
from ..model import Field, Text

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"lv": "Aizpildiet: {label}", "en": "Enter {label}"},
    "required_choice": {"lv": "Izvēlieties: {label}", "en": "Select {label}"},
    "control_characters": {
        "lv": "{label}: satur rakstzīmes, ko nevar izmantot (piemēram, vadības rakstzīmes); "
              "izdzēsiet tās vai ierakstiet tekstu no jauna",
        "en": "{label} contains characters that cannot be used, such as control characters: "
              "delete them or type the text again"},
    "too_large": {"lv": "{label}: pārāk liels skaitlis", "en": "{label} is too large a number"},
    "too_short": {"lv": "{label}: vismaz {min} rakstzīmes", "en": "{label} must be {min} characters or more"},
    "too_long": {"lv": "{label}: ne vairāk kā {max} rakstzīmes", "en": "{label} must be {max} characters or fewer"},
    "pattern": {"lv": "{label}: nepareizs formāts", "en": "{label} is not in the right format"},
    "below_min": {"lv": "{label}: jābūt vismaz {min}", "en": "{label} must be {min} or more"},
    "above_max": {"lv": "{label}: jābūt ne vairāk kā {max}", "en": "{label} must be {max} or less"},
    "date_before": {"lv": "{label}: datumam jābūt {min} vai vēlāk", "en": "{label} must be on or after {min}"},
    "date_after": {"lv": "{label}: datumam jābūt {max} vai agrāk", "en": "{label} must be on or before {max}"},
    "moment_before": {"lv": "{label}: jābūt {min} vai vēlāk", "en": "{label} must be {min} or later"},
    "moment_after": {"lv": "{label}: jābūt {max} vai agrāk", "en": "{label} must be {max} or earlier"},
    "too_many_decimals": {"lv": "{label}: ne vairāk kā {max} cipari aiz komata",
                          "en": "{label} must have no more than {max} decimal places"},
    "not_an_option": {"lv": "{label}: izvēlieties kādu no piedāvātajām iespējām",
                      "en": "Select one of the options for {label}"},
    "too_few_items": {"lv": "{label}: jānorāda vismaz {min}", "en": "Add at least {min} to {label}"},
    "too_many_items": {"lv": "{label}: ne vairāk kā {max}", "en": "{label} can have at most {max}"},
    "file_type": {"lv": "{label}: šāda veida datni nevar pievienot", "en": "{label} must be of an accepted file type"},
    "file_too_large": {"lv": "{label}: datne ir lielāka par {max} MB", "en": "{label} must be smaller than {max} MB"},
}


# Each type's own message when its answer cannot be read or fails its check
MESSAGES.update({f"invalid_{name}": dict(kind.invalid) for name, kind in FIELD_TYPES.items()})


def message(key: str, field: Field, **values: Any) -> Text:
    """The message `key` about `field` in every language we speak."""
    templates = MESSAGES.get(key, MESSAGES["pattern"])
    shown = {name: plain(value) for name, value in values.items()}
    return Text({lang: template.format(label=field.label.get_for(lang), **shown)
                 for lang, template in templates.items()})
