"""The member of staff's own profile: their language.

    GET  /staff/profile    who they are, their roles and their language
    POST /staff/profile    choose the language (lv or en) of the staff pages, the case
                           file's answer labels and the daily digest

Every staff page then speaks the member's language (`use_member_language`); `?lang=` on
a page still shows that one page in the other language, without changing the choice.
"""
from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for

from ...cases.audit import record_now
from ...cases.staff_accounts import AccountError, set_language
from ...i18n import LANGUAGE_NAMES, interface_languages, language_switched
from ...state import runtime_state
from . import staff
from .session import audit_context, current_member, staff_required


@staff.before_request
def use_member_language() -> None:
    """After the app's `choose_language`: a signed-in member's own language, unless this
    one request asks for another."""
    member = current_member()
    if member is not None and request.args.get("lang") not in interface_languages() \
            and not language_switched():
        g.language = member.language


@staff.get("/profile")
@staff_required
def profile():
    return render_template("staff/profile.html", member=current_member(), languages=LANGUAGE_NAMES,
                           municipalities=runtime_state().catalogue.municipalities, saved=request.args.get("saved"))


@staff.post("/profile")
@staff_required
def profile_save():
    member = current_member()
    try:
        changed = set_language(runtime_state().database, member.id, request.form.get("language", ""))
    except AccountError:
        abort(400)          # only a tampered form sends another value
    for municipality_id in changed.municipalities() or (None,):
        record_now(runtime_state().database, audit_context(), "staff.language", municipality_id=municipality_id,
                   object_type="staff_user", object_id=str(member.id), language=changed.language)
    return redirect(url_for("staff.profile", saved="1"), 303)
