""""Who do you act for": the chooser after sign-in and from "my applications".

    GET  /my/acting-for?next=/riga/...   radios: yourself, each company, child or authoriser
    POST /my/acting-for                  (CSRF) act for the choice, then on to `next`

What may be chosen is only what the session was given at sign-in (`identity.offer_parties`:
the identity service's subject, the population register's children); the form sends an
index into that list, never a code or a hash, so nobody can act for a party by typing it.
"""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from .. import identity, remembered
from ..cases.drafts import claim_drafts
from ..cases.parties import children_of, companies_of
from ..i18n import gettext as _
from ..security import local_path
from ..state import runtime_state
from .actor import current_actor, current_clock

acting = Blueprint("acting", __name__)
SELF = "self"
CHILDREN_UNAVAILABLE_KEY = "children_unavailable"


def offer_children() -> bool:
    """Look the signed-in person's children and the companies they represent up in the
    registers and offer them as parties; True when the person now has a choice to make
    (nothing was chosen at the identity service)."""
    person = identity.current_person()
    if person is None:
        return False
    registry = runtime_state().registers
    found = children_of(registry, person["personal_code"], current_clock().today())
    identity.offer_parties([(identity.CHILD, child.personal_code, child.name) for child in found.found
                            if identity.normalise_personal_code(child.personal_code)])
    identity.offer_parties([("company", company.registration_number, company.registration_number)
                            for company in companies_of(registry, person["personal_code"])])
    identity.note_in_sign_in(CHILDREN_UNAVAILABLE_KEY, found.unavailable)
    return bool(identity.acting_choices()) and identity.current_acting_for() is None


def _next_url() -> str:
    return local_path(request.values.get("next")) or url_for("account.my_applications")


@acting.get("/my/acting-for")
def choose():
    if identity.current_person() is None:
        return redirect(url_for("auth.signin", next=request.full_path))
    return _chooser(errors={})


@acting.post("/my/acting-for")
def chosen():
    if identity.current_person() is None:
        return redirect(url_for("auth.signin", next=url_for("acting.choose")))
    value = request.form.get("party", "")
    index = None if value == SELF else _index(value)
    if (value != SELF and index is None) or not identity.act_for(index):
        return _chooser(errors={"party-self": _("Select whom you act for")}), 400
    actor = current_actor()
    claim_drafts(runtime_state().database, remembered.held_drafts(), actor.person_hash, actor.acting_for)
    return redirect(_next_url())


def _index(value: str) -> int | None:
    prefix, _dash, number = value.partition("-")
    return int(number) if prefix == "party" and number.isdigit() and len(number) <= 3 else None


def _chooser(errors: dict[str, str]):
    current = identity.current_acting_for()
    choices = identity.acting_choices()
    checked = next((f"party-{index}" for index, found in enumerate(choices)
                    if current and (found["kind"], found["hash"]) == (current["kind"], current["hash"])), SELF)
    return render_template("account/acting_for.html", person=identity.current_person(), choices=choices,
                           checked=checked, errors=errors, next_url=_next_url(),
                           children_unavailable=identity.noted_in_sign_in(CHILDREN_UNAVAILABLE_KEY))


def filed_for(case) -> str | None:
    """For whom the case was filed, as its page says it to whoever may see it (None: the
    applicant for themselves). The party's number or name is shown only to whom acts for
    that party now: the session knows it, the case stores only the party's keyed hash."""
    kind = getattr(case, "subject_kind", None)
    if kind is None:
        return None
    current = identity.current_acting_for()
    shown = current["shown"] if current and (current["kind"], current["hash"]) == (kind, case.subject_hash) else ""
    if kind == "company":
        return _("The company with registration number %(number)s", number=shown) if shown else _("A company")
    if kind == "institution":
        return _("The institution %(code)s", code=shown) if shown else _("An institution")
    if kind == identity.CHILD:
        return _("Your child %(name)s", name=shown) if shown else _("A child")
    if current is None and case.subject_hash == identity.current_person_hash():
        return _("You: filed by a person you authorised")
    return _("The person who authorised you")
