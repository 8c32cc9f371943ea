"""Filing an application for a resident by machine (issue 15 part 8): a client-service
centre's system (VPVKAC) sends the answers as JSON; the same engine as on a resident's
submit decides, and its problems come back as JSON (422). The resident is the applicant:
read-only fields that the form prefills from the signed-in person (`person.*`) are set
from `applicant`, whatever the answers say, as the form does. An `Idempotency-Key`
header is required: the same key gives the same case again (200, `replayed`). Files come
inline at their field's place: `{"filename": ..., "content_base64": ...}` (`inline_files.py`)."""
from __future__ import annotations

from flask import request

from builder.engine import issue_text
from builder.overlay import municipality_variables

from ...cases.access import SCOPE_SUBMIT, Actor, may_apply
from ...cases.machine_submitting import (
    ApplicationInvalid, FileRefused, KeyReused, MachineApplication, file_application, request_digest,
)
from ...i18n import gettext as _
from ...identity import display_personal_code, normalise_personal_code, person_code_hash
from ...state import runtime_state
from ...sync import current_version_id
from ...uploads import rejection_message
from ..actor import current_clock
from ..resident.answers import locked_fields, with_values
from . import api, caller
from .inline_files import inline_files
from .problems import ApiProblem, not_found
from .schemas import ApplicationCreated, ApplicationRequest, FieldProblem, IdempotencyHeaders
from .spec import ApiResponse, documented

CHANNELS = ("in-person",)
PATHS = {"municipality_id": "The municipality's id (`riga`), the token's own",
         "service_id": "The service's id (`tree-felling-permit`), as the municipality offers it"}


@api.post("/<municipality_id>/<service_id>/applications")
@documented(json=ApplicationRequest, headers=IdempotencyHeaders,
            resp=ApiResponse(HTTP_201=ApplicationCreated, HTTP_200=ApplicationCreated),
            tags=["applications"], path_parameter_descriptions=PATHS)
def file_for_resident(municipality_id: str, service_id: str):
    """File an application for a resident (channel `in-person`); 201 with the case, or 422 with the engine's problems."""
    who = caller(SCOPE_SUBMIT, municipality_id)
    body: ApplicationRequest = request.context.json
    key = request.context.headers.idempotency_key
    state = runtime_state()
    effective = state.catalogue.effective(municipality_id, service_id)
    if effective is None:
        raise not_found(_("The municipality does not offer this service."))
    digits = normalise_personal_code(body.applicant.personal_code)
    if digits is None:
        raise invalid([FieldProblem(location="applicant.personal_code", code="invalid",
                                    message=_("This is not a valid personal code."))])
    applicant = Actor(person_hash=person_code_hash(digits))      # for themselves, as the policy reads it
    if not may_apply(applicant, effective.service.audience):
        raise invalid([FieldProblem(location="applicant", code="audience",
                                    message=_("This service is not for residents applying for themselves."))])
    files, unreadable = inline_files(effective.service.fields, body.answers)
    if unreadable:
        raise invalid(unreadable)
    with state.database.transaction() as session:
        version_id = current_version_id(session, effective.service)
    if version_id is None:
        raise not_found(_("The service is not available yet."))
    person = {"personal_code": display_personal_code(digits), "given_name": body.applicant.given_name,
              "surname": body.applicant.surname}
    sources = {"person": person, "municipality": municipality_variables(effective.municipality, body.language)}
    application = MachineApplication(
        effective=effective, version_id=version_id,
        answers=with_values(body.answers, locked_fields(effective.service, sources)), person=person,
        person_hash=applicant.person_hash, channel=CHANNELS[0], language=body.language, files=tuple(files))
    try:
        filed = file_application(state.database, state.settings, application, actor=who.actor, clock=current_clock(),
                                 client=who.grant.client, key=key,
                                 digest=request_digest({"service": service_id, **body.model_dump(mode="json")}))
    except KeyReused:
        raise ApiProblem(422, "idempotency_key_reused", _("This key was used for another application"),
                         _("Each application needs its own Idempotency-Key.")) from None
    except ApplicationInvalid as refused:
        raise invalid(problems_of(refused.outcome, body.language)) from None
    except FileRefused as refused:
        raise invalid([FieldProblem(location=refused.path, code=refused.rejection.message_key,
                                    message=rejection_message(refused.rejection))]) from None
    case = filed.submission
    warnings = problems_of(filed.outcome, body.language, warnings=True) if filed.outcome else []
    created = ApplicationCreated(
        reference=case.reference, municipality=municipality_id, service=service_id, status=case.status,
        channel=case.channel, institution=case.institution_id, fee_total=str(case.fee_total), due_on=case.due_on,
        warnings=warnings, replayed=filed.replayed)
    return created, 200 if filed.replayed else 201


def invalid(errors: list[FieldProblem]) -> ApiProblem:
    return ApiProblem(422, "invalid_answers", _("The answers are not complete or not valid"),
                      _("Correct what each error names and send the application again."), errors)


def problems_of(outcome, language: str, *, warnings: bool = False) -> list[FieldProblem]:
    """The engine's issues as the form shows them: where, the rule (or `invalid`), the words."""
    issues = outcome.warnings if warnings else (*outcome.errors, *((outcome.stop,) if outcome.stop else ()))
    return [FieldProblem(location=issue.key, code=issue.rule or issue.severity, message=issue_text(issue, language))
            for issue in issues]
