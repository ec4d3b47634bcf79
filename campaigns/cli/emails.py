"""``flask emails …``: the outbox worker."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app

from ..emails.compose import Envelope
from ..emails.outbox import requeue_failed, status_counts
from ..emails.sending import MailNotConfigured, mailbox_enabled, run_worker, transport_for
from ..models import EmailStatus
from .boundary import CommandGroup

emails_cli = CommandGroup("emails", help="Send the emails waiting in the outbox.")


def _echo_result(envelope: Envelope, status: EmailStatus, error: str) -> None:
    to = f"{envelope.to_address}: {envelope.subject}"
    if status is EmailStatus.SENT and mailbox_enabled(current_app.config):
        url = f"{current_app.config['PUBLIC_URL']}/dev/mailbox/{envelope.id}"
        click.echo(f"mailbox  {to}  {url}")
    elif status is EmailStatus.SENT:
        click.echo(f"sent     {to}")
    elif status is EmailStatus.QUEUED:
        click.echo(f"retry    {to}  ({error})")
    else:
        click.echo(f"failed   {to}  ({error})")


@emails_cli.command("send", own_units=True)  # a unit of work per email
@click.option("--loop", is_flag=True, help="Keep running, polling for new emails.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=20, show_default=True, help="Emails claimed at a time.")
def send_command(loop: bool, interval: float, batch: int) -> None:
    """Send every email that is due; with --loop, keep sending as new ones arrive."""
    try:
        transport_for(current_app.config)
    except MailNotConfigured as exc:
        raise click.ClickException(str(exc)) from None
    if mailbox_enabled(current_app.config):
        click.echo(
            f"No MAIL_SERVER: emails are kept at {current_app.config['PUBLIC_URL']}/dev/mailbox"
        )
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()  # finish the email in hand, then leave

    if loop:
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    report = run_worker(
        loop=loop, interval=interval, batch=batch, on_result=_echo_result, stop=stop
    )
    if not loop:
        click.echo(f"{report.sent} sent, {report.retrying} to retry, {report.failed} failed.")


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
