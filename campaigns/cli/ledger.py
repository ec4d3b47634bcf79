"""``flask ledger …``: repairs of the ledger's running counters."""

from __future__ import annotations

import click

from ..fundraising.repair import rebuild_totals
from .boundary import CommandGroup

ledger_cli = CommandGroup("ledger", help="Check and repair the ledger.")


@ledger_cli.command("rebuild-totals")
def rebuild_totals_command() -> None:
    """Recount every running total from the gifts; a second run changes nothing."""
    changed = rebuild_totals()
    if not (changed.donations or changed.donors or changed.campaigns):
        click.echo("Every total already matched the gifts; nothing changed.")
        return
    click.echo(
        f"Recounted from the gifts: {changed.donations} gifts, {changed.donors} donors and "
        f"{changed.campaigns} campaigns had totals that differed, and now match."
    )
