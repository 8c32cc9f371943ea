"""`pkip users create|list|disable`: staff accounts from the command line; and
`pkip overdue`, the daily list of overdue cases per institution; `pkip digest`, the daily
e-mail to staff of their new and overdue cases.

    pkip users create --municipality M [--institution I] --role ROLE --email E --name N [--language lv|en]
    pkip users list [--municipality M]
    pkip users disable --email E

The password of a new account is read as one line from standard input when that is not
a terminal (`printf '%s\\n' "$PASSWORD" | pkip users create ...`), and asked twice,
without echo, on a terminal. Creating an account that exists gives it one more role and
leaves its password alone. Nothing here prints or logs a password.
"""
from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from .cases.access import STAFF_ROLES
from .cases.clock import Clock
from .cases.inbox import overdue_by_institution
from .cases.notify import enqueue_digests
from .cases.staff_accounts import LANGUAGES, AccountError, Grant, create_user, disable_user, grants_summary, list_users
from .config import load_settings
from .startup import check_catalogue, load_definitions, open_database


def add_staff_commands(commands: Any) -> None:
    users = commands.add_parser("users", help="staff accounts")
    actions = users.add_subparsers(dest="users_command", required=True)
    create = actions.add_parser("create", help="create a staff account, or add a role to one")
    create.add_argument("--municipality", help="the municipality id (not for a platform admin)")
    create.add_argument("--institution", help="an institution id of that municipality")
    create.add_argument("--role", required=True, choices=STAFF_ROLES)
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--language", choices=LANGUAGES,
                        help="the staff pages' and the daily digest's language (lv when not given)")
    create.set_defaults(run=_create)
    listing = actions.add_parser("list", help="list staff accounts and their roles")
    listing.add_argument("--municipality")
    listing.set_defaults(run=_list)
    disable = actions.add_parser("disable", help="disable a staff account and end its sessions")
    disable.add_argument("--email", required=True)
    disable.set_defaults(run=_disable)
    overdue = commands.add_parser("overdue", help="list open cases past their due date, per institution (daily)")
    overdue.add_argument("--municipality")
    overdue.set_defaults(run=_overdue)
    digest = commands.add_parser("digest", help="e-mail each clerk and commission member their new and overdue "
                                                "cases (daily)")
    digest.add_argument("--municipality")
    digest.set_defaults(run=_digest)


def read_password(stream: TextIO | None = None) -> str:
    """One line from a pipe, or twice the same from the terminal."""
    stream = stream or sys.stdin
    if not stream.isatty():
        return stream.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("The same password again: ") != first:
        raise AccountError("the two passwords differ")
    return first


def _create(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    database = open_database(settings)
    grant = Grant(arguments.role, arguments.municipality, arguments.institution)
    try:
        existing = {m.email for m in list_users(database)}
        new = arguments.email.strip().lower() not in existing
        password = read_password() if new else None
        member, created = create_user(database, catalogue, email=arguments.email, name=arguments.name,
                                      grant=grant, password=password, language=arguments.language)
    except AccountError as error:
        print(f"pkip users: {error}", file=sys.stderr)
        return 2
    print(f"{'created' if created else 'updated'} {member.email}: {', '.join(grants_summary(member))}")
    return 0


def _list(arguments: argparse.Namespace) -> int:
    database = open_database(load_settings())
    for member in list_users(database, arguments.municipality):
        state = " (disabled)" if member.disabled else ""
        print(f"{member.email}\t{member.name}{state}\t{member.language}\t{', '.join(grants_summary(member))}")
    return 0


def _disable(arguments: argparse.Namespace) -> int:
    database = open_database(load_settings())
    try:
        member = disable_user(database, arguments.email, Clock())
    except AccountError as error:
        print(f"pkip users: {error}", file=sys.stderr)
        return 2
    print(f"disabled {member.email}; their sessions have ended")
    return 0


def _overdue(arguments: argparse.Namespace) -> int:
    """Exit status 1 when any case is overdue, so that a scheduler can alert on it."""
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    found = overdue_by_institution(open_database(settings), catalogue, Clock(), arguments.municipality)
    for (municipality_id, institution_id), rows in found.items():
        print(f"{municipality_id}/{institution_id or '-'}: {len(rows)} overdue")
        for row in rows:
            print(f"  {row.reference}\t{row.service_id}\t{row.status}\tdue {row.due_on.isoformat()}"
                  f"\t{row.assigned_to or 'unassigned'}")
    if not found:
        print("no overdue cases")
    return 1 if found else 0


def _digest(arguments: argparse.Namespace) -> int:
    """Writes the digests to the outbox; `pkip worker` sends them."""
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    written = enqueue_digests(open_database(settings), catalogue, Clock(), arguments.municipality)
    print(f"{written} digest(s) to send")
    return 0
