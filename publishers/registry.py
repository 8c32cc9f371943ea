"""Every publisher, in one explicit list (no discovery by import side effects)."""
from __future__ import annotations

from . import catalogue, div, pspp
from .contract import Registry

REGISTRY = Registry([catalogue.PUBLISHER, div.PUBLISHER, pspp.PUBLISHER])
