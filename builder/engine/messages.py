"""The engine's own validation messages, in Latvian and English, written the way the
GOV.UK error-message pattern asks: say what is wrong and how to put it right."""
from __future__ import annotations

from typing import Any

from ..model import Field, Text

MESSAGES: dict[str, dict[str, str]] = {
    "required": {"lv": "Aizpildiet: {label}", "en": "Enter {label}"},
    "required_choice": {"lv": "Izvēlieties: {label}", "en": "Select {label}"},
    "invalid_number": {"lv": "{label}: ievadiet skaitli, piemēram, 12 vai 12,5",
                       "en": "{label} must be a number, like 12 or 12.5"},
    "invalid_money": {"lv": "{label}: ievadiet summu eiro, piemēram, 10,00",
                      "en": "{label} must be an amount in euro, like 10.00"},
    "invalid_date": {"lv": "{label}: ievadiet īstu datumu", "en": "{label} must be a real date"},
    "invalid_yes_no": {"lv": "{label}: izvēlieties „Jā” vai „Nē”", "en": "Select yes or no for {label}"},
    "invalid_group": {"lv": "{label}: nederīgi dati", "en": "{label} has data of the wrong shape"},
    "invalid_repeat": {"lv": "{label}: nederīgi dati", "en": "{label} has data of the wrong shape"},
    "invalid_file": {"lv": "{label}: nederīga datne", "en": "{label} is not a valid file"},
    "control_characters": {
        "lv": "{label}: satur rakstzīmes, ko nevar izmantot (piemēram, vadības rakstzīmes); "
              "izdzēsiet tās vai ierakstiet tekstu no jauna",
        "en": "{label} contains characters that cannot be used, such as control characters: "
              "delete them or type the text again"},
    "invalid_text": {"lv": "{label}: ievadiet tekstu", "en": "{label} must be text"},
    "invalid_long_text": {"lv": "{label}: ievadiet tekstu", "en": "{label} must be text"},
    "invalid_address": {"lv": "{label}: ievadiet adresi tekstā", "en": "{label} must be an address written as text"},
    "invalid_choice": {"lv": "{label}: izvēlieties kādu no piedāvātajām iespējām",
                       "en": "Select one of the options for {label}"},
    "invalid_multi_choice": {"lv": "{label}: izvēlieties no piedāvātajām iespējām",
                             "en": "Select from the options for {label}"},
    "too_large": {"lv": "{label}: pārāk liels skaitlis", "en": "{label} is too large a number"},
    "too_short": {"lv": "{label}: vismaz {min} rakstzīmes", "en": "{label} must be {min} characters or more"},
    "too_long": {"lv": "{label}: ne vairāk kā {max} rakstzīmes", "en": "{label} must be {max} characters or fewer"},
    "pattern": {"lv": "{label}: nepareizs formāts", "en": "{label} is not in the right format"},
    "below_min": {"lv": "{label}: jābūt vismaz {min}", "en": "{label} must be {min} or more"},
    "above_max": {"lv": "{label}: jābūt ne vairāk kā {max}", "en": "{label} must be {max} or less"},
    "date_before": {"lv": "{label}: datumam jābūt {min} vai vēlāk", "en": "{label} must be on or after {min}"},
    "date_after": {"lv": "{label}: datumam jābūt {max} vai agrāk", "en": "{label} must be on or before {max}"},
    "too_many_decimals": {"lv": "{label}: ne vairāk kā {max} cipari aiz komata",
                          "en": "{label} must have no more than {max} decimal places"},
    "not_an_option": {"lv": "{label}: izvēlieties kādu no piedāvātajām iespējām",
                      "en": "Select one of the options for {label}"},
    "too_few_items": {"lv": "{label}: jānorāda vismaz {min}", "en": "Add at least {min} to {label}"},
    "too_many_items": {"lv": "{label}: ne vairāk kā {max}", "en": "{label} can have at most {max}"},
    "invalid_personal_code": {"lv": "{label}: ievadiet derīgu personas kodu, piemēram, 010190-15267",
                              "en": "{label} must be a valid personal code, like 010190-15267"},
    "invalid_registration_number": {"lv": "{label}: ievadiet derīgu 11 ciparu reģistrācijas numuru",
                                    "en": "{label} must be a valid 11-digit registration number"},
    "invalid_iban": {"lv": "{label}: ievadiet derīgu IBAN kontu, piemēram, LV89RIKO0023300000000",
                     "en": "{label} must be a valid IBAN, like LV89RIKO0023300000000"},
    "invalid_email": {"lv": "{label}: ievadiet e-pasta adresi, piemēram, vards@example.lv",
                      "en": "{label} must be an email address, like name@example.com"},
    "invalid_phone": {"lv": "{label}: ievadiet tālruņa numuru, piemēram, +371 20000000",
                      "en": "{label} must be a phone number, like +371 20000000"},
    "file_type": {"lv": "{label}: šāda veida datni nevar pievienot", "en": "{label} must be of an accepted file type"},
    "file_too_large": {"lv": "{label}: datne ir lielāka par {max} MB", "en": "{label} must be smaller than {max} MB"},
}


def message(key: str, field: Field, **values: Any) -> Text:
    """The message `key` about `field` in every language we speak."""
    templates = MESSAGES.get(key, MESSAGES["pattern"])
    return Text({lang: template.format(label=field.label.get_for(lang), **values)
                 for lang, template in templates.items()})
