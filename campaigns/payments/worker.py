"""Applying the inbox: each claimed event in its own unit of work, with its effects.

This is the one place in the event path that opens units of work (handlers and the ledger
only flush). Per event: a read-only look at whether Stripe must be asked something, the
question to Stripe outside any transaction, then one transaction holding the event's new
status and everything it changes (gifts, donors, monthly gifts, totals, outbox rows).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from ..db import replayable, unit_of_work
from ..models import EventStatus, utcnow
from .events import InvalidEvent, MalformedEvent, parse_event
from .handlers import HANDLERS, plan, with_payment_intent
from .inbox import (
    NO_HANDLER,
    Claim,
    begin_applying,
    claim_due_events,
    mark_ignored,
    record_failure,
    release,
)
from .stripe_api import StripeObjectMissing, invoice_payment_intent

log = logging.getLogger(__name__)

# What became of one claimed event: its status (None if another worker had taken it) and
# the error or the reason it was ignored.
OnEvent = Callable[[Claim, EventStatus | None, str], None]


@dataclass
class EventReport:
    applied: int = 0
    ignored: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0  # claims another worker took over after their lease ran out

    @property
    def attempted(self) -> int:
        return self.applied + self.ignored + self.retrying + self.failed + self.lost

    def add(self, other: EventReport) -> None:
        self.applied += other.applied
        self.ignored += other.ignored
        self.retrying += other.retrying
        self.failed += other.failed
        self.lost += other.lost

    def count(self, status: EventStatus | None) -> None:
        if status is EventStatus.APPLIED:
            self.applied += 1
        elif status is EventStatus.IGNORED:
            self.ignored += 1
        elif status is EventStatus.RECEIVED:
            self.retrying += 1
        elif status is EventStatus.FAILED:
            self.failed += 1
        else:
            self.lost += 1


def _apply(claim: Claim, now: datetime | None) -> tuple[EventStatus | None, str]:
    """Apply one claimed event; raises what a retry might cure."""
    event = parse_event(json.loads(claim.payload))
    handler = HANDLERS.get(event.type)
    reason: str | None = None if handler else NO_HANDLER
    data = event.data
    if handler is not None:
        with unit_of_work(write=False):  # reads only, over before Stripe is asked anything
            needs = plan(event.type, data)
        reason = needs.ignored_reason
        if reason is None and needs.fetch_invoice:
            try:
                data = with_payment_intent(data, invoice_payment_intent(needs.fetch_invoice))
            except StripeObjectMissing as exc:
                reason = str(exc)
    with unit_of_work() as session, session.no_autoflush:
        if not begin_applying(claim, now or utcnow()):
            return None, "claimed by another worker after this one's lease ran out"
        # The stored event can be applied again, so this commit needn't wait for the disk:
        # workers would otherwise take turns on the campaign row for each event's fsync.
        replayable()
        if reason is None and handler is not None:
            reason = handler(data, event.created)
        if reason:
            mark_ignored(claim.id, reason)
    return (EventStatus.IGNORED, reason) if reason else (EventStatus.APPLIED, "")


def _fail(claim: Claim, error: Exception, now: datetime | None) -> EventStatus | None:
    config = current_app.config
    # Nothing a retry changes: a payload that doesn't parse, an object a handler can't read.
    permanent = isinstance(error, InvalidEvent | MalformedEvent | json.JSONDecodeError)
    with unit_of_work():
        return record_failure(
            claim,
            f"{type(error).__name__}: {error}",
            permanent=permanent,
            now=now or utcnow(),
            max_attempts=int(config["EVENT_MAX_ATTEMPTS"]),
            base_seconds=int(config["EVENT_RETRY_BASE_SECONDS"]),
            max_seconds=int(config["EVENT_RETRY_MAX_SECONDS"]),
        )


def apply_due_events(
    *,
    now: datetime | None = None,
    batch: int = 20,
    stop: threading.Event | None = None,
    on_result: OnEvent | None = None,
) -> EventReport:
    """Claim up to ``batch`` due events and apply them one by one, each in its own unit of work.

    A failing event is rolled back with all its effects and retried later; the others go
    on. ``stop`` is checked between events: once set, the event in hand is finished and the
    rest are handed back at once rather than after their lease.
    """
    lease = timedelta(seconds=int(current_app.config["EVENT_LEASE_SECONDS"]))
    with unit_of_work():
        claimed = claim_due_events(now or utcnow(), batch, lease)
    report = EventReport()
    for index, claim in enumerate(claimed):
        if stop is not None and stop.is_set():
            with unit_of_work():
                release(claimed[index:], now or utcnow())
            break
        try:
            status, detail = _apply(claim, now)
        except Exception as exc:
            status, detail = _fail(claim, exc, now), f"{type(exc).__name__}: {exc}"
            log.warning("event %s (%s) not applied: %s", claim.id, claim.type, detail)
        else:
            log.info("event %s (%s) %s", claim.id, claim.type, status or "lost")
        report.count(status)
        if on_result is not None:
            on_result(claim, status, detail)
    return report


def drain_events(*, batch: int = 20, on_result: OnEvent | None = None) -> EventReport:
    """Apply events until none is due (those waiting for a retry stay for the worker)."""
    total = EventReport()
    while (report := apply_due_events(batch=batch, on_result=on_result)).attempted:
        total.add(report)
    return total
