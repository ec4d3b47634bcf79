"""A service's refusal (``ValidationError``) shown to the person, with nothing of it kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import flash

from ..db import discard
from ..errors import ValidationError


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def show_errors(
    form: Any, error: ValidationError, fields: Mapping[str, str] | None = None, default: str = ""
) -> None:
    """Put each message beside its field (``fields`` maps a service's names onto the form's;
    names the form lacks go to ``default``), and discard what the refused call wrote."""
    discard()
    for name, message in error.errors.items():
        field = (fields or {}).get(name, name)
        if not hasattr(form, field):
            field = default
        getattr(form, field).errors.append(_sentence(message))


def flash_errors(error: ValidationError) -> None:
    """Tell the person in a flash message, for actions that answer with a redirect."""
    discard()
    flash(" ".join(_sentence(message) for message in error.errors.values()))
