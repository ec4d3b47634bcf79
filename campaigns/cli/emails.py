"""``flask emails …``: the outbox, and ``emails send``, the worker under its older name."""

from __future__ import annotations

import click
from flask import current_app

from ..emails.outbox import requeue_failed, status_counts
from ..emails.sending import MailNotConfigured, mailbox_enabled, transport_for
from .boundary import CommandGroup
from .worker import echo_email, echo_event, run_worker, stop_on_signals

emails_cli = CommandGroup("emails", help="Send the emails waiting in the outbox.")


@emails_cli.command("send", own_units=True)  # a unit of work per event and per email
@click.option("--loop", is_flag=True, help="Keep running, polling for new emails.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=20, show_default=True, help="Emails claimed at a time.")
def send_command(loop: bool, interval: float, batch: int) -> None:
    """Send every email that is due; with --loop, keep sending as new ones arrive.

    The same worker as ``flask worker`` (which also applies Stripe events), under its older
    name; unlike it, this refuses to start when production has no mail server configured.
    """
    try:
        transport_for(current_app.config)
    except MailNotConfigured as exc:
        raise click.ClickException(str(exc)) from None
    if mailbox_enabled(current_app.config):
        click.echo(
            f"No MAIL_SERVER: emails are kept at {current_app.config['PUBLIC_URL']}/dev/mailbox"
        )
    with stop_on_signals() as stop:
        report = run_worker(
            once=not loop,
            interval=interval,
            batch=batch,
            stop=stop,
            on_event=echo_event,
            on_email=echo_email,
        )
    if not loop:
        emails = report.emails
        click.echo(f"{emails.sent} sent, {emails.retrying} to retry, {emails.failed} failed.")


@emails_cli.command("retry")
def retry_command() -> None:
    """Queue the failed emails again, with a fresh set of attempts."""
    count = requeue_failed()
    click.echo(f"{count} failed email{'s' if count != 1 else ''} queued again.")


@emails_cli.command("status")
def status_command() -> None:
    """How many emails are queued, sent and failed."""
    counts = status_counts()
    click.echo(", ".join(f"{count} {status.value}" for status, count in counts.items()))
