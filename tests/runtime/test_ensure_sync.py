"""`RuntimeFlask.ensure_sync` (runtime/webapp.py) returns what Flask's own does: every
registered view and hook of the app as it is, and an async function, a partial or method
of one, and a function marked as a coroutine function wrapped by Flask."""
from __future__ import annotations

import functools
import inspect

import pytest
from flask import Flask

from runtime.webapp import RuntimeFlask

from .resident_support import make_app


@pytest.fixture
def app(tmp_path):
    application = make_app({"instance_path": str(tmp_path / "instance"), "env": "testing", "auto_upgrade": True,
                            "database_url": f"sqlite:///{tmp_path / 'sync.sqlite3'}", "rate_limits": "off"})
    yield application
    application.extensions["pkip"].database.dispose()


def registered(app) -> list:
    found = list(app.view_functions.values())
    for hooks in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                  app.url_value_preprocessors, app.template_context_processors):
        for functions in hooks.values():
            found.extend(functions)
    return found


def test_every_registered_function_is_returned_as_flask_returns_it(app):
    assert isinstance(app, RuntimeFlask)
    functions = registered(app)
    assert len(functions) > 50
    for function in functions:
        assert app.ensure_sync(function) is Flask.ensure_sync(app, function) is function, function


async def _answer(value):
    return value


class _Holder:
    async def answer(self, value):
        return value

    def plain(self, value):
        return value


def _marked(value):
    return value


@pytest.mark.parametrize("function", [
    _answer, functools.partial(_answer, 1), _Holder().answer, functools.wraps(_answer)(lambda value: value),
])
def test_an_async_function_is_wrapped_as_flask_wraps_it(app, function):
    """What Flask's `ensure_sync` wraps (its `async_to_sync`, which needs asgiref: not
    installed, so both raise the same), the fast path does not return as it is."""
    def outcome(call):
        try:
            return ("wrapped", call(function) is not function)
        except RuntimeError as error:
            return ("refused", str(error))
    expected = outcome(lambda f: Flask.ensure_sync(app, f))
    assert outcome(app.ensure_sync) == expected
    assert expected[0] == "refused" or expected[1] or not inspect.iscoroutinefunction(function)


def test_a_function_marked_as_a_coroutine_function_goes_flasks_way(app):
    marked = functools.partial(_marked)
    plain = _Holder().plain
    for function in (marked, plain, len, _Holder):
        assert app.ensure_sync(function) is Flask.ensure_sync(app, function)
    if hasattr(inspect, "markcoroutinefunction"):       # Python 3.12 and later
        def flagged(value):
            return value
        inspect.markcoroutinefunction(flagged)
        assert app.ensure_sync(flagged) is not flagged


def test_a_coroutine_function_is_not_returned_as_it_is(app):
    """The fast path's own condition: it fails if the code's flags were not read."""
    try:
        returned = app.ensure_sync(_answer)
    except RuntimeError:        # Flask's async_to_sync without asgiref
        return
    assert returned is not _answer
