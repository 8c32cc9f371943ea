"""The eParaksts stand-in's endpoints, at the real service's paths under
`/_standin/eparaksts` (development, `signin_standins`):

    GET  .../trustedx-authserver/oauth/lvrtc-eipsign-as        authorize: a form (name and
         any valid personal code; no identity is checked), or straight back while its own
         session cookie lasts and no `prompt=login` was asked for
    POST .../trustedx-authserver/oauth/lvrtc-eipsign-as        the form: back to
         `redirect_uri` with a code
    POST .../trustedx-authserver/oauth/lvrtc-eipsign-as/token  code -> access token (HTTP
         Basic client authentication, PKCE S256); no id_token, as the real one
    GET  .../trustedx-resources/openid/v1/users/me            userinfo with `serial_number`

The token endpoint is called server to server with the client's credentials, not by a
browser form, so it alone is exempt from the CSRF check.
"""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import Blueprint, abort, jsonify, make_response, redirect, render_template, request, url_for

from ..auth import standins
from ..auth.dev import DevSignInRejected, person_from_form
from ..auth.eparaksts import AUTHORIZE_PATH, SCOPE, TOKEN_PATH, USERINFO_PATH
from ..auth.standins.eparaksts import PREFIX, EParakstsStandIn
from ..identity import Person, seal, unseal
from ..security import csrf

SSO_COOKIE = "pkip_standin_eparaksts"
SSO_PURPOSE = "eparaksts stand-in session"
SSO_SECONDS = 8 * 3600
standin_eparaksts = Blueprint("standin_eparaksts", __name__, url_prefix=PREFIX)
AUTHORIZE_FIELDS = ("client_id", "redirect_uri", "state", "code_challenge", "code_challenge_method", "scope")


def _standin() -> EParakstsStandIn:
    found = standins().get("eparaksts")
    if found is None:
        abort(404)
    return found


def _checked_request(values) -> dict[str, str]:
    """The authorization request's parameters, refused unless they are ours."""
    found = {name: str(values.get(name, "")) for name in AUTHORIZE_FIELDS}
    if found["client_id"] != _standin().client_id or SCOPE not in found["scope"].split() \
            or found["code_challenge_method"] != "S256" or not found["code_challenge"] \
            or urlsplit(found["redirect_uri"]).path != url_for("auth.eparaksts_callback"):
        abort(400)
    return found


def _back(person: Person, authorization: dict[str, str]):
    code = _standin().issue_code(person, authorization["redirect_uri"], authorization["code_challenge"])
    response = redirect(f"{authorization['redirect_uri']}?{urlencode({'code': code, 'state': authorization['state']})}")
    response.set_cookie(SSO_COOKIE, seal({"person": [person.personal_code, person.given_name, person.surname]},
                                         SSO_PURPOSE), httponly=True, samesite="Lax")
    return response


@standin_eparaksts.get(AUTHORIZE_PATH)
def authorize():
    authorization = _checked_request(request.args)
    remembered = unseal(request.cookies.get(SSO_COOKIE, ""), SSO_PURPOSE, SSO_SECONDS)
    if remembered and request.args.get("prompt") != "login":
        return _back(Person(*remembered["person"]), authorization)
    response = make_response(render_template("standins/eparaksts_signin.html", errors={}, form=authorization))
    response.delete_cookie(SSO_COOKIE)        # prompt=login: this is a new login
    return response


@standin_eparaksts.post(AUTHORIZE_PATH)
def log_in():
    authorization = _checked_request(request.form)
    try:
        person = person_from_form(request.form)
    except DevSignInRejected as rejected:
        return render_template("standins/eparaksts_signin.html", errors=rejected.errors, form=request.form), 400
    return _back(person, authorization)


@standin_eparaksts.post(TOKEN_PATH)
@csrf.exempt
def token():
    standin = _standin()
    credentials = request.authorization
    if credentials is None or not standin.client_authenticated(credentials.username or "", credentials.password or ""):
        return jsonify(error="invalid_client"), 401
    access_token = standin.redeem(request.form.get("code", ""), request.form.get("redirect_uri", ""),
                                  request.form.get("code_verifier", ""))
    if access_token is None:
        return jsonify(error="invalid_grant"), 400
    return jsonify(access_token=access_token, token_type="Bearer", expires_in=300, scope=SCOPE)


@standin_eparaksts.get(USERINFO_PATH)
def userinfo():
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    found = _standin().userinfo(access_token) if scheme == "Bearer" else None
    if found is None:
        return jsonify(error="invalid_token"), 401
    return jsonify(found)
