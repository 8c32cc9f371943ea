"""The latvija.lv stand-in's pages: a WS-Federation identity provider inside the
development app (registered only when `signin_standins` made it).

    GET  /_standin/latvija/?wa=wsignin1.0&wtrealm=&wreply=&wctx=[&wfresh=0]
         a form: name, personal code, and whom the person acts for (any valid code is
         accepted: no identity is checked); with a stand-in single sign-on session and
         no `wfresh=0`, straight back with a new assertion, as the real one does
    POST /_standin/latvija/   issue the assertion (signed, encrypted for the site) and
         POST it to `wreply` (a page with a form; the button sends it)
    GET  /_standin/latvija/?wa=wsignout1.0&wreply=   end the stand-in's session

Its single sign-on session is its own cookie, so that signing out of the site alone
leaves it, exactly the case RP-initiated sign-out exists for.
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import Blueprint, abort, make_response, render_template, request, url_for

from ..auth import standins
from ..auth.dev import DevSignInRejected, person_from_form
from ..auth.standins.latvija import ISSUER, KINDS, LatvijaStandIn, name_identifier
from ..auth.standins.wsfed import Issued, issue_wresult
from ..i18n import gettext as _
from ..identity import Person, normalise_personal_code, seal, unseal

SSO_COOKIE = "pkip_standin_latvija"
SSO_PURPOSE = "latvija stand-in session"
SSO_SECONDS = 8 * 3600
standin_latvija = Blueprint("standin_latvija", __name__, url_prefix="/_standin/latvija")


def _party(form) -> tuple[str, str, dict[str, str]]:
    kind, party = form.get("acting_as", "self"), form.get("party", "").strip()
    if kind not in KINDS:
        return "self", "", {"acting_as": _("Choose whom you act for")}
    if kind == "person":
        digits = normalise_personal_code(party)
        return kind, digits or "", {} if digits else {"party": _("Enter the personal code of the person who authorised you")}
    if kind == "company" and not (len(party) == 11 and party.isdigit()):
        return kind, party, {"party": _("Enter the company's 11-digit registration number")}
    if kind == "institution" and not party.isalnum():
        return kind, party, {"party": _("Enter the institution's code")}
    return kind, party, {}


def _standin() -> LatvijaStandIn:
    found = standins().get("latvija")
    if found is None:
        abort(404)
    return found


def _checked_reply(wreply: str) -> str:
    """Only the site's own callback: the stand-in must not post assertions elsewhere."""
    if urlsplit(wreply).path != url_for("auth.latvija_callback") or urlsplit(wreply).scheme not in ("http", "https"):
        abort(400)
    return wreply


def _answer(person: Person, kind: str, party: str, realm: str, wreply: str, wctx: str):
    digits = normalise_personal_code(person.personal_code)
    issued = Issued(ISSUER, realm, name_identifier(digits, kind, party),
                    [("privatepersonalidentifier", digits, None), ("givenname", person.given_name, None),
                     ("surname", person.surname, None)], datetime.now(timezone.utc))
    standin = _standin()
    wresult = issue_wresult(issued, standin.keys, standin.site_key.public_key())
    response = make_response(render_template("standins/post_back.html", wreply=wreply, wresult=wresult, wctx=wctx))
    target = urlsplit(wreply)
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; form-action 'self' {target.scheme}://{target.netloc}; frame-ancestors 'none'")
    response.set_cookie(SSO_COOKIE, seal({"person": [digits, person.given_name, person.surname], "kind": kind,
                                          "party": party}, SSO_PURPOSE), httponly=True, samesite="Lax")
    return response


@standin_latvija.get("/")
def endpoint():
    if request.args.get("wa") == "wsignout1.0":
        response = make_response(render_template("standins/signed_out.html", wreply=_checked_home(request.args.get("wreply", ""))))
        response.delete_cookie(SSO_COOKIE)
        return response
    if request.args.get("wa") != "wsignin1.0":
        abort(400)
    wreply, realm, wctx = _checked_reply(request.args.get("wreply", "")), request.args.get("wtrealm", ""), request.args.get("wctx", "")
    remembered = unseal(request.cookies.get(SSO_COOKIE, ""), SSO_PURPOSE, SSO_SECONDS)
    if remembered and request.args.get("wfresh") != "0":
        digits, given_name, surname = remembered["person"]
        return _answer(Person(digits, given_name, surname), remembered["kind"], remembered["party"], realm, wreply, wctx)
    return render_template("standins/latvija_signin.html", errors={}, form={"wreply": wreply, "wtrealm": realm, "wctx": wctx})


def _checked_home(wreply: str) -> str:
    return wreply if urlsplit(wreply).scheme in ("http", "https") and urlsplit(wreply).path == "/" else url_for("public.index")


@standin_latvija.post("/")
def issue():
    form = request.form
    wreply = _checked_reply(form.get("wreply", ""))
    kind, party, party_errors = _party(form)
    try:
        person = person_from_form(form, party_errors)
    except DevSignInRejected as rejected:
        return render_template("standins/latvija_signin.html", errors=rejected.errors, form=form), 400
    return _answer(person, kind, party, form.get("wtrealm", ""), wreply, form.get("wctx", ""))

