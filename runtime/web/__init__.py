"""Every blueprint of the web app, thin: parse the request, build the `Actor`, call a use
case in `runtime.cases`, render.

    catalogue.py   the public pages: municipalities, their services, start pages, themes
    resident/      the resident's application: question pages, check, submit, confirmation
    account.py     "my applications" of a signed-in person
    acting.py      "who do you act for": yourself, a company, a child, an authoriser
    downloads.py   the application PDF and uploaded files
    queue.py       a case's place in its service's queue
    case_page.py   a case's own page for its applicant: status, payment, requests, decisions
    signin.py      sign-in and sign-out routes (providers are in `runtime.auth`)
    standins.py    the latvija.lv stand-in's pages (development, `signin_standins`)
    standin_eparaksts.py  the eParaksts stand-in's endpoints (likewise)
    staff/         the staff side under /staff/: sign-in, inbox, case file, audit log
    api/           the back-office REST API under /api/v1/ (tokens, OpenAPI 3.1, problems)
    actor.py       the request's Actor and Clock
"""
from __future__ import annotations

from flask import Flask

from .account import account
from .acting import acting
from .api import api, init_api
from .case_page import case_page_views
from .catalogue import public
from .downloads import documents
from .queue import queue_views
from .resident import resident
from .signin import auth
from .standin_eparaksts import standin_eparaksts
from .standins import standin_latvija
from .staff import staff


def register_blueprints(app: Flask) -> None:
    for blueprint in (auth, public, queue_views, case_page_views, resident, account, acting, documents, staff, api):
        app.register_blueprint(blueprint)
    init_api(app)
    made = app.extensions.get("pkip_standins", {})     # by runtime.auth.init_auth, in development
    if "latvija" in made:
        app.register_blueprint(standin_latvija)
    if "eparaksts" in made:
        app.register_blueprint(standin_eparaksts)
