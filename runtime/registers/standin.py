"""The local stand-in for the national registers (development and testing): answers from
made-up records (standin.json), "not found" for any other key. It can be told to be slow
or down, so that tests and demonstrations show what a resident sees when a register does
not answer."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Mapping

from builder.identifiers import personal_code_digits

from .registry import RegisterUnavailable

RECORDS = Path(__file__).with_name("standin.json")
PERSON_REGISTERS = ("population_register", "population_children", "enterprise_representatives")


class StandinRegister:
    def __init__(self, register: str, records: Mapping[str, Mapping[str, Any]], *, delay: float = 0.0,
                 down: bool = False):
        self.register, self.delay, self.down = register, delay, down
        self._records = {self._normal(key): dict(value) for key, value in records.items()}

    def lookup(self, key: str, timeout: float) -> Mapping[str, Any] | None:
        if self.down:
            raise RegisterUnavailable(self.register)
        if self.delay:
            time.sleep(min(self.delay, timeout + 1.0))
        return self._records.get(self._normal(key))

    def _normal(self, key: str) -> str:
        """A personal code with or without its dash is one person."""
        return personal_code_digits(key) if self.register in PERSON_REGISTERS else key.strip()


def standin_registers(path: Path = RECORDS) -> list[StandinRegister]:
    """One stand-in per register of the records file."""
    records = json.loads(path.read_text(encoding="utf-8"))
    return [StandinRegister(register, entries) for register, entries in records.items() if not register.startswith("_")]
