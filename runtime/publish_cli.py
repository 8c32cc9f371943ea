"""`pkip publish ...`: publishing in bulk from the command line.

    pkip publish catalogue [--municipality ID] [--dry-run]
        every enabled service's latvija.lv card (of one municipality, or all); written to
        the outbox, where `pkip worker` sends it; an unchanged card is not written again;
        the card of a service no longer offered there is withdrawn.
        --dry-run prints the cards as a JSON array instead and writes nothing.

    pkip publish opendata [--dry-run DIR]
        the open data sets (CSV, counts under 5 left empty, DCAT-AP style metadata) to
        data.gov.lv through the outbox; monthly from cron or a systemd timer. --dry-run
        writes <name>.csv and <name>.json into DIR instead and sends nothing.

    pkip stand-ins [--host H] [--any-port]
        every publisher's stand-in on local ports (catalogue 5101, PSPP 5102, DIV 5103 over
        mutual TLS, CKAN 5104) and a webhook receiver (5105, verifying Standard Webhooks
        signatures), each with a page listing what it received; prints the settings that
        point the publishers at them and the command that registers the receiver; runs until stopped.

Progress goes to standard error, so that the JSON on standard output stays clean.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable, TextIO

from publishers.catalogue import build_card

from .catalogue_cards import cards, write_cards
from .config import load_settings
from .startup import check_catalogue, load_definitions, open_database
from .state import RuntimeState


def add_publish_commands(commands: Any) -> None:
    publish = commands.add_parser("publish", help="publish to the national platforms in bulk")
    targets = publish.add_subparsers(dest="publish_target", required=True)
    catalogue = targets.add_parser("catalogue", help="latvija.lv catalogue cards of the enabled services")
    catalogue.add_argument("--municipality", help="only this municipality's services")
    catalogue.add_argument("--dry-run", action="store_true", help="print the cards as JSON; write nothing")
    catalogue.set_defaults(run=_catalogue)
    opendata = targets.add_parser("opendata", help="the open data sets to data.gov.lv (CKAN)")
    opendata.add_argument("--dry-run", metavar="DIR", help="write the CSV and metadata files into DIR; send nothing")
    opendata.set_defaults(run=_opendata)
    standins = commands.add_parser("stand-ins", help="run every publisher's stand-in on local ports")
    standins.add_argument("--host", default="127.0.0.1")
    standins.add_argument("--any-port", action="store_true", help="free ports instead of 5101-5104")
    standins.set_defaults(run=_standins)


def runtime_state() -> RuntimeState:
    settings = load_settings()
    catalogue = load_definitions(settings.definitions_path)
    check_catalogue(catalogue)
    return RuntimeState(settings=settings, database=open_database(settings), catalogue=catalogue)


def progress_bar(total: int, label: str, stream: TextIO = sys.stderr, width: int = 30) -> Callable[[int], None]:
    """A one-line bar on `stream`, redrawn in place: `label [#####-----] 12/40`."""
    def show(done: int) -> None:
        filled = width * done // max(total, 1)
        end = "\n" if done >= total else ""
        stream.write(f"\r{label} [{'#' * filled}{'-' * (width - filled)}] {done}/{total}{end}")
        stream.flush()
    return show


def _catalogue(arguments: argparse.Namespace) -> int:
    state = runtime_state()
    municipality = arguments.municipality
    if municipality and municipality not in state.catalogue.municipalities:
        print(f"pkip: unknown municipality {municipality!r}", file=sys.stderr)
        return 2
    data = list(cards(state, municipality))
    if arguments.dry_run:
        json.dump([build_card(item) for item in data], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not state.settings.publishers["catalogue"]["url"]:
        print("pkip: the catalogue publisher is off: set PKIP_CATALOGUE_URL (or use --dry-run)", file=sys.stderr)
        return 2
    written = write_cards(state, data, progress_bar(len(data), "catalogue cards"), municipality_id=municipality)
    print(f"catalogue: {len(data)} cards, {written.cards} new or changed written to the outbox, "
          f"{len(data) - written.cards} unchanged, {written.withdrawn} withdrawn (no longer offered)")
    return 0


def _standins(arguments: argparse.Namespace) -> int:
    import threading

    from publishers.local import start_standins

    settings = load_settings()
    ports = {"catalogue": 0, "pspp": 0, "div": 0, "opendata": 0, "webhooks": 0} if arguments.any_port else None
    started = start_standins(settings.instance_path / "standins", arguments.host, ports)
    for name, url in started.urls.items():
        print(f"{started.apps[name].title}: {url}/  (what it received)")
    print("point the publishers at them (instance config.toml or environment):")
    for name, value in started.settings.items():
        print(f"  PKIP_{name.upper()}={value}")
    print("make the webhook receiver an institution's endpoint (it verifies the signatures with this secret):")
    print(f"  pkip webhooks add --municipality M --institution I --url {started.urls['webhooks']}/hooks "
          f"--secret {started.webhook_secret}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    started.stop()
    return 0


def _opendata(arguments: argparse.Namespace) -> int:
    import datetime
    import hashlib
    from pathlib import Path

    from publishers.opendata import PUBLISHER as OPENDATA

    from .opendata import data_sets
    from .publishing import publish

    state = runtime_state()
    today = datetime.date.today()
    sets = data_sets(state, f"{today.year}-01-01/{today.isoformat()}")
    if arguments.dry_run:
        folder = Path(arguments.dry_run)
        folder.mkdir(parents=True, exist_ok=True)
        for item in sets:
            built = json.loads(OPENDATA.build(item, item["name"]).body)
            (folder / f"{item['name']}.csv").write_text(built["csv"], encoding="utf-8")
            (folder / f"{item['name']}.json").write_text(json.dumps(built["package"], ensure_ascii=False, indent=2),
                                                         encoding="utf-8")
        print(f"opendata: {len(sets)} data sets written to {folder}")
        return 0
    if not state.settings.publishers["opendata"]["url"]:
        print("pkip: the open data publisher is off: set PKIP_OPENDATA_URL (or use --dry-run DIR)", file=sys.stderr)
        return 2
    show = progress_bar(len(sets), "open data sets")
    written = 0
    with state.database.transaction() as session:
        for done, item in enumerate(sets, start=1):
            digest = hashlib.sha256(OPENDATA.build(item, "").body).hexdigest()[:32]
            written += publish(session, state.settings.publishers, "opendata", item, key=f"opendata:{item['name']}:{digest}",
                               ordering=item["name"], municipality_id=None) is not None
            show(done)
    print(f"opendata: {len(sets)} data sets, {written} new or changed written to the outbox")
    return 0
