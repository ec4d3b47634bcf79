"""``flask ledger …``: repairs of the ledger's running counters."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..db import unit_of_work
from ..fundraising.repair import rebuild_totals

ledger_cli = AppGroup("ledger", help="Check and repair the ledger.")


@ledger_cli.command("rebuild-totals")
def rebuild_totals_command() -> None:
    """Recount every running total from the gifts; a second run changes nothing."""
    with unit_of_work():
        changed = rebuild_totals()
    if not (changed.donations or changed.donors or changed.campaigns):
        click.echo("Every total already matched the gifts; nothing changed.")
        return
    click.echo(
        f"Recounted from the gifts: {changed.donations} gifts, {changed.donors} donors and "
        f"{changed.campaigns} campaigns had totals that differed, and now match."
    )
