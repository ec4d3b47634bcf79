"""``flask --app app …`` commands.

``flask demo`` and ``flask stripe-sandbox`` come from the demo and sandbox packages through the
``flask.commands`` entry points in pyproject.toml, so the app itself never imports either.
"""

from __future__ import annotations

from flask import Flask

from .banner import banner_cli
from .campaigns import campaigns_cli
from .emails import emails_cli
from .ledger import ledger_cli
from .payments import stripe_cli
from .staff import staff_cli
from .statements import statements_cli
from .worker import worker_command


def register_cli(app: Flask) -> None:
    campaigns_cli.add_command(banner_cli)
    app.cli.add_command(campaigns_cli)
    app.cli.add_command(stripe_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(emails_cli)
    app.cli.add_command(statements_cli)
    app.cli.add_command(worker_command)
