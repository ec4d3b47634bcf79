"""``flask worker``: the one background process. It applies the Stripe events the webhook
endpoint stored and sends the emails waiting in the outbox, one item per transaction.

Several may run, on several machines: on PostgreSQL they share the work through
``FOR UPDATE SKIP LOCKED``; on SQLite one is expected, and a second one waits its turn
without applying anything twice. A TERM or INT signal finishes the item in hand, hands back
the rest of the batch and exits.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType

import click
from flask import current_app

from ..emails import sending
from ..emails.compose import Envelope
from ..emails.sending import MailNotConfigured, SendReport, mailbox_enabled, transport_for
from ..extensions import db
from ..models import EmailStatus, EventStatus
from ..payments.inbox import Claim
from ..payments.worker import EventReport, OnEvent, apply_due_events

log = logging.getLogger(__name__)


@dataclass
class WorkerReport:
    events: EventReport = field(default_factory=EventReport)
    emails: SendReport = field(default_factory=SendReport)


def run_worker(
    *,
    once: bool,
    interval: float = 1.0,
    batch: int = 20,
    stop: threading.Event | None = None,
    on_event: OnEvent | None = None,
    on_email: sending.OnResult | None = None,
    emails: bool = True,
) -> WorkerReport:
    """Apply due events and send due emails until told to stop; with ``once``, until nothing
    is due. In the loop an error (the database restarting, say) is logged and the next poll
    tries again; a single run reports it. Without a mail server configured (production),
    emails stay queued while events are still applied."""
    stop = stop or threading.Event()
    total = WorkerReport()
    while not stop.is_set():
        events, sent = EventReport(), SendReport()
        try:
            events = apply_due_events(batch=batch, stop=stop, on_result=on_event)
            if emails and not stop.is_set():
                transport = transport_for(current_app.config)
                sent = sending.send_due(transport, batch=batch, on_result=on_email, stop=stop)
        except MailNotConfigured as exc:
            log.warning("worker: %s", exc)
            emails = False
        except Exception:
            # Events and emails stay in their tables; the next poll tries again.
            if once:
                raise
            log.exception("worker: trying again in %s s", interval)
        finally:
            db.session.remove()
        total.events.add(events)
        total.emails.add(sent)
        if events.attempted == 0 and sent.attempted == 0:
            if once:
                break
            stop.wait(interval)
    return total


@contextmanager
def stop_on_signals() -> Iterator[threading.Event]:
    """A flag that TERM and INT set while the block runs: the worker finishes the item in
    hand, then leaves. The previous handlers come back afterwards."""
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_LABELS = {
    EventStatus.APPLIED: "applied",
    EventStatus.IGNORED: "ignored",
    EventStatus.RECEIVED: "retry",
    EventStatus.FAILED: "failed",
}


def echo_event(claim: Claim, status: EventStatus | None, detail: str) -> None:
    label = _LABELS.get(status, "skipped") if status else "skipped"
    click.echo(f"{label:<8} {claim.id} {claim.type}" + (f"  ({detail})" if detail else ""))


def echo_email(envelope: Envelope, status: EmailStatus, error: str) -> None:
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


def summary(report: WorkerReport) -> str:
    events, emails = report.events, report.emails
    return (
        f"{events.applied} events applied, {events.ignored} ignored, {events.retrying} to "
        f"retry, {events.failed} failed; {emails.sent} emails sent, {emails.retrying} to retry, "
        f"{emails.failed} failed."
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Work until nothing is due, then exit.")
@click.option("--interval", default=1.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=20, show_default=True, help="Items claimed at a time.")
def worker_command(once: bool, interval: float, batch: int) -> None:
    """Apply the Stripe events received and send the queued emails."""
    config = current_app.config
    try:
        transport_for(config)
    except MailNotConfigured as exc:
        click.echo(f"{exc}; Stripe events are applied all the same.", err=True)
    if mailbox_enabled(config):
        click.echo(f"No MAIL_SERVER: emails are kept at {config['PUBLIC_URL']}/dev/mailbox")
    with stop_on_signals() as stop:
        report = run_worker(
            once=once,
            interval=interval,
            batch=batch,
            stop=stop,
            on_event=echo_event,
            on_email=echo_email,
        )
    if once:
        click.echo(summary(report))
