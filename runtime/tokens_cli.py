"""`pkip tokens create|list|revoke`: API tokens for back-office systems, and
`pkip webhooks add|list|disable`: where an institution's back office hears of its cases.

    pkip tokens create --municipality M --institution I --scopes cases:read,cases:write [--name N] [--expires-days D]
    pkip tokens list [--municipality M]
    pkip tokens revoke --id N
    pkip webhooks add --municipality M --institution I --url U [--events case.created,case.transitioned,invoice.received]
                      [--secret whsec_...]     (the receiver's own secret, e.g. the stand-in's; default: a new one)
    pkip webhooks list [--municipality M]
    pkip webhooks disable --id N

The token (and a webhook's signing secret) is printed once, on its own line, when it is made; only its SHA-256 is kept,
so a lost token is revoked and a new one made.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any, Callable

from .cases.access import API_SCOPES
from .cases.api_tokens import TokenError, create_token, list_tokens, revoke_token
from .cases.clock import Clock
from .cases.webhooks import EVENTS, add_endpoint, disable_endpoint, list_endpoints
from .config import load_settings
from .startup import check_catalogue, load_definitions, open_database


def add_token_commands(commands: Any) -> None:
    tokens = commands.add_parser("tokens", help="API tokens of back-office systems")
    actions = tokens.add_subparsers(dest="tokens_command", required=True)
    create = actions.add_parser("create", help="make a token for an institution (printed once)")
    create.add_argument("--municipality", required=True)
    create.add_argument("--institution", required=True)
    create.add_argument("--scopes", required=True, help=f"comma-separated: {', '.join(API_SCOPES)}")
    create.add_argument("--name", default="", help="what the token is for (the back-office system)")
    create.add_argument("--expires-days", type=int, help="the token opens nothing after this many days "
                        "(default: until revoked)")
    create.set_defaults(run=_create)
    listing = actions.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.add_argument("--municipality")
    listing.set_defaults(run=_list)
    revoke = actions.add_parser("revoke", help="revoke a token: it opens nothing from now on")
    revoke.add_argument("--id", type=int, required=True)
    revoke.set_defaults(run=_revoke)
    webhooks = commands.add_parser("webhooks", help="webhook endpoints of back-office systems")
    hooks = webhooks.add_subparsers(dest="webhooks_command", required=True)
    add = hooks.add_parser("add", help="add an endpoint for an institution (its secret is printed once)")
    add.add_argument("--municipality", required=True)
    add.add_argument("--institution", required=True)
    add.add_argument("--url", required=True)
    add.add_argument("--events", default=",".join(EVENTS), help=f"comma-separated: {', '.join(EVENTS)}")
    add.add_argument("--secret", help="the receiver's signing secret (whsec_...), when it has one; default: a new one")
    add.set_defaults(run=_add_webhook)
    hook_list = hooks.add_parser("list", help="list endpoints (never their secrets)")
    hook_list.add_argument("--municipality")
    hook_list.set_defaults(run=_list_webhooks)
    disable = hooks.add_parser("disable", help="send nothing more to an endpoint")
    disable.add_argument("--id", type=int, required=True)
    disable.set_defaults(run=_disable_webhook)


def _create(arguments: argparse.Namespace) -> int:
    settings, catalogue, database = _opened()
    made = _refused_or("tokens", lambda: create_token(database, catalogue, municipality_id=arguments.municipality,
                                                      institution_id=arguments.institution, scopes=arguments.scopes,
                                                      name=arguments.name, expires_days=arguments.expires_days))
    return _shown_once(made, lambda listing: f"token {listing.id} for {listing.municipality_id}/"
                       f"{listing.institution_id}: {', '.join(listing.scopes)}{_until(listing)}. "
                       "It is shown only now; keep it secret:")


def _until(listing: Any) -> str:
    return f", until {listing.expires_at:%Y-%m-%d %H:%M} UTC" if listing.expires_at else ""


def _state(row: Any) -> str:
    if row.revoked:
        return "revoked"
    if row.expired(Clock().now()):
        return "expired"
    return f"active until {row.expires_at:%Y-%m-%d}" if row.expires_at else "active"


def _listing(list_rows: Callable[..., Any], columns: Callable[[Any], list[str]]) -> Callable[..., int]:
    """A `list` command: one tab-separated line per row, of the municipality if given."""
    def run(arguments: argparse.Namespace) -> int:
        for row in list_rows(open_database(load_settings()), arguments.municipality):
            print("\t".join(columns(row)))
        return 0
    return run


def _ending(command: str, end: Callable[..., Any], said: Callable[[Any], str]) -> Callable[..., int]:
    """A `revoke`/`disable` command: end the row given by --id, then say which it was."""
    def run(arguments: argparse.Namespace) -> int:
        row = _refused_or(command, lambda: end(open_database(load_settings()), arguments.id, Clock()))
        if isinstance(row, int):
            return row
        print(said(row))
        return 0
    return run


_list = _listing(list_tokens, lambda row: [
    str(row.id), f"{row.prefix}...", f"{row.municipality_id}/{row.institution_id}", ",".join(row.scopes),
    _state(row), row.name])
_revoke = _ending("tokens", revoke_token, lambda row: f"revoked token {row.id} ({row.prefix}...) of "
                  f"{row.municipality_id}/{row.institution_id}")


def _add_webhook(arguments: argparse.Namespace) -> int:
    settings, catalogue, database = _opened()
    made = _refused_or("webhooks", lambda: add_endpoint(
        database, catalogue, settings.secret_key, municipality_id=arguments.municipality,
        institution_id=arguments.institution, url=arguments.url, events=arguments.events, secret=arguments.secret))
    return _shown_once(made, lambda listing: f"webhook {listing.id} for {listing.municipality_id}/"
                       f"{listing.institution_id}: {', '.join(listing.events)} to {listing.url}. "
                       "Its signing secret is shown only now:")


_list_webhooks = _listing(list_endpoints, lambda row: [
    str(row.id), f"{row.municipality_id}/{row.institution_id}", row.url, ",".join(row.events),
    "disabled" if row.disabled else "active"])
_disable_webhook = _ending("webhooks", disable_endpoint,
                           lambda row: f"disabled webhook {row.id} of {row.municipality_id}/{row.institution_id}")


def _opened() -> tuple[Any, Any, Any]:
    """The settings, the checked catalogue and the database, as `pkip serve` would have them."""
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    return settings, catalogue, open_database(settings)


def _refused_or(command: str, action: Callable[[], Any]) -> Any:
    """What `action` gives, or exit status 2 after saying why it was refused."""
    try:
        return action()
    except TokenError as error:
        print(f"pkip {command}: {error}", file=sys.stderr)
        return 2


def _shown_once(made: Any, describe: Callable[[Any], str]) -> int:
    """Print what was made (to stderr) and its secret alone on stdout, for a script to keep."""
    if isinstance(made, int):
        return made
    listing, secret = made
    print(describe(listing), file=sys.stderr)
    print(secret)
    return 0
