"""Every publisher, in one explicit list (no discovery by import side effects)."""
from __future__ import annotations

from . import catalogue, div, opendata, pspp
from .contract import Registry

REGISTRY = Registry([catalogue.PUBLISHER, div.PUBLISHER, opendata.PUBLISHER, pspp.PUBLISHER])
