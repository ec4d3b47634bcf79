"""``flask stripe …``: keeping the ledger in step with Stripe."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from ..db import unit_of_work
from ..payments.reconcile import reconcile
from ..payments.stripe_api import PaymentServiceError
from ..payments.worker import drain_events
from .worker import echo_event

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
    """Store the Stripe events that webhooks missed in the inbox and apply them; a second run
    changes nothing."""
    start = since.replace(tzinfo=UTC) if since else datetime.now(UTC) - EVENT_RETENTION
    try:
        with unit_of_work():
            report = reconcile(int(start.timestamp()))
    except PaymentServiceError as exc:
        raise click.ClickException(f"Stripe could not be reached: {exc}") from None
    # Applied here rather than left to the worker, so this prints what changed; a worker
    # running beside it may take some of them first, which is just as good.
    applied = drain_events(on_result=echo_event)
    queued, seen = report.outcomes["queued"], report.seen
    if not queued and not applied.attempted:
        click.echo(
            f"Nothing to change: {seen} events since {start:%Y-%m-%d %H:%M} UTC "
            "were already received or need no action."
        )
        return
    click.echo(
        f"{queued} new of {seen} events since {start:%Y-%m-%d %H:%M} UTC "
        f"({report.outcomes['duplicate']} already received, "
        f"{report.outcomes['ignored']} of types we don't act on); "
        f"{applied.applied} applied, {applied.ignored} ignored, {applied.retrying} to retry, "
        f"{applied.failed} failed."
    )
