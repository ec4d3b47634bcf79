"""``flask --app app …`` commands."""

from __future__ import annotations

from flask import Flask

from ..sandbox.cli import stripe_sandbox_command
from .campaigns import campaigns_cli, demo_command
from .payments import stripe_cli
from .staff import staff_cli


def register_cli(app: Flask) -> None:
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(stripe_cli)
    app.cli.add_command(stripe_sandbox_command)
    app.cli.add_command(staff_cli)
