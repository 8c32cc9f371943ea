"""The outbox job `send_email` (`cases.notify` writes it): the message rendered from
`templates/email/<kind>.txt` in the recipient's language and sent over SMTP (`runtime.mail`).

The applicant's messages go to the e-mail address in the case's answers, in the case's
language; a case without one gets none. A staff digest goes to the member's address, in
the member's language (`staff_users.language`). A message names the service, the case reference, its status
and the link to the case's page; it never holds a personal code, the answers or a name
other than the municipality's (`tests/runtime/test_notifications.py` checks every kind).

Each message's Message-ID is made from the job's content, so that a job retried after the
server took the message gives the receiving mail system the same message again, which it
can recognise.
"""
from __future__ import annotations

import functools
import hashlib
import json
import logging
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .cases.applicants import applicant_of
from .cases.notify import DECISION, INFORMATION_REQUEST, STAFF_DIGEST, SUBMITTED
from .documents.application import Formatter
from .i18n import translations_for
from .mail import MailSettings, send
from .state import RuntimeState
from .storage.models import InformationRequest, StaffUser, Submission
from .versions import effective_for_case

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates" / "email"
KINDS = (SUBMITTED, INFORMATION_REQUEST, DECISION, STAFF_DIGEST)


def _environment(language: str) -> Environment:
    return _environment_with(translations_for(language))


@functools.cache     # per set of translations: another app's languages get their own
def _environment_with(translations: Any) -> Environment:
    environment = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, keep_trailing_newline=True,
                              undefined=StrictUndefined, extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(translations.gettext, translations.ngettext, newstyle=True)  # type: ignore[attr-defined]
    return environment


def render(kind: str, language: str, **variables: Any) -> tuple[str, str]:
    """(subject, body) of a message: the template's first line is the subject."""
    text = _environment(language).get_template(f"{kind}.txt").render(**variables)
    subject, _blank, body = text.partition("\n")
    return subject.strip(), body.lstrip("\n")


def applicant_message(state: RuntimeState, payload: dict[str, Any]) -> tuple[str, str, str] | None:
    """(address, subject, body) for a message to a case's applicant, or None without an address."""
    with state.database.transaction() as session:
        case = session.get(Submission, int(payload["submission_id"]))
        if case is None:
            raise LookupError(f"submission {payload['submission_id']} does not exist (yet)")
        address = applicant_of(case.answers).email
        if not address:
            return None
        effective = effective_for_case(state.catalogue, session, case.municipality_id, case.service_version_id)
        request = session.get(InformationRequest, int(payload["request_id"])) if payload.get("request_id") else None
        fmt = Formatter(case.locale, effective)
        service, states = effective.service, (effective.service.process.states if effective.service.process else {})
        status = states.get(payload.get("status") or case.status)
        subject, body = render(
            payload["kind"], fmt.language, fmt=fmt, service=fmt.text(service.title),
            municipality=fmt.text(effective.municipality.name), reference=case.reference,
            status=fmt.text(status.label) if status else case.status,
            answer_by=fmt.day(request.answer_by) if request is not None and request.answer_by else None,
            question=request.question if request is not None else None,
            link=state.settings.mail.link(f"/{case.municipality_id}/case/{case.reference}"))
    return address, subject, body


def digest_message(state: RuntimeState, payload: dict[str, Any]) -> tuple[str, str, str] | None:
    with state.database.transaction() as session:
        member = session.get(StaffUser, int(payload["staff_user_id"]))
        if member is None or member.disabled_at is not None:
            return None
        address, language = member.email, member.language or "lv"
    subject, body = render(STAFF_DIGEST, language, day=payload["day"], new=payload["new"], overdue=payload["overdue"],
                           new_count=payload["new_count"], overdue_count=payload["overdue_count"],
                           inbox=state.settings.mail.link("/staff/"))
    return address, subject, body


def build_message(settings: MailSettings, payload: dict[str, Any], address: str, subject: str,
                  body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = formataddr(("", address))
    message["Subject"] = subject
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:32]
    domain = parseaddr(settings.mail_from)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = f"<{payload['kind']}.{digest}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"     # RFC 3834: no out-of-office replies, please
    message.set_content(body)
    return message


def send_email(state: RuntimeState, payload: dict[str, Any]) -> None:
    """Outbox handler. With mail off (no `smtp_host`) the job is done without sending."""
    mail = state.settings.mail
    if not mail.enabled:
        log.info("e-mail is off (no smtp_host): %s not sent", payload.get("kind"))
        return
    if payload.get("kind") not in KINDS:
        raise ValueError(f"unknown e-mail kind {payload.get('kind')!r}")
    found = digest_message(state, payload) if payload["kind"] == STAFF_DIGEST else applicant_message(state, payload)
    if found is None:
        log.info("%s: no address to send it to", payload["kind"])
        return
    send(mail, build_message(mail, payload, *found))
