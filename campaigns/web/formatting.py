"""Template filters that turn stored values into words people read."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask import Flask
from markupsafe import Markup, escape

from ..money import exponent, format_money, major_text

LOCALE = "en_US"


def money(minor: int, currency: str, *, whole: bool = False) -> str:
    return format_money(minor, currency, LOCALE, drop_zero_cents=whole)


def local_datetime(value: datetime, zone: str) -> str:
    """``Thursday, December 31, 2026 at 11:59 PM EST`` in the campaign's own time zone."""
    return str(
        format_datetime(
            value, "EEEE, MMMM d, y 'at' h:mm a zzz", tzinfo=ZoneInfo(zone), locale=LOCALE
        )
    )


def duration(seconds: int) -> str:
    """``3 days 4 hours`` or ``5 hours 12 minutes``: the two largest units that matter."""
    if seconds <= 0:
        return "no time"
    units = (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
    parts: list[str] = []
    for name, size in units:
        count, seconds = divmod(seconds, size)
        if count or parts:
            if count:
                parts.append(f"{count} {name}{'' if count == 1 else 's'}")
            if len(parts) == 2 or (parts and count == 0):
                break
    return " ".join(parts[:2])


def paragraphs(text: str) -> Markup:
    """Plain text with blank-line paragraphs as escaped ``<p>`` elements (no raw HTML)."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>").join(escape(line) for line in block.split("\n")))
        for block in blocks
        if block
    )


def register(app: Flask) -> None:
    app.add_template_filter(money)
    app.add_template_filter(major_text, "major")
    app.add_template_filter(exponent, "currency_exponent")
    app.add_template_filter(local_datetime)
    app.add_template_filter(duration)
    app.add_template_filter(paragraphs)
