"""Use cases without Flask: what happens to an application, whoever asks (the web views,
the worker, the CLI, later the staff side and the REST API).

Each function takes its inputs explicitly (a `Database` or session, the catalogue, the
`Actor`, the `Clock`, the language) and returns plain results. Nothing here imports
Flask or reads request state; `tests/test_import_rules.py` checks it in a fresh
interpreter.

    access.py       who may see and do what with a case, draft, upload or queue place
    backfill.py     facts for cases stored before the case kept them (once, at start-up)
    clock.py        now and today in Latvia, fixed by tests
    drafts.py       drafts: create, save, load, claim, consume
    listing.py      an actor's cases and drafts ("my applications"; later the inbox)
    submitting.py   a draft becomes a case with what was decided, in one transaction
"""
