"""Commissions in municipality overlays: what each decides, checked against the compiled
services (E607).

    commissions:
      green_areas:
        name: {lv: Apstādījumu komisija, en: Green areas commission}
        institution: environment
        decides:
          - {service: tree-felling-permit, state: commission}

A commission decides a service's cases while they are in `state`, by the steps from there
that the service gives to a commission role (`by: [commission]`, or a named one such as
`admission_commission`). The runtime offers those steps as the motions of a session's
agenda (`runtime.cases.commissions`).
"""
from __future__ import annotations

from typing import Mapping

from .model import Municipality, Service, Transition
from .problems import Problems, did_you_mean

COMMISSION_ROLE = "commission"


def is_commission_role(process_role: str) -> bool:
    """`commission`, or a named one such as `admission_commission`."""
    return process_role == COMMISSION_ROLE or process_role.endswith("_" + COMMISSION_ROLE)


def commission_steps(service: Service, state: str) -> tuple[Transition, ...]:
    """The steps from `state` that the service gives to a commission role."""
    if service.process is None:
        return ()
    return tuple(t for t in service.process.transitions_from(state) if any(is_commission_role(r) for r in t.by))


def check_commissions(municipality: Municipality, services: Mapping[str, Service], problems: Problems,
                      positions: Mapping[tuple, tuple[int, int]], broken: frozenset[str] = frozenset()) -> None:
    """Each commission's institution exists, and each service and state it decides has a
    step for a commission to make (E607)."""
    def report(message: str, node: tuple) -> None:
        while node and node not in positions:
            node = node[:-1]
        problems.add("E607", message, municipality.source_path, *positions.get(node, (1, 1)))

    for cid, commission in municipality.commissions.items():
        here = ("commissions", cid)
        if commission.institution not in municipality.institutions:
            report(f'commissions.{cid}.institution: no institution "{commission.institution}" in `institutions`.'
                   f'{did_you_mean(commission.institution, municipality.institutions)}', here + ("institution",))
        for index, remit in enumerate(commission.decides):
            _check_remit(report, f"commissions.{cid}.decides[{index}]", here + ("decides", index), remit,
                         services, broken)


def _check_remit(report, where: str, node: tuple, remit, services: Mapping[str, Service],
                 broken: frozenset[str]) -> None:
    service = services.get(remit.service)
    if service is None:
        if remit.service not in broken:
            report(f'{where}.service: no service "{remit.service}" in definitions/services.'
                   f'{did_you_mean(remit.service, services)}', node + ("service",))
        return
    states = service.process.states if service.process is not None else {}
    if remit.state not in states:
        report(f'{where}.state: the process of "{remit.service}" has no state "{remit.state}".'
               f'{did_you_mean(remit.state, states)}', node + ("state",))
    elif not commission_steps(service, remit.state):
        report(f'{where}.state: "{remit.service}" gives no step from "{remit.state}" to a commission '
               f'(by: [commission]); name the state where its cases wait for the commission', node + ("state",))
