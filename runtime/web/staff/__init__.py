"""The staff side under `/staff/`: sign-in, the inbox, the case file, the process steps
and the audit log. Views are thin: the signed-in member of staff (`session.py`) becomes an
`Actor` and the use cases in `runtime.cases` decide what it may see and do.

    session.py    the staff session cookie, the current member, `staff_required`
    signin.py     /staff/signin, /staff/signout, /staff/ (the member's places of work)
    organisation.py  /staff/signin/oidc: sign-in with the organisation's OpenID Connect provider
    profile.py    /staff/profile: the member's language, used on every staff page
    assist.py     /staff/<m>/assist: a client service centre clerk files in person for a resident
    inbox.py      /staff/<m>/inbox: the cases of the member's institutions
    casefile.py   /staff/<m>/case/<reference>: the case file, process steps, notes, assignment
    payments.py   payments by hand, camt.053 statement import, unmatched lines
    commissions.py  /staff/<m>/commissions and /staff/<m>/sessions/<id>: sessions, agenda, votes, minutes
    audit.py      /staff/<m>/audit and its CSV export (municipal admins of m only)
    outbox.py     /staff/<m>/outbox: outgoing messages, retry and discard (municipal and platform admins)
"""
from __future__ import annotations

from flask import Blueprint

from ...i18n import gettext as _

staff = Blueprint("staff", __name__, url_prefix="/staff")


@staff.context_processor
def staff_context() -> dict:
    from .session import current_member
    from ...auth import staff_provider
    return {"staff_member": current_member(), "organisation_signin": staff_provider() is not None, "role_names": {
        "platform_admin": _("Platform admin"), "municipal_admin": _("Municipal admin"), "clerk": _("Clerk"),
        "csc_clerk": _("Client service centre clerk"), "commission_member": _("Commission member"),
        "finance": _("Finance")},
        "payment_states": {"paid": _("Paid"), "partly_paid": _("Partly paid"), "overpaid": _("Overpaid"),
                           "unpaid": _("Not paid"), "nothing_due": _("Nothing due"), "unmatched": _("Matched no case"),
                           "waived": _("Waived"), "not_assessed": _("The amount is not set yet")},
        "payment_sources": {"manual": _("recorded by hand"), "camt053": _("bank statement")},
        "channel_names": {"e-service": _("e-service"), "in-person": _("in person")},
        "input_names": {"reason": _("Reason (the applicant is told)"), "decision": _("Decision"),
                        "date": _("Date")},
        "vote_names": {"for": _("For"), "against": _("Against"), "abstain": _("Abstain")},
        "outcome_names": {"approved": _("Approved: the case has made the step"),
                          "rejected": _("Rejected: the case waits for another motion"),
                          "no_decision": _("No decision: the votes for and against were equal")},
        "actor_kinds": {"resident": _("the applicant"), "browser": _("the applicant"),
                        "migration": _("recorded before the history began")}}


from . import assist, audit, casefile, commissions, inbox, organisation, outbox, payments, profile, signin  # noqa: E402,F401  (routes register themselves on `staff`)
