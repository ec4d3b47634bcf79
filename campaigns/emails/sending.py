"""Sending the outbox: what is due goes out outside any transaction, then each outcome is
recorded. The worker (``flask worker``) calls ``send_due`` between batches of events.

Delivery is at least once: an email whose outcome could not be recorded (the worker died
between the server's "250" and the database write) is sent again when its claim runs out,
with the same Message-ID.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.errors import HeaderParseError
from typing import Any

from flask import current_app

from ..db import unit_of_work
from ..models import EmailStatus, utcnow
from .compose import Envelope, build_message
from .outbox import claim_due, record_failure, record_sent, release
from .smtp import DeliveryError, MailboxTransport, SMTPSettings, SMTPTransport, Transport

log = logging.getLogger(__name__)

OnResult = Callable[[Envelope, EmailStatus, str], None]


class MailNotConfigured(RuntimeError):
    """Production without MAIL_SERVER: nothing can be sent, so nothing is taken from the queue."""


def mailbox_enabled(config: Mapping[str, Any]) -> bool:
    """Development without an SMTP server: emails are kept and read at /dev/mailbox."""
    return config["CAMPAIGNS_ENV"] != "production" and not config["MAIL_SERVER"]


def transport_for(config: Mapping[str, Any]) -> Transport:
    """Where emails go; refuses production without a server or a sender to send as."""
    if mailbox_enabled(config):
        return MailboxTransport()
    if not config["MAIL_SERVER"]:
        raise MailNotConfigured("MAIL_SERVER is not set: emails stay queued until it is")
    if config["CAMPAIGNS_ENV"] == "production" and not config["MAIL_DEFAULT_SENDER"]:
        raise MailNotConfigured("MAIL_DEFAULT_SENDER is not set: emails stay queued until it is")
    return SMTPTransport(SMTPSettings.from_config(config))


def sender_for(config: Mapping[str, Any]) -> str:
    """The From address: MAIL_DEFAULT_SENDER, or a placeholder in development."""
    return str(
        config["MAIL_DEFAULT_SENDER"] or f"{config['ORGANIZATION_NAME']} <donations@localhost>"
    )


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def add(self, other: SendReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.failed += other.failed


def _record(report: SendReport, status: EmailStatus) -> None:
    if status is EmailStatus.SENT:
        report.sent += 1
    elif status is EmailStatus.FAILED:
        report.failed += 1
    elif status is EmailStatus.QUEUED:
        report.retrying += 1


def send_due(
    transport: Transport,
    *,
    now: datetime | None = None,
    batch: int = 20,
    on_result: OnResult | None = None,
    stop: threading.Event | None = None,
) -> SendReport:
    """Claim up to ``batch`` due emails, send them, and record what happened to each.

    ``stop`` is checked between emails: once set, the email in hand is finished and the rest
    are handed back at once rather than after their claim runs out.
    """
    config = current_app.config
    now = now or utcnow()
    lease = timedelta(seconds=batch * float(config["MAIL_TIMEOUT"]) * 2 + 60)
    with unit_of_work():
        claimed = claim_due(now, batch, lease)
    report = SendReport()
    sender = sender_for(config)
    server_down: DeliveryError | None = None
    with transport:
        for index, envelope in enumerate(claimed):
            if stop is not None and stop.is_set():
                with unit_of_work():
                    release([unsent.id for unsent in claimed[index:]], now)
                break
            status: EmailStatus
            error = server_down
            if error is None:
                try:
                    transport.send(build_message(envelope, sender))
                except DeliveryError as exc:
                    error = exc
                    server_down = exc if exc.server else None
                except (ValueError, HeaderParseError) as exc:  # an address no server takes
                    error = DeliveryError(f"unusable address: {exc}", permanent=True)
            with unit_of_work():
                if error is None:
                    record_sent(envelope.id, now)
                    status = EmailStatus.SENT
                else:
                    status = record_failure(
                        envelope,
                        str(error),
                        permanent=error.permanent,
                        now=now,
                        max_attempts=int(config["MAIL_MAX_ATTEMPTS"]),
                        base_seconds=int(config["MAIL_RETRY_BASE_SECONDS"]),
                        max_seconds=int(config["MAIL_RETRY_MAX_SECONDS"]),
                    )
            _record(report, status)
            if error is not None:
                log.warning("email %s to %s not sent: %s", envelope.id, envelope.to_address, error)
            if on_result is not None:
                on_result(envelope, status, "" if error is None else str(error))
    return report
