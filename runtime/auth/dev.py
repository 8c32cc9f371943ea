"""Development sign-in: type a name and a valid personal code, and be that person.

Only for development. It exists only when `dev_signin` is on, which `runtime.config`
allows only together with `env = development`; while it exists every page shows a banner
saying the identity is not real (base.html, `dev_signin_enabled`).
"""
from __future__ import annotations

from typing import Mapping

from flask import Request, url_for

from ..i18n import gettext as _
from ..identity import Person, SignInFailed, display_personal_code, normalise_personal_code


class DevSignInRejected(SignInFailed):
    """The form was filled in wrongly; `errors` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("the development sign-in form has errors")
        self.errors = errors


class DevProvider:
    id = "dev"

    def login_url(self, next_url: str) -> str:
        return url_for("auth.dev_signin", next=next_url)

    def complete(self, request: Request) -> Person:
        return person_from_form(request.form)


def person_from_form(form: Mapping[str, str], errors: dict[str, str] | None = None) -> Person:
    """The person typed into a development form (here and in the stand-ins), or
    `DevSignInRejected` with every field's problem (`errors` adds the caller's own)."""
    given_name = form.get("given_name", "").strip()
    surname = form.get("surname", "").strip()
    digits = normalise_personal_code(form.get("personal_code", ""))
    errors = dict(errors or {})
    if not given_name:
        errors["given_name"] = _("Enter a given name")
    if not surname:
        errors["surname"] = _("Enter a surname")
    if digits is None:
        errors["personal_code"] = _("Enter a valid personal code, like 161175-19997")
    if errors:
        raise DevSignInRejected(errors)
    return Person(display_personal_code(digits), given_name[:100], surname[:100])
