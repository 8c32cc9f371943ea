"""Start-up checks shared by the app and the `pkip` commands: load the catalogue and
refuse bad definitions, open the database and make sure its schema is current."""
from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import TextIO

from flask import Flask

from .config import Settings
from .state import Catalogue
from .storage.database import Database
from .storage.migrate import require_current_schema

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The app cannot start; the message says why and what to do."""


def load_definitions(definitions: Path) -> Catalogue:
    """The compiled catalogue of the definitions folder (check it with `check_catalogue`)."""
    from builder.catalogue import load_catalogue  # imported here: `pkip db` does not need it

    if not definitions.is_dir():
        raise StartupError(f"PKIP_DEFINITIONS_PATH: {definitions} is not a folder")
    return load_catalogue(definitions)


def check_catalogue(catalogue: Catalogue, stream: TextIO | None = None) -> None:
    """Print the catalogue's problems; errors stop start-up."""
    problems = catalogue.problems
    for problem in problems.sorted():
        print(problem.format(), file=stream or sys.stderr)
    if problems.has_errors:
        raise StartupError(
            f"the definitions have {len(problems.errors)} error(s) (listed above); "
            "fix them or run `pkip validate` for details"
        )


def compile_templates(app: Flask) -> int:
    """Compile every page template once at start-up (Jinja keeps them), so that no
    resident's request pays for it; the number compiled. The document templates are
    compiled by `runtime.documents`, in their own environment."""
    names = [name for name in app.jinja_env.list_templates(extensions=["html"])
             if not name.startswith("documents/application")]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def freeze_start_up_objects() -> None:
    """Hide what start-up built (the compiled catalogue, templates, translations: some
    190,000 long-lived objects) from the cyclic garbage collector. Otherwise every full
    collection walks all of them: about one in 300 page requests paused for ~150 ms,
    0.5 ms a request on average. Call once, at the end of start-up; never in tests,
    which build hundreds of apps whose objects must stay collectable."""
    gc.collect()
    gc.freeze()


def open_database(settings: Settings) -> Database:
    """The database, with its schema upgraded or checked as the settings say."""
    database = Database(settings.database_url)
    try:
        require_current_schema(database.engine, settings.auto_upgrade)
    except Exception:
        database.dispose()
        raise
    return database
