"""``flask demo``: the demo campaign, and years of past campaigns for demonstrations."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from ..db import transactional
from ..fundraising.repair import rebuild_totals
from ..models import utcnow
from .campaign import load_demo
from .seed import DEFAULT_SEED, HistoryExists, existing_history, seed_history


@click.command("demo")
@with_appcontext
@click.option(
    "--donors",
    type=click.IntRange(min=1),
    default=None,
    help="Also load three years of past campaigns and gifts, from this many donors.",
)
@click.option(
    "--donations",
    type=click.IntRange(min=1),
    default=None,
    help="How many gifts that history holds in all (at least --donors).",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed for the history."
)
@transactional
def demo_command(donors: int | None, donations: int | None, seed: int) -> None:
    """Load a realistic demo campaign; running it again changes nothing.

    With --donors and --donations, also load past campaigns with their donors, one-time and
    monthly gifts, refunds and disputes, once per database.
    """
    if (donors is None) != (donations is None):
        raise click.UsageError("give --donors and --donations together")
    if donors is not None and donations is not None and donations < donors:
        raise click.BadParameter(
            f"{donations} is fewer than --donors {donors}: every donor has a gift",
            param_hint="'--donations'",
        )
    now = utcnow()
    if donors is None or donations is None:
        campaign, created = load_demo(now)
        verb = "Loaded" if created else "Already there:"
        click.echo(f"{verb} demo campaign {campaign.slug} -> /campaigns/{campaign.slug}")
        return
    try:
        if (slug := existing_history(now)) is not None:
            raise HistoryExists(slug)
        bar = click.progressbar(length=donors + donations, label="Loading history", file=sys.stderr)
        with bar:
            summary = seed_history(
                now, donors=donors, donations=donations, seed=seed, progress=bar.update
            )
        click.echo("Counting the totals from the gifts...", err=True)
        rebuild_totals()
    except HistoryExists as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"Loaded {summary.donors} donors, {summary.donations} gifts "
        f"({summary.monthly_gifts} monthly donors, {summary.payments} refunds and disputes) "
        f"in {len(summary.campaigns)} campaigns: {', '.join(summary.campaigns)}"
    )
