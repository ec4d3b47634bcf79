"""``flask --app app …`` commands."""

from __future__ import annotations

from flask import Flask

from ..sandbox.cli import stripe_sandbox_command
from .banner import banner_cli
from .campaigns import campaigns_cli, demo_command
from .emails import emails_cli, statements_cli
from .payments import stripe_cli
from .staff import staff_cli


def register_cli(app: Flask) -> None:
    campaigns_cli.add_command(banner_cli)
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(stripe_cli)
    app.cli.add_command(stripe_sandbox_command)
    app.cli.add_command(staff_cli)
    app.cli.add_command(emails_cli)
    app.cli.add_command(statements_cli)
