"""``flask stripe …``: keeping the ledger in step with Stripe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from ..payments.reconcile import reconcile
from ..payments.stripe_api import PaymentServiceError

stripe_cli = AppGroup("stripe", help="Work with Stripe.")

# Stripe keeps events for 30 days: there is nothing older to fetch.
EVENT_RETENTION = timedelta(days=30)


@stripe_cli.command("reconcile")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    help="Start from this UTC date or time (default: 30 days ago).",
)
def reconcile_command(since: datetime | None) -> None:
    """Apply the Stripe events that webhooks missed; a second run changes nothing."""
    start = since.replace(tzinfo=UTC) if since else datetime.now(UTC) - EVENT_RETENTION
    try:
        report = reconcile(
            int(start.timestamp()),
            on_applied=lambda event_id, kind: click.echo(f"applied {event_id} {kind}"),
        )
    except PaymentServiceError as exc:
        raise click.ClickException(f"Stripe could not be reached: {exc}") from None
    seen = sum(report.outcomes.values())
    if not report.applied:
        click.echo(
            f"Nothing to change: {seen} events since {start:%Y-%m-%d %H:%M} UTC "
            "were already applied or need no action."
        )
        return
    click.echo(
        f"{len(report.applied)} applied, {report.outcomes['duplicate']} already applied, "
        f"{report.outcomes['ignored']} ignored, of {seen} events since {start:%Y-%m-%d %H:%M} UTC."
    )
