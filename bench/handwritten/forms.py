"""The dog-fee pages as WTForms forms, with the definition's validations written out by
hand: required unless hidden, lengths, the personal code and registration number check
digits (python-stdnum), choices, the chip pattern, dates not in the future, and the
cross-field rules (a contact, a public body's number starts with 9, unique chips)."""
from __future__ import annotations

import datetime
import re

from flask_wtf import FlaskForm
from stdnum.lv import pvn
from wtforms import Form, FormField, RadioField, SelectField, StringField

YES_NO = [("yes", "Jā"), ("no", "Nē")]
OWNER_KINDS = [("person", "Privātpersona"), ("service_body", "Valsts vai pašvaldības iestāde, kas tur dienesta suņus")]
DISABILITY_GROUPS = [("none", "Nav invaliditātes"), ("1", "I grupa"), ("2", "II grupa"),
                     ("3_visual", "III grupa — redzes invaliditāte"), ("3_hearing", "III grupa — dzirdes invaliditāte"),
                     ("3_other", "III grupa — cita")]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{6,18}[0-9]$")
CHIP = re.compile(r"^[0-9]{15}$")
REQUIRED = "Šis lauks ir obligāts"


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def require(field, message: str = REQUIRED) -> bool:
    if blank(field.data):
        field.errors.append(message)
        return False
    return True


def max_length(field, limit: int) -> None:
    if field.data and len(field.data.strip()) > limit:
        field.errors.append(f"Ne vairāk kā {limit} rakstzīmes")


class OwnerFields(Form):
    personal_code = StringField("Personas kods")
    given_name = StringField("Vārds")
    surname = StringField("Uzvārds")
    body_name = StringField("Iestādes nosaukums")
    registration_number = StringField("Reģistrācijas numurs")
    pensioner = RadioField("Esmu pensionārs", choices=YES_NO, validate_choice=False)
    disability_group = SelectField("Invaliditātes grupa", choices=DISABILITY_GROUPS, validate_choice=False,
                                   description="Pašvaldība invaliditāti pārbauda valsts reģistrā.")
    email = StringField("E-pasts")
    phone = StringField("Tālrunis")


class OwnerPage(FlaskForm):
    owner_kind = RadioField("Suņa īpašnieks ir", choices=OWNER_KINDS, validate_choice=False)
    owner = FormField(OwnerFields, separator="-")

    def check(self, person_code: str | None) -> list[tuple[str, str]]:
        """Validate as the definition says; the (message, target id) list for the summary."""
        owner = self.owner.form
        owner.personal_code.data = person_code         # read-only: always the signed-in person's
        kind = self.owner_kind.data
        if require(self.owner_kind, "Izvēlieties, kas ir suņa īpašnieks") and kind not in dict(OWNER_KINDS):
            self.owner_kind.errors.append("Izvēlieties vienu no piedāvātajām atbildēm")
        if kind == "person":
            if require(owner.personal_code) and not pvn.is_valid(owner.personal_code.data):
                owner.personal_code.errors.append("Personas kods nav derīgs")
            for field in (owner.given_name, owner.surname):
                if require(field):
                    max_length(field, 100)
            if require(owner.pensioner, "Atbildiet, vai esat pensionārs") and owner.pensioner.data not in ("yes", "no"):
                owner.pensioner.errors.append("Atbildiet „Jā” vai „Nē”")
            if require(owner.disability_group) and owner.disability_group.data not in dict(DISABILITY_GROUPS):
                owner.disability_group.errors.append("Izvēlieties vienu no piedāvātajām atbildēm")
        elif kind == "service_body":
            if require(owner.body_name):
                max_length(owner.body_name, 200)
            number = owner.registration_number
            if require(number):
                if not pvn.is_valid(number.data):
                    number.errors.append("Reģistrācijas numurs nav derīgs")
                elif not pvn.compact(number.data).startswith("9"):
                    number.errors.append("Valsts un pašvaldību iestāžu reģistrācijas numurs sākas ar 9")
        if not blank(owner.email.data) and not EMAIL.match(owner.email.data.strip()):
            owner.email.errors.append("Ievadiet e-pasta adresi, piemēram, vards@example.lv")
        if not blank(owner.phone.data) and not PHONE.match(owner.phone.data.strip()):
            owner.phone.errors.append("Ievadiet tālruņa numuru, piemēram, +371 20000000")
        if blank(owner.email.data) and blank(owner.phone.data):
            owner.email.errors.append("Norādiet e-pastu vai tālruni")
        return errors_of([self.owner_kind, *owner])

    def answers(self) -> dict:
        """The relevant answers only: what the owner kind hides is not stored."""
        owner = self.owner.form
        kind = self.owner_kind.data
        shown = {"person": ("personal_code", "given_name", "surname", "pensioner", "disability_group"),
                 "service_body": ("body_name", "registration_number")}[kind] + ("email", "phone")
        values = {}
        for name in shown:
            value = owner[name].data
            if name == "pensioner":
                value = value == "yes"
            if not blank(value):
                values[name] = value.strip() if isinstance(value, str) else value
        return {"owner_kind": kind, "owner": values}


class DateParts(Form):
    day = StringField()
    month = StringField()
    year = StringField()


def date_of(parts: FormField) -> datetime.date | None | str:
    data = parts.data or {}
    day, month, year = (str(data.get(k) or "").strip() for k in ("day", "month", "year"))
    if not (day or month or year):
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return "invalid"


class DogPage(FlaskForm):
    chip = StringField("Mikroshēmas numurs", name="dogs-chip")
    name = StringField("Suņa vārds", name="dogs-name")
    birth_date = FormField(DateParts, "Dzimšanas datums", separator="-", name="dogs-birth_date")
    sterilised = RadioField("Sterilizēts (kastrēts)", choices=YES_NO, validate_choice=False, name="dogs-sterilised")

    def check(self, today: datetime.date, other_chips: list[str]) -> list[tuple[str, str]]:
        if require(self.chip):
            if not CHIP.match(self.chip.data.strip()):
                self.chip.errors.append("Mikroshēmas numurs ir tieši 15 cipari")
            elif self.chip.data.strip() in other_chips:
                self.chip.errors.append("Šis mikroshēmas numurs jau ir norādīts")
        if require(self.name):
            max_length(self.name, 50)
        born = date_of(self.birth_date)
        if born is None:
            self.birth_date.errors.append("Ievadiet dzimšanas datumu")
        elif born == "invalid":
            self.birth_date.errors.append("Dzimšanas datumam jābūt īstam datumam")
        elif born > today:
            self.birth_date.errors.append("Dzimšanas datums nevar būt nākotnē")
        if require(self.sterilised) and self.sterilised.data not in ("yes", "no"):
            self.sterilised.errors.append("Atbildiet „Jā” vai „Nē”")
        return errors_of([self.chip, self.name, self.birth_date, self.sterilised])

    def answers(self) -> dict:
        return {"chip": self.chip.data.strip(), "name": self.name.data.strip(),
                "birth_date": date_of(self.birth_date).isoformat(), "sterilised": self.sterilised.data == "yes"}


class DogsPage(FlaskForm):
    """The repeat's page: the list, "add another" and continue."""


class AddressPage(FlaskForm):
    kept_in_municipality = RadioField("Suņu turēšanas vieta LDC reģistrā ir šajā pašvaldībā", choices=YES_NO,
                                      validate_choice=False)
    keeping_address = StringField("Suņu turēšanas adrese")

    def check(self) -> list[tuple[str, str]]:
        if require(self.kept_in_municipality) and self.kept_in_municipality.data not in ("yes", "no"):
            self.kept_in_municipality.errors.append("Atbildiet „Jā” vai „Nē”")
        if require(self.keeping_address):
            max_length(self.keeping_address, 500)
        return errors_of([self.kept_in_municipality, self.keeping_address])

    def answers(self) -> dict:
        return {"kept_in_municipality": self.kept_in_municipality.data == "yes",
                "keeping_address": self.keeping_address.data.strip()}


class CheckPage(FlaskForm):
    """Check your answers: the declaration box is read from the request."""


def errors_of(fields) -> list[tuple[str, str]]:
    found = []
    for field in fields:
        target = f"{field.name}-day" if isinstance(field, FormField) else field.name
        found += [(message, f"#{target}") for message in field.errors]
    return found
