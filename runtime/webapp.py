"""The Flask app class: Flask's own, with a cheaper `ensure_sync`.

Flask passes every view, before-request, after-request and teardown function through
`ensure_sync` on every request, which asks `inspect.iscoroutinefunction` (about a dozen
Python-level calls: a request's hooks and view cost some 70). Every one of the runtime's
is a plain `def`, told by its code's flags in C; anything else (a method, a partial, an
async function, a function marked as a coroutine function) still goes the general way."""
from __future__ import annotations

import inspect
from types import FunctionType
from typing import Any, Callable

from flask import Flask

# Python 3.12's `inspect.markcoroutinefunction` marks a plain function as a coroutine function
_MARKER = "_is_coroutine_marker"


class RuntimeFlask(Flask):
    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """`Flask.ensure_sync(func)`: a plain function whose code is no coroutine's is returned
        as it is, as Flask's returns it."""
        if type(func) is FunctionType and not func.__code__.co_flags & inspect.CO_COROUTINE \
                and getattr(func, _MARKER, None) is None:
            return func
        return super().ensure_sync(func)
