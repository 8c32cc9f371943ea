"""The local SMTP stand-in (aiosmtpd): a real SMTP server on a local port that keeps what it
receives, for the tests and for development, where `pkip serve` starts it unless
`smtp_host` is set and saves each message as `<instance>/mail/<n>.eml` to open in any mail
program.

    with running_standin() as standin:       # tests
        ... send to standin.port ...
        standin.messages                     # email.message.EmailMessage, in arrival order
"""
from __future__ import annotations

import contextlib
import email
import email.policy
import logging
import socket
import threading
from pathlib import Path
from typing import Any, Iterator

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"
logging.getLogger("mail.log").setLevel(logging.WARNING)    # aiosmtpd logs every connection at INFO
DEVELOPMENT_PORT = 8025


class Mailbox:
    """aiosmtpd's handler: every message it accepts, parsed, and optionally saved."""

    def __init__(self, folder: Path | None = None):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, tuple[str, ...]]] = []     # (MAIL FROM, RCPT TOs)
        self.folder = folder
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, tuple(envelope.rcpt_tos)))
            if self.folder is not None:
                self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                (self.folder / f"{len(self.messages):05d}.eml").write_bytes(envelope.original_content or b"")
        return "250 Message accepted for delivery"


class Standin:
    def __init__(self, controller: Controller, mailbox: Mailbox):
        self.controller, self.mailbox = controller, mailbox
        self.running = True

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return self.mailbox.messages

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.controller.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_standin(port: int | None = None, folder: Path | None = None) -> Standin:
    mailbox = Mailbox(folder)
    controller = Controller(mailbox, hostname=HOST, port=port or free_port())
    controller.start()
    return Standin(controller, mailbox)


@contextlib.contextmanager
def running_standin(folder: Path | None = None) -> Iterator[Standin]:
    standin = start_standin(folder=folder)
    try:
        yield standin
    finally:
        standin.stop()
