"""Errors the services raise for input they refuse."""

from __future__ import annotations


class ValidationError(ValueError):
    """Input broke a rule; ``errors`` maps each field to a message people can act on."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
