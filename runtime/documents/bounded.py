"""Run a function in a forked child process with a bound on its time and memory.

An admin-written template is data, but Jinja compiles it to Python that can loop for
hours (`{% for i in range(99999) %}{% for j in range(99999) %}`) or fill memory
(`'a'|center(10**9)`); the sandbox stops unsafe attributes, not cost. So the render runs
in a child forked for it (copy-on-write: nothing is pickled on the way in) with
`RLIMIT_CPU` and `RLIMIT_AS` set, and the parent waits at most a wall-clock deadline
and kills it then. The result (text) comes back through a pipe.

Only POSIX (Linux, macOS): where `os.fork` is missing the function runs in-process
without bounds, which `BOUNDED` says.
"""
from __future__ import annotations

import json
import os
import resource
import select
import signal
import time
from typing import Callable

BOUNDED = hasattr(os, "fork")
MAX_RESULT_BYTES = 20 * 1024 * 1024


class LimitExceeded(Exception):
    """The function ran out of time or memory, or died; the message says which."""


class Refused(Exception):
    """Raised by the function in the child for an expected refusal: its message is
    handed to the parent unchanged."""


def run_bounded(function: Callable[[], str], *, seconds: float, memory_bytes: int) -> str:
    """`function()` computed in a child process; `Refused` (with the child's message)
    or `LimitExceeded`."""
    if not BOUNDED:
        return function()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                        # the child: never returns
        os.close(read_end)
        _child(function, write_end, seconds, memory_bytes)
    os.close(write_end)
    try:
        data = _read_until(read_end, pid, time.monotonic() + seconds + 1)
    except LimitExceeded:
        _reap(pid)
        raise
    finally:
        os.close(read_end)
    return _result(data, _reap(pid))


def _child(function: Callable[[], str], write_end: int, seconds: float, memory_bytes: int) -> None:
    try:
        cpu = max(1, int(seconds + 0.999))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_bytes,) * 2)
        try:
            answer = _answer(function)
            encoded = json.dumps(answer).encode("utf-8")
        except MemoryError:
            encoded = json.dumps({"limit": "it needed more memory than a document may use"}).encode()
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(encoded)
    finally:
        os._exit(0)


def _answer(function: Callable[[], str]) -> dict[str, str]:
    try:
        result = function()
    except Refused as refusal:
        return {"refused": str(refusal)}
    if len(result) > MAX_RESULT_BYTES:
        return {"limit": "its result is larger than a document may be"}
    return {"ok": result}


def _address_space() -> int:
    """The child's mapped memory now (it starts as a copy of the parent's)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _read_until(read_end: int, pid: int, deadline: float) -> bytes:
    chunks, size = [], 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            raise LimitExceeded("it took longer than a document may take")
        ready, _, _ = select.select([read_end], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_end, 65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESULT_BYTES:
            os.kill(pid, signal.SIGKILL)
            raise LimitExceeded("its result is larger than a document may be")
        chunks.append(chunk)


def _reap(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return status


def _result(data: bytes, status: int) -> str:
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
        raise LimitExceeded("it took longer than a document may take")
    try:
        answer = json.loads(data.decode("utf-8"))
    except ValueError:
        raise LimitExceeded("it stopped before it finished") from None
    if "refused" in answer:
        raise Refused(answer["refused"])
    if "limit" in answer:
        raise LimitExceeded(answer["limit"])
    return answer["ok"]
