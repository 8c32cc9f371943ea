"""The national registers a definition may look a value up in (`lookups:`), and what each
answers, typed. The builder only compiles the declaration against this table; asking a
register is the runtime's (runtime/registers/, one provider per register, and a local
stand-in), so the engine stays pure: it gets the answers in its `Context`.

    lookups:
      company: {register: enterprise_register, key: "organiser_company.registration_number"}

`lookup.company` is then `{answered, found, name, legal_form, active, ...}`: `answered` is
false when the register could not be asked (it did not answer in time), `found` whether it
knows the key; every member is null unless found.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .expressions import types as T
from .model import Text

# What a register said about one key, as plain data: the runtime's providers give it,
# definition tests write it in their context.
FOUND, NOT_FOUND, UNAVAILABLE = "found", "not_found", "unavailable"
STATUSES = (FOUND, NOT_FOUND, UNAVAILABLE)


@dataclass(frozen=True)
class RegisterAnswer:
    status: str                                  # found | not_found | unavailable
    data: Mapping[str, Any] | None = None        # the register's members when found


@dataclass(frozen=True)
class Register:
    id: str
    name: Text                                   # "Uzņēmumu reģistrs", in messages
    key: str                                     # what the key is, for the docs
    key_pattern: str                             # a key of another form is not asked
    members: Mapping[str, T.Type]

    @property
    def answer_type(self) -> T.ObjectType:
        """The type of `lookup.<name>`: whether it answered and found the key, and its members."""
        return T.ObjectType({"answered": T.BOOL, "found": T.BOOL, **self.members}, self.id)


PERSON_MEMBERS = {"personal_code": T.STRING, "given_name": T.STRING, "surname": T.STRING, "birth_date": T.DATE}

REGISTERS: dict[str, Register] = {register.id: register for register in (
    Register("enterprise_register", Text({"lv": "Uzņēmumu reģistrs", "en": "the Enterprise Register"}),
             "a registration number", r"^[0-9]{11}$",
             {"name": T.STRING, "legal_form": T.STRING, "active": T.BOOL, "registered_on": T.DATE,
              "terminated_on": T.DATE, "address": T.STRING}),
    Register("cadastre", Text({"lv": "Nekustamā īpašuma valsts kadastrs", "en": "the State Real Estate Cadastre"}),
             "a cadastral designation of a land unit", r"^[0-9]{11}$",
             {"address": T.STRING, "area_m2": T.NUMBER, "land_use": T.STRING, "atvk": T.STRING}),
    Register("population_register", Text({"lv": "Fizisko personu reģistrs", "en": "the Register of Natural Persons"}),
             "a personal code", r"^[0-9]{6}-?[0-9]{5}$",
             {**PERSON_MEMBERS, "declared_address": T.STRING, "declared_atvk": T.STRING}),
    Register("population_children", Text({"lv": "Fizisko personu reģistrs", "en": "the Register of Natural Persons"}),
             "a parent's personal code", r"^[0-9]{6}-?[0-9]{5}$",
             {"children": T.ListType(T.ObjectType(PERSON_MEMBERS, "child"))}),
    # whom a person may represent (the Enterprise Register's officers and authorised
    # representatives): offered at "who do you act for" beside the identity service's subject
    Register("enterprise_representatives", Text({"lv": "Uzņēmumu reģistrs", "en": "the Enterprise Register"}),
             "a representative's personal code", r"^[0-9]{6}-?[0-9]{5}$",
             {"companies": T.ListType(T.ObjectType({"registration_number": T.STRING, "name": T.STRING}, "company"))}),
)}


def lookup_type(register_ids: Mapping[str, str]) -> T.ObjectType:
    """The type of `lookup`: each declared look-up's answer type (dyn for an unknown register,
    which the schema reports)."""
    return T.ObjectType({name: REGISTERS[rid].answer_type if rid in REGISTERS else T.DYN
                         for name, rid in register_ids.items()}, "lookup")


def answer_value(register: Register, answer: RegisterAnswer | None, typed) -> dict | None:
    """`lookup.<name>` for an answer: None when the register was not asked (no answer
    given), else `{answered, found, members...}` with members typed (`typed(type, raw)`)."""
    if answer is None:
        return None
    data = answer.data if answer.status == FOUND and isinstance(answer.data, Mapping) else {}
    members = {name: typed(kind, data.get(name)) for name, kind in register.members.items()}
    return {"answered": answer.status != UNAVAILABLE, "found": answer.status == FOUND, **members}
