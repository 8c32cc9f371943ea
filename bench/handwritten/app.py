"""The hand-written dog-fee app: `gunicorn 'bench.handwritten.app:create_app()'`.

Settings from the environment: BENCH_HW_DATABASE_URL (default: SQLite in
BENCH_HW_INSTANCE), BENCH_HW_SECRET_KEY. Create the tables first with
`python -m bench.handwritten init`. Routes mirror the runtime's (see runtime/web/resident):
POST /<m>/dog-fee/start, /apply/owner, /apply/dogs, /apply/dogs/dogs/<i>, /apply/address,
/check, /case/<reference>, and POST /signin/dev for the signed-in person.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import os
import secrets
import uuid
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, Response, abort, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFProtect
from markupsafe import Markup
import segno.helpers
from sqlalchemy import bindparam, delete, select, update
from stdnum.lv import pvn

from . import storage
from .forms import DISABILITY_GROUPS, OWNER_KINDS, AddressPage, CheckPage, DogPage, DogsPage, OwnerPage

ROOT = Path(__file__).resolve().parents[2]
LATVIA = ZoneInfo("Europe/Riga")
SERVICE = "dog-fee"
PAGES = ("owner", "dogs", "address")

# Riga, written out by hand (a hand-written app knows its one municipality)
RIGA = {
    "id": "riga", "name": "Rīgas valstspilsēta", "code": "RIX", "iban": "LV89RIKO0023300000000",
    "phone": "+371 80000800", "web": "https://www.riga.lv", "colour": "#9e1b32", "coat": "coats/riga.svg",
    "institution": "Rīgas valstspilsētas pašvaldība — pašvaldības administrācija (mājas dzīvnieku uzskaite un suņu nodeva)",
}
ANNUAL_FEE = Decimal("10.00")
MIN_AGE_MONTHS = 6
REDUCTION_PERCENT = Decimal(50)
EXEMPT_GROUPS = {"1", "2", "3_visual", "3_hearing"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
           "X-Frame-Options": "DENY", "Cross-Origin-Opener-Policy": "same-origin",
           "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()"}
csrf = CSRFProtect()


def create_app() -> Flask:
    instance = Path(os.environ.get("BENCH_HW_INSTANCE", "instance-handwritten")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("BENCH_HW_DATABASE_URL") or f"sqlite:///{instance / 'handwritten.sqlite3'}"
    app = Flask(__name__, static_folder=str(ROOT / "static"), template_folder="templates", instance_path=str(instance))
    app.config.update(SECRET_KEY=os.environ.get("BENCH_HW_SECRET_KEY") or secrets.token_hex(32),
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_NAME="hw_session",
                      WTF_CSRF_TIME_LIMIT=24 * 3600, MAX_CONTENT_LENGTH=20 * 1024 * 1024)
    app.extensions["hw_sessions"] = storage.make_sessions(url)
    csrf.init_app(app)
    app.after_request(security_headers)
    app.jinja_env.globals.update(municipality=RIGA, yes_no_text=yes_no_text, money=money)
    register(app)
    return app


def security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def db():
    from flask import current_app
    return current_app.extensions["hw_sessions"]


def today() -> datetime.date:
    return datetime.datetime.now(LATVIA).date()


def person_hash(code: str | None) -> str | None:
    if not code:
        return None
    from flask import current_app
    return hmac.new(current_app.secret_key.encode(), code.encode(), hashlib.sha256).hexdigest()


def yes_no_text(value) -> str:
    return "Jā" if value is True else "Nē" if value is False else ""


def money(value: Decimal) -> str:
    return f"{value:.2f} €".replace(".", ",")


def months_between(start: datetime.date, end: datetime.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def fees(answers: dict, on: datetime.date) -> tuple[list[dict], Decimal]:
    """Riga's dog fee: 10.00 per dog from 6 months; one 50 % reduction (pensioner or
    sterilised, the larger); exempt owners pay nothing."""
    owner = answers.get("owner", {})
    exempt = answers.get("owner_kind") == "service_body" or owner.get("disability_group") in EXEMPT_GROUPS
    lines = []
    for dog in answers.get("dogs", []):
        born = datetime.date.fromisoformat(dog["birth_date"])
        if months_between(born, on) < MIN_AGE_MONTHS:
            continue
        gross = ANNUAL_FEE
        reductions = [gross * REDUCTION_PERCENT / 100 for applies in (owner.get("pensioner") is True, dog["sterilised"])
                      if applies]
        reduction = max(reductions, default=Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        amount = Decimal("0.00") if exempt else gross - reduction
        lines.append({"label": f"Nodeva par suni ({dog['name']})", "amount": amount,
                      "reference": f"{owner.get('surname', '')}{owner.get('body_name', '')} "
                                   f"{owner.get('personal_code', '')}{owner.get('registration_number', '')} {dog['chip']}"})
    return lines, sum((line["amount"] for line in lines), Decimal("0.00"))


# -- drafts ----------------------------------------------------------------------

class DraftRow:
    """The columns of a draft that a page uses."""
    __slots__ = ("id", "answers", "current_page")

    def __init__(self, draft_id: uuid.UUID, answers: dict, current_page: str | None) -> None:
        self.id, self.answers, self.current_page = draft_id, answers, current_page


# Built once and run on a plain connection, as the runtime does (runtime/cases/drafts.py):
# a developer who cares about speed does not take the ORM's identity map for two statements.
_DRAFTS = storage.Draft.__table__
_LOAD = select(_DRAFTS.c.id, _DRAFTS.c.answers, _DRAFTS.c.current_page).where(_DRAFTS.c.id == bindparam("draft_id"))
_SAVE = (update(_DRAFTS).where(_DRAFTS.c.id == bindparam("draft_id"))
         .values(answers=bindparam("new_answers", type_=_DRAFTS.c.answers.type),
                 current_page=bindparam("new_page", type_=_DRAFTS.c.current_page.type),
                 updated_at=bindparam("new_updated_at", type_=_DRAFTS.c.updated_at.type)))


def engine():
    return db().kw["bind"]


def load_draft() -> DraftRow:
    draft_id = session.get("draft")
    if not draft_id:
        abort(404)
    with engine().connect() as connection:
        row = connection.execute(_LOAD, {"draft_id": uuid.UUID(draft_id)}).first()
    if row is None:
        abort(410)
    return DraftRow(*row)


def save_draft(draft: DraftRow, answers: dict, page: str | None) -> None:
    with engine().begin() as connection:
        done = connection.execute(_SAVE, {"draft_id": draft.id, "new_answers": answers, "new_page": page,
                                          "new_updated_at": storage.utc_now()}).rowcount
    if done != 1:
        abort(410)
    draft.answers = answers


_SUBMISSIONS = storage.Submission.__table__
_MY_SUBMISSIONS = (select(_SUBMISSIONS.c.reference, _SUBMISSIONS.c.status, _SUBMISSIONS.c.submitted_at)
                   .where(_SUBMISSIONS.c.person_code_hash == bindparam("code_hash"))
                   .order_by(_SUBMISSIONS.c.submitted_at.desc()).limit(200))
_MY_DRAFTS = (select(_DRAFTS.c.id, _DRAFTS.c.updated_at).where(_DRAFTS.c.person_code_hash == bindparam("code_hash"))
              .order_by(_DRAFTS.c.updated_at.desc()).limit(200))
STATUSES = {"submitted": "Iesniegts"}


def day(moment: datetime.datetime) -> str:
    return moment.astimezone(LATVIA).strftime("%d.%m.%Y.")


@functools.lru_cache(maxsize=512)
def epc_qr_svg(name: str, iban: str, amount: Decimal, reference: str | None) -> Markup:
    """The same EPC QR code as the runtime's, drawn once per payment (a developer who cares
    about speed keeps a 7 ms drawing, as the runtime does)."""
    code = segno.helpers.make_epc_qr(name=name, iban=iban, amount=amount, text=(reference or name)[:140])
    svg = code.svg_inline(scale=4, border=4, svgclass="payment-qr__code", lineclass=None)
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="QR kods pārskaitījumam {money(amount)}" ', 1))


def page_url(page: str | None) -> str:
    if page is None:
        return url_for("check", municipality_id=RIGA["id"])
    return url_for("question", municipality_id=RIGA["id"], page_id=page)


def municipality_or_404(municipality_id: str) -> None:
    if municipality_id != RIGA["id"]:
        abort(404)


# -- views -------------------------------------------------------------------------

def register(app: Flask) -> None:
    prefix = f"/<municipality_id>/{SERVICE}"

    @app.get("/_theme/<municipality_id>.css")
    def theme(municipality_id: str):
        municipality_or_404(municipality_id)
        css = f".site-header--themed{{background:{RIGA['colour']};color:#fff}}\n"
        response = Response(css, mimetype="text/css")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    @app.route("/signin/dev", methods=["GET", "POST"])
    def dev_signin():
        if request.method == "GET":
            return render_template("signin.html", form=CheckPage())
        code = request.form.get("personal_code", "").strip()
        given, surname = request.form.get("given_name", "").strip(), request.form.get("surname", "").strip()
        if not (given and surname and pvn.is_valid(code)):
            return render_template("signin.html", form=CheckPage(), error=True), 200
        session["person"] = {"personal_code": code, "given_name": given[:100], "surname": surname[:100]}
        return redirect(request.args.get("next") or "/")

    @app.get(f"{prefix}/")
    def service_start(municipality_id: str):
        municipality_or_404(municipality_id)
        return render_template("start.html", form=CheckPage())

    @app.post(f"{prefix}/start")
    def start(municipality_id: str):
        municipality_or_404(municipality_id)
        person = session.get("person") or {}
        token = secrets.token_urlsafe(32)
        draft = storage.Draft(id=uuid.uuid4(), municipality_id=municipality_id, answers={}, current_page=PAGES[0],
                              person_code_hash=person_hash(person.get("personal_code")),
                              resume_token_hash=hashlib.sha256(token.encode()).hexdigest())
        with db().begin() as s:
            s.add(draft)
        session["draft"] = str(draft.id)
        return redirect(page_url(PAGES[0]))

    @app.route(f"{prefix}/apply/<page_id>", methods=["GET", "POST"])
    def question(municipality_id: str, page_id: str):
        municipality_or_404(municipality_id)
        if page_id not in PAGES:
            abort(404)
        draft = load_draft()
        return {"owner": owner_page, "dogs": dogs_page, "address": address_page}[page_id](draft)

    def owner_page(draft: DraftRow):
        person = session.get("person") or {}
        stored = draft.answers.get("owner", {})
        form = OwnerPage(data={"owner_kind": draft.answers.get("owner_kind"), "owner": {
            **stored, "personal_code": person.get("personal_code"),
            "given_name": stored.get("given_name", person.get("given_name")),
            "surname": stored.get("surname", person.get("surname")),
            "pensioner": {True: "yes", False: "no"}.get(stored.get("pensioner"))}})
        summary = []
        if request.method == "POST":
            summary = form.check(person.get("personal_code"))
            if not summary:
                save_draft(draft, {**draft.answers, **form.answers()}, "dogs")
                return redirect(page_url("dogs"))
        return render_template("owner.html", form=form, summary=summary, owner_kinds=OWNER_KINDS,
                               disability_groups=DISABILITY_GROUPS, back_url=url_for("service_start", municipality_id=RIGA["id"]))

    def dogs_page(draft: DraftRow):
        form = DogsPage()
        dogs = draft.answers.get("dogs", [])
        summary = []
        if request.method == "POST" and form.validate():
            if request.form.get("add_entry") == "dogs":
                return redirect(url_for("entry", municipality_id=RIGA["id"], index=len(dogs)))
            if dogs:
                save_draft(draft, draft.answers, "address")
                return redirect(page_url("address"))
            summary = [("Norādiet vismaz vienu suni", "#dogs")]
        return render_template("dogs.html", form=form, dogs=dogs, summary=summary, back_url=page_url("owner"))

    @app.route(f"{prefix}/apply/dogs/dogs/<int:index>", methods=["GET", "POST"])
    def entry(municipality_id: str, index: int):
        municipality_or_404(municipality_id)
        draft = load_draft()
        dogs = list(draft.answers.get("dogs", []))
        if index > len(dogs) or index >= 20:
            abort(404)
        stored = dogs[index] if index < len(dogs) else {}
        born = stored.get("birth_date", "--").split("-")
        form = DogPage(data={"chip": stored.get("chip"), "name": stored.get("name"),
                             "sterilised": {True: "yes", False: "no"}.get(stored.get("sterilised")),
                             "birth_date": {"year": born[0], "month": born[1].lstrip("0"), "day": born[2].lstrip("0")}})
        summary = []
        if request.method == "POST":
            others = [d["chip"] for i, d in enumerate(dogs) if i != index]
            summary = form.check(today(), others)
            if not summary:
                dogs[index:index + 1] = [form.answers()]
                save_draft(draft, {**draft.answers, "dogs": dogs}, "dogs")
                return redirect(page_url("dogs"))
        return render_template("dog.html", form=form, summary=summary, index=index, back_url=page_url("dogs"))

    def address_page(draft: DraftRow):
        form = AddressPage(data={"kept_in_municipality": {True: "yes", False: "no"}.get(draft.answers.get("kept_in_municipality")),
                                 "keeping_address": draft.answers.get("keeping_address")})
        summary = []
        if request.method == "POST":
            summary = form.check()
            if not summary:
                answers = {**draft.answers, **form.answers()}
                if not answers["kept_in_municipality"]:
                    save_draft(draft, answers, "address")
                    return redirect(url_for("stop", municipality_id=RIGA["id"]))
                save_draft(draft, answers, ":check")
                return redirect(page_url(None))
        return render_template("address.html", form=form, summary=summary, back_url=page_url("dogs"))

    @app.get(f"{prefix}/stop")
    def stop(municipality_id: str):
        municipality_or_404(municipality_id)
        return render_template("stop.html", back_url=page_url("address"))

    @app.route(f"{prefix}/check", methods=["GET", "POST"])
    def check(municipality_id: str):
        municipality_or_404(municipality_id)
        if session.get("sent") and not session.get("draft"):
            return redirect(url_for("confirmation", municipality_id=RIGA["id"], reference=session["sent"]))
        draft = load_draft()
        answers = draft.answers
        if not all(key in answers for key in ("owner_kind", "dogs", "keeping_address")):
            return redirect(page_url(draft.current_page if draft.current_page in PAGES else "owner"))
        lines, total = fees(answers, today())
        form = CheckPage()
        declared = request.form.get("declaration") == "confirmed"
        if request.method == "POST" and form.validate() and declared:
            person = session.get("person") or {}
            with db().begin() as s:
                if s.execute(delete(storage.Draft).where(storage.Draft.id == draft.id)).rowcount != 1:
                    abort(410)
                reference = storage.next_reference(s, RIGA["id"], RIGA["code"], "SUN", today().year)
                submission = storage.Submission(reference=reference, municipality_id=RIGA["id"], answers=answers,
                                                fee_total=total, status="submitted", locale="lv",
                                                person_code_hash=person_hash(person.get("personal_code")))
                s.add(submission)
                s.flush()
                s.add(storage.OutboxJob(kind="render_application_pdf", payload={"submission_id": submission.id}))
            session.pop("draft", None)
            session["sent"] = reference
            return redirect(url_for("confirmation", municipality_id=RIGA["id"], reference=reference))
        posted = request.method == "POST"
        summary = [("Apstipriniet, ka sniegtā informācija ir patiesa", "#declaration")] if posted and not declared else []
        return render_template("check.html", form=form, answers=answers, lines=lines, total=total, summary=summary,
                               owner_kinds=dict(OWNER_KINDS), disability_groups=dict(DISABILITY_GROUPS),
                               declaration_error=posted and not declared, back_url=page_url("address"))

    @app.get(f"{prefix}/case/<reference>")
    def confirmation(municipality_id: str, reference: str):
        municipality_or_404(municipality_id)
        if session.get("sent") != reference:
            abort(404)
        with db()() as s:
            submission = s.execute(select(storage.Submission).where(storage.Submission.reference == reference)).scalar_one_or_none()
        if submission is None:
            abort(404)
        lines, total = fees(submission.answers, submission.submitted_at.astimezone(LATVIA).date())
        reference = "; ".join(line["reference"] for line in lines if line["amount"] > 0) or None
        qr = epc_qr_svg(RIGA["name"], RIGA["iban"], total, reference) if total > 0 else None
        return render_template("confirmation.html", submission=submission, lines=lines, total=total, qr=qr)

    @app.get("/my/")
    def my_applications():
        code_hash = person_hash((session.get("person") or {}).get("personal_code"))
        if code_hash is None:
            return redirect(url_for("dev_signin", next="/my/"))
        with engine().connect() as connection:
            submissions = connection.execute(_MY_SUBMISSIONS, {"code_hash": code_hash}).all()
            drafts = connection.execute(_MY_DRAFTS, {"code_hash": code_hash}).all()
        return render_template("my.html", submissions=submissions, drafts=drafts, statuses=STATUSES, day=day)
