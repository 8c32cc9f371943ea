"""Admin-written document templates (`definitions/templates/*.html`, named by a service's
`documents`) run in Jinja's immutable sandbox with autoescaping.

The sandbox refuses access to private and internal attributes (`''.__class__`,
`func.__globals__`, ...) and to methods that change data; a template only reads the
variables it is given:

    service, municipality, case {reference, submitted_at}, answers, computed, params,
    fees, language, and label(field_path, value) for a choice's label.

The cost of a render is bounded too: `*` and `**` refuse results beyond a document's
size (`'a' * 20000000`, `10 ** 100000`), an oversized `range` is a refusal rather than
an OverflowError, and the render runs in a child process with limits on its CPU time,
memory and wall-clock time (`bounded.run_bounded`), so a loop of loops or a filter that
allocates a gigabyte ends as `TemplateRefused`, never as a stuck or killed worker.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from jinja2 import FileSystemLoader, select_autoescape
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from builder.doctemplates import choice_labeller  # noqa: F401  (one labeller: pkip validate renders with it too)

from .bounded import LimitExceeded, Refused, run_bounded

__all__ = ["sandboxed_environment", "render_admin_template", "TemplateRefused", "SecurityError"]
RENDER_SECONDS = 5.0
RENDER_MEMORY_BYTES = 256 * 1024 * 1024
MAX_SEQUENCE = 1_000_000         # characters or items a `*` may produce
MAX_POWER_DIGITS = 1000


class TemplateRefused(Exception):
    """The template is missing, broken or tried something the sandbox forbids."""


class StrictSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox returns an empty value for a forbidden attribute; ours stops the
    template instead, so that an attempt is an error the admin sees, never silence."""

    intercepted_binops = frozenset(["*", "**"])

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        raise SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__} is not allowed")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            _check_repetition(left, right)
            _check_repetition(right, left)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def _check_repetition(sequence: Any, count: Any) -> None:
    if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > MAX_SEQUENCE:
        raise SecurityError(f"the result of * would be longer than {MAX_SEQUENCE} items")


def _check_power(base: Any, exponent: Any) -> None:
    if isinstance(base, (int, float)) and isinstance(exponent, (int, float)) and abs(base) > 1:
        import math
        if exponent * math.log10(abs(base)) > MAX_POWER_DIGITS:
            raise SecurityError(f"the result of ** would have more than {MAX_POWER_DIGITS} digits")


def sandboxed_environment(templates_folder: str | Path) -> ImmutableSandboxedEnvironment:
    return StrictSandbox(
        loader=FileSystemLoader(str(templates_folder)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True, lstrip_blocks=True,
    )


def render_admin_template(environment: ImmutableSandboxedEnvironment, name: str,
                          variables: Mapping[str, Any], *, seconds: float = RENDER_SECONDS,
                          memory_bytes: int = RENDER_MEMORY_BYTES) -> str:
    """The rendered template, or `TemplateRefused` (missing, broken, unsafe, too costly).
    Compiling is bounded as well: Jinja folds constants (`'a' | center(10**10)`) then."""
    try:
        return run_bounded(lambda: _render(environment, name, variables), seconds=seconds,
                           memory_bytes=memory_bytes)
    except Refused as refusal:
        raise TemplateRefused(str(refusal)) from None
    except LimitExceeded as limit:
        raise TemplateRefused(f"template {name}: stopped, {limit}") from None


def _render(environment: ImmutableSandboxedEnvironment, name: str, variables: Mapping[str, Any]) -> str:
    try:
        return environment.get_template(name).render(**variables)
    except SecurityError as error:
        raise Refused(f"template {name}: the sandbox refused: {error}") from None
    except (TemplateError, OverflowError, RecursionError, ArithmeticError, ValueError, TypeError) as error:
        raise Refused(f"template {name}: {type(error).__name__}: {error}") from None
