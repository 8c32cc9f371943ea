"""`pkip tokens create|list|revoke`: API tokens for back-office systems.

    pkip tokens create --municipality M --institution I --scopes cases:read,cases:write [--name N]
    pkip tokens list [--municipality M]
    pkip tokens revoke --id N

The token is printed once, on its own line, when it is made; only its SHA-256 is kept,
so a lost token is revoked and a new one made.
"""
from __future__ import annotations

import argparse
import sys
from typing import Any

from .cases.access import API_SCOPES
from .cases.api_tokens import TokenError, create_token, list_tokens, revoke_token
from .cases.clock import Clock
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
    create.set_defaults(run=_create)
    listing = actions.add_parser("list", help="list tokens (never the tokens themselves)")
    listing.add_argument("--municipality")
    listing.set_defaults(run=_list)
    revoke = actions.add_parser("revoke", help="revoke a token: it opens nothing from now on")
    revoke.add_argument("--id", type=int, required=True)
    revoke.set_defaults(run=_revoke)


def _create(arguments: argparse.Namespace) -> int:
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    try:
        listing, token = create_token(open_database(settings), catalogue, municipality_id=arguments.municipality,
                                      institution_id=arguments.institution, scopes=arguments.scopes,
                                      name=arguments.name)
    except TokenError as error:
        print(f"pkip tokens: {error}", file=sys.stderr)
        return 2
    print(f"token {listing.id} for {listing.municipality_id}/{listing.institution_id}: "
          f"{', '.join(listing.scopes)}. It is shown only now; keep it secret:", file=sys.stderr)
    print(token)
    return 0


def _list(arguments: argparse.Namespace) -> int:
    for row in list_tokens(open_database(load_settings()), arguments.municipality):
        state = "revoked" if row.revoked else "active"
        print(f"{row.id}\t{row.prefix}...\t{row.municipality_id}/{row.institution_id}\t{','.join(row.scopes)}"
              f"\t{state}\t{row.name}")
    return 0


def _revoke(arguments: argparse.Namespace) -> int:
    try:
        row = revoke_token(open_database(load_settings()), arguments.id, Clock())
    except TokenError as error:
        print(f"pkip tokens: {error}", file=sys.stderr)
        return 2
    print(f"revoked token {row.id} ({row.prefix}...) of {row.municipality_id}/{row.institution_id}")
    return 0
