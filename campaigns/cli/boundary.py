"""The CLI's unit of work: each command commits once when it succeeds, and nothing when it fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from flask.cli import AppGroup

from ..db import transactional


class CommandGroup(AppGroup):
    """An ``AppGroup`` whose commands each run as one unit of work.

    A command that works through many jobs (sending a year's statements, the worker) says
    ``own_units=True`` and gives each job its own unit, so a stop part-way keeps what is done.
    """

    def command(  # type: ignore[override]
        self, *args: Any, own_units: bool = False, **kwargs: Any
    ) -> Callable[[Callable[..., Any]], click.Command]:
        register = super().command(*args, **kwargs)

        def decorator(func: Callable[..., Any]) -> click.Command:
            return register(func if own_units else transactional(func))

        return decorator
