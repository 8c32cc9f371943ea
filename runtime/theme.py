"""A municipality's look: its colour as CSS custom properties and its coat of arms.

The colour is served as a small same-origin stylesheet (`/_theme/<id>.css`) because the
Content-Security-Policy forbids inline styles. The text colour on the brand colour is
chosen to keep a contrast of at least 4.5:1 (WCAG 2.1 AA).
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Mapping

DEFAULT_COLOUR = "#1d5b8c"
DARK_TEXT = "#0b0c0c"
LIGHT_TEXT = "#ffffff"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SAFE_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*\.svg$")


def relative_luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i:i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def brand_colour(theme: Mapping[str, Any]) -> str:
    colour = str(theme.get("colour") or "")
    return colour.lower() if COLOUR.match(colour) else DEFAULT_COLOUR


def text_colour_on(background: str) -> str:
    return LIGHT_TEXT if contrast_ratio(background, LIGHT_TEXT) >= 4.5 else DARK_TEXT


def theme_stylesheet(theme: Mapping[str, Any]) -> str:
    brand = brand_colour(theme)
    return f":root {{\n  --brand: {brand};\n  --brand-text: {text_colour_on(brand)};\n}}\n"


def coat_of_arms_file(municipality: Any, static_folder: str | None) -> str | None:
    """`coats/<file>` under the static folder when that file exists, else None."""
    name = str((municipality.theme or {}).get("coat_of_arms") or f"{municipality.id}.svg")
    if not static_folder or not SAFE_FILE_NAME.match(name):
        return None
    return f"coats/{name}" if _is_file(static_folder, name) else None


@functools.lru_cache(maxsize=256)
def _is_file(static_folder: str, name: str) -> bool:
    """Whether the coat of arms exists; asked once per process, not on every page (the
    static files change only with a release)."""
    return (Path(static_folder) / "coats" / name).is_file()
