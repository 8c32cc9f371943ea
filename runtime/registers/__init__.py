"""Register look-ups: the providers that answer a definition's `lookups:` (builder.registers
lists the registers and what each answers), one per register, in an explicit registry.

A provider is plain data in, plain data out, and knows nothing of Flask, the database or
the engine, so any part of the platform can use it (a population-register look-up of a
parent's children for "acting for a child", too):

    class Provider(Protocol):
        register: str                                        # a builder.registers id
        def lookup(self, key: str, timeout: float) -> Mapping | None: ...

`lookup` returns the register's members for `key` (`{"name": ..., "active": true}`), None
when the register does not know the key, and raises (any exception, or `RegisterUnavailable`)
when it cannot answer. `ask` gives each call `timeout` seconds and no more: a provider that
is slower or fails is "unavailable", and the resident goes on (manual entry) or is told to
try again, never an error page; `ask_one(registry, "population_children", code)` asks one key outside
a form (plain `RegisterAnswer(status, data)` back). Answers are kept in memory for a few minutes (a down
register for less), never written to logs: the keys are personal codes and registration
numbers.
"""
from __future__ import annotations

from .registry import Provider, Registry, RegisterUnavailable, ask, ask_one

__all__ = ["Provider", "Registry", "RegisterUnavailable", "ask", "ask_one"]
