"""Colours as staff type them, and their contrast as WCAG 2 measures it."""

from __future__ import annotations

import re

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# WCAG 2.x level AA: body text, and the edges of controls and bars against what surrounds them.
TEXT_CONTRAST = 4.5
GRAPHIC_CONTRAST = 3.0


def parse_color(text: str) -> str:
    """``#abc``, ``abc`` or ``#AABBCC`` as ``#aabbcc``; anything else is a ``ValueError``."""
    match = _HEX.match(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a colour: use a hex code such as #b3261e")
    digits = match.group(1).lower()
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return f"#{digits}"


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """Relative luminance of a ``#rrggbb`` colour, from 0 (black) to 1 (white)."""
    red, green, blue = (_linear(int(color[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
