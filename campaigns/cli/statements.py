"""``flask statements …``: year-end giving statements."""

from __future__ import annotations

from collections.abc import Sequence

import click

from ..db import in_batches
from ..donor_portal.statements import BATCH, StatementRun, donors_with_gifts_in, queue_statements
from .boundary import CommandGroup

statements_cli = CommandGroup("statements", help="Year-end giving statements.")


@statements_cli.command("send", own_units=True)  # a unit of work per batch of donors
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
def send_statements_command(year: int) -> None:
    """Queue each donor's statement of their gifts in YEAR (once; a rerun adds none)."""
    run = StatementRun()

    def batch(donor_ids: Sequence[int]) -> None:
        queue_statements(donor_ids, year, run)
        click.echo(f"… {run.queued} queued, {run.already} already queued")

    in_batches(donors_with_gifts_in(year), BATCH, batch)
    click.echo(
        f"{run.queued} statement{'s' if run.queued != 1 else ''} for {year} queued, "
        f"{run.already} already queued before; `flask --app app emails send` sends them."
    )
