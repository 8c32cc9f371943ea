"""The registry of register providers and `ask`, which puts each call under a timeout and
keeps recent answers (see the package's docstring)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from typing import Callable, Iterable, Mapping, Protocol

from builder.engine.lookups import LookupRequest
from builder.registers import FOUND, NOT_FOUND, REGISTERS, UNAVAILABLE, RegisterAnswer

ANSWER_SECONDS = 300.0      # how long a found / not-found answer is reused
DOWN_SECONDS = 30.0         # how long "unavailable" is, so a down register does not slow every page


class RegisterUnavailable(Exception):
    """The register cannot answer now (down, refused, too slow)."""


class Provider(Protocol):
    register: str

    def lookup(self, key: str, timeout: float) -> Mapping | None: ...


class Registry:
    """One provider per register, named explicitly; a second one for a register is refused
    (two answers to one question would be a configuration mistake, not a choice)."""

    def __init__(self, providers: Iterable[Provider] = (), *, timeout: float = 3.0,
                 clock: Callable[[], float] = time.monotonic):
        self.timeout, self._clock = timeout, clock
        self._providers: dict[str, Provider] = {}
        self._answers: dict[tuple[str, str], tuple[float, RegisterAnswer]] = {}
        self._lock = threading.Lock()
        for provider in providers:
            self.add(provider)

    def add(self, provider: Provider) -> None:
        if provider.register not in REGISTERS:
            raise ValueError(f"no register {provider.register!r} in builder.registers")
        if provider.register in self._providers:
            raise ValueError(f"a provider for {provider.register!r} is already registered")
        self._providers[provider.register] = provider

    def provider(self, register: str) -> Provider | None:
        return self._providers.get(register)

    def remembered(self, register: str, key: str) -> RegisterAnswer | None:
        with self._lock:
            found = self._answers.get((register, key))
            return found[1] if found is not None and found[0] > self._clock() else None

    def remember(self, register: str, key: str, answer: RegisterAnswer) -> None:
        seconds = DOWN_SECONDS if answer.status == UNAVAILABLE else ANSWER_SECONDS
        with self._lock:
            self._answers[(register, key)] = (self._clock() + seconds, answer)


_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="register")


def ask(registry: Registry, requests: Iterable) -> dict[tuple[str, str], RegisterAnswer]:
    """{(register, key): answer} for each request (`register`, `key`): remembered, else asked
    of its provider in parallel, each within the registry's timeout. A register without a
    provider is unavailable."""
    answers: dict[tuple[str, str], RegisterAnswer] = {}
    pending = {}
    for request in requests:
        wanted = (request.register, request.key)
        remembered = registry.remembered(*wanted)
        provider = registry.provider(request.register)
        if remembered is not None:
            answers[wanted] = remembered
        elif provider is None:
            answers[wanted] = RegisterAnswer(UNAVAILABLE)
        elif wanted not in pending:
            pending[wanted] = _POOL.submit(provider.lookup, request.key, registry.timeout)
    deadline = time.monotonic() + registry.timeout
    for wanted, future in pending.items():
        answers[wanted] = _answer(future, max(0.0, deadline - time.monotonic()))
        registry.remember(*wanted, answers[wanted])
    return answers


def ask_one(registry: Registry, register: str, key: str) -> RegisterAnswer:
    """What `register` says of one key (a parent's children for "acting for a child"), under
    the same timeout and memory as the look-ups of a form."""
    return ask(registry, [LookupRequest("", register, key)])[(register, key)]


def _answer(future, timeout: float) -> RegisterAnswer:
    try:
        data = future.result(timeout=timeout)
    except FutureTimeout:
        future.cancel()
        return RegisterAnswer(UNAVAILABLE)
    except Exception:       # noqa: BLE001 - whatever a provider raises, the register did not answer
        return RegisterAnswer(UNAVAILABLE)
    if data is None:
        return RegisterAnswer(NOT_FOUND)
    return RegisterAnswer(FOUND, dict(data)) if isinstance(data, Mapping) else RegisterAnswer(UNAVAILABLE)
