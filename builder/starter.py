"""The starter definition `pkip new` writes: valid, small, with one passing test, and
commented so that an admin can grow it into a real service."""
from __future__ import annotations

import re

SERVICE_ID = re.compile(r"^[a-z][a-z0-9-]*$")

TEMPLATE = """\
# yaml-language-server: $schema=../../builder/schema/service.schema.json
# A new service. Check it with `pkip validate` and run its tests with `pkip test`.
# The language is described in docs/language.md.
format: 1
service:
  id: {service_id}
  code: {code}
  version: 0.1.0
  title: {{lv: "{title}", en: "{title}"}}
  summary: {{lv: "Īss pakalpojuma apraksts.", en: "A short description of the service."}}
  audience: [person]
  processing_days: 10

parameters:
  fee: {{type: money, default: "0.00", label: {{lv: Maksa, en: Fee}}}}

fields:
  applicant:
    type: group
    label: {{lv: Iesniedzējs, en: Applicant}}
    fields:
      personal_code: {{type: personal_code, prefill: person.personal_code, label: {{lv: Personas kods, en: Personal code}}}}
      email: {{type: email, label: {{lv: E-pasts, en: Email}}}}
  request:
    type: long_text
    max_length: 2000
    label: {{lv: Pieprasījums, en: Request}}

pages:
  - {{id: applicant, title: {{lv: Iesniedzējs, en: Applicant}}, fields: [applicant]}}
  - {{id: request, title: {{lv: Pieprasījums, en: Request}}, fields: [request]}}

fees:
  lines:
    - {{id: fee, label: {{lv: Maksa, en: Fee}}, amount: param.fee}}

routing:
  to: council

tests:
  - name: a complete application is valid
    context: {{municipality: {municipality}, today: 2026-01-15}}
    answers:
      applicant: {{personal_code: "010190-15267", email: vards@example.lv}}
      request: Lūdzu izskatīt manu pieprasījumu.
    expect: {{valid: true, fee_total: "0.00", route: council, pages: [applicant, request]}}
"""


def starter_definition(service_id: str, municipality: str) -> str | None:
    """The starter YAML for `service_id`, tested against `municipality`; None if the id is bad."""
    if not SERVICE_ID.match(service_id):
        return None
    letters = re.sub(r"[^a-z0-9]", "", service_id).upper()
    code = (letters[:4] or "NEW").ljust(2, "X")
    title = service_id.replace("-", " ").capitalize()
    return TEMPLATE.format(service_id=service_id, code=code, title=title, municipality=municipality)
