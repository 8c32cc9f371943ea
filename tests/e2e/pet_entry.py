"""The way to a new pet entry of the example pet registration, as a person with a
pensioner's discount in the centre district: where the reveal and language-switch tests
begin."""
from __future__ import annotations

from . import flow

PETS = "/riga/example-pet-registration"


def at_new_pet(page, query: str = "") -> None:
    """From the start page (`query` appended to its address) to an empty first pet entry."""
    page.goto(f"{PETS}/{query}")
    flow.go(page.locator("main form button[type=submit]").first)
    page.check("input[name=applicant_kind][value=person]")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    for name, value in (("owner-personal_code", "010190-15267"), ("owner-given_name", "Jānis"),
                        ("owner-surname", "Bērziņš"), ("owner-email", "j@example.lv"),
                        ("owner-address", "Brīvības iela 1, Rīga")):
        page.fill(f"input[name={name}]", value)
    page.check("input[name=owner-pensioner][value=yes]")
    page.check("input[name=owner-district][value=centre]")
    flow.go(page.locator("main form .button-group button[type=submit]"))
    flow.go(page.locator('button[name=add_entry][value=pets]'))
    assert page.url.endswith("/apply/pets/pets/0"), page.url
