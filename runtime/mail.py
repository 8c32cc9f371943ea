"""E-mail over SMTP: the settings (declared here once, read by `runtime.config`) and one
function that sends a message. Mail is off until `smtp_host` is set; in development
`pkip serve` starts the local stand-in (`runtime.mail_standin`, aiosmtpd) and points here.

    smtp_host             the SMTP server (unset: no e-mail is sent)
    smtp_port             25
    smtp_starttls         false; true upgrades the connection with STARTTLS before sign-in
    smtp_username, smtp_password   optional sign-in
    smtp_timeout_seconds  10, per connection
    mail_from             the sender address, e.g. "E-pakalpojumi <noreply@riga.lv>"
    public_url            the site's address for the links in e-mails, e.g. https://e.riga.lv
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any, Callable


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "noreply@localhost"
    public_url: str = "http://127.0.0.1:5000"

    @property
    def enabled(self) -> bool:
        return self.smtp_host is not None

    def link(self, path: str) -> str:
        return self.public_url.rstrip("/") + path


def _port(value: Any) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        raise ValueError("must be a port number") from None
    if not 1 <= port <= 65535:
        raise ValueError("must be a port number from 1 to 65535")
    return port


def _address(value: Any) -> str:
    text = str(value).strip()
    if "@" not in parseaddr(text)[1]:
        raise ValueError("must be an e-mail address, e.g. \"E-pakalpojumi <noreply@riga.lv>\"")
    return text


def _url(value: Any) -> str:
    text = str(value).strip()
    if not text.startswith(("https://", "http://")):
        raise ValueError("must start with https:// (or http:// in development)")
    return text


def mail_parsers(text: Callable[[Any], Any], optional_text: Callable[[Any], Any], boolean: Callable[[Any], Any],
                 seconds: Callable[[Any], Any]) -> dict[str, Callable[[Any], Any]]:
    """The settings' parsers, given the config module's own for the common kinds."""
    return {"smtp_host": optional_text, "smtp_port": _port, "smtp_starttls": boolean,
            "smtp_username": optional_text, "smtp_password": optional_text, "smtp_timeout_seconds": seconds,
            "mail_from": _address, "public_url": _url}


MAIL_DEFAULTS: dict[str, Any] = {name: getattr(MailSettings(), name) for name in MailSettings.__dataclass_fields__}


def mail_settings(values: dict[str, Any]) -> MailSettings:
    return MailSettings(**{name: values[name] for name in MAIL_DEFAULTS})


def send(settings: MailSettings, message: EmailMessage) -> None:
    """Hand `message` to the SMTP server; an error (server down, refused) raises, so the
    outbox tries again later."""
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_seconds) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        smtp.send_message(message)
