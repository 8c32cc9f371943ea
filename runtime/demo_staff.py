"""Demo staff accounts for `scripts/run` (`pkip serve` in development), so that a newcomer
can follow a case from the resident's application to the clerk's inbox and the
commission's decision. Only ever in development: `create_demo_staff` refuses any other
environment, and nothing else calls it."""
from __future__ import annotations

from typing import Any

from .cases.access import CLERK, COMMISSION_MEMBER, FINANCE, MUNICIPAL_ADMIN
from .cases.staff_accounts import Grant, create_user
from .config import Settings
from .storage.database import Database

# A known password is the point here: the accounts exist only on a developer's machine.
DEMO_PASSWORD = "demo-password-2026"
DEMO_STAFF = (
    ("clerk.riga@demo.invalid", "Rita Kļava (demo)", Grant(CLERK, "riga", "environment")),
    # the green-areas commission of Riga (its overlay's `commissions:`): three members
    ("commission.riga@demo.invalid", "Juris Ozols (demo)", Grant(COMMISSION_MEMBER, "riga", "environment")),
    ("commission2.riga@demo.invalid", "Daina Priede (demo)", Grant(COMMISSION_MEMBER, "riga", "environment")),
    ("commission3.riga@demo.invalid", "Kārlis Vītols (demo)", Grant(COMMISSION_MEMBER, "riga", "environment")),
    ("finance.riga@demo.invalid", "Marta Lapa (demo)", Grant(FINANCE, "riga")),
    ("admin.riga@demo.invalid", "Inese Liepa (demo)", Grant(MUNICIPAL_ADMIN, "riga")),
    # Cēsu novads offers no tree felling yet: its clerk and its preschool admission commission work education
    ("clerk.cesis@demo.invalid", "Līga Egle (demo)", Grant(CLERK, "cesu-novads", "education")),
    ("commission.cesis@demo.invalid", "Andris Bērzs (demo)", Grant(COMMISSION_MEMBER, "cesu-novads", "education")),
    ("commission2.cesis@demo.invalid", "Ilze Kalna (demo)", Grant(COMMISSION_MEMBER, "cesu-novads", "education")),
)


class NotDevelopment(RuntimeError):
    """Demo accounts were asked for outside development."""


def create_demo_staff(settings: Settings, database: Database, catalogue: Any) -> list[str]:
    """Create (or keep) the demo accounts; the lines telling how to sign in."""
    if settings.env != "development":
        raise NotDevelopment(f"demo staff accounts exist only in development, not in {settings.env}")
    lines = ["Demo staff accounts (development only), sign in at /staff/signin "
             f"with the password {DEMO_PASSWORD}:"]
    for email, name, grant in DEMO_STAFF:
        if grant.municipality_id not in catalogue.municipalities:
            continue
        create_user(database, catalogue, email=email, name=name, grant=grant, password=DEMO_PASSWORD)
        where = "/".join(part for part in (grant.municipality_id, grant.institution_id) if part)
        lines.append(f"  {email:32} {grant.role} {where}")
    return lines
