"""Caches that live on the immutable compiled object they describe: a field of a compiled
service, a service bound to a municipality, a municipality.

An entry lives and dies with its object. A replaced catalogue takes its rendered markup
with it (a module-level dictionary would keep every replaced catalogue alive until a size
limit cleared it, and a limit smaller than the catalogue clears itself all the time), and
no entry can ever be found for another object that happens to get the same `id()` after
garbage collection. The key inside is made of stable values only (language, mount point,
page id...). Frozen dataclasses forbid attribute assignment, not their `__dict__`; their
equality and hash look at their fields only, so a kept dictionary changes neither."""
from __future__ import annotations

from typing import Any


def kept_on(owner: Any, name: str) -> dict:
    """The dictionary called `name` kept on `owner`, made empty on first use. Two threads
    asking at once get the same one (`setdefault` is atomic); two threads filling the same
    entry at once both compute the same value, and either may stay."""
    found = owner.__dict__.get(name)
    if found is None:
        found = owner.__dict__.setdefault(name, {})
    return found
