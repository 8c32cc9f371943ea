"""Identifiers shared by the publishers: a service's id in the national catalogue is the
same in its card (latvija.lv) and in every status event (PSPP)."""
from __future__ import annotations


def catalogue_service_id(municipality_id: str, service_id: str) -> str:
    return f"pkip.{municipality_id}.{service_id}"
