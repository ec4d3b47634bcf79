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
        "Recounted from the gifts; rows whose totals differed and now match: "
        f"gifts {changed.donations}, donors {changed.donors}, campaigns {changed.campaigns}."
    )
