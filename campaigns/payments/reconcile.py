"""Catching up with Stripe: what the webhooks missed goes into the same inbox."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

from .events import InvalidEvent, parse_event
from .inbox import store_event
from .stripe_api import iter_events


@dataclass
class ReconcileReport:
    # "queued", "ignored" (a type we don't act on), "duplicate" (already in the inbox), and
    # "invalid" for anything Stripe listed that isn't a usable event.
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def seen(self) -> int:
        return sum(self.outcomes.values())


def reconcile(since: int) -> ReconcileReport:
    """Store Stripe's events since ``since`` (Unix time) in the inbox, oldest first, as a
    webhook would; the worker applies them. Events already stored are duplicates and change
    nothing, so running it twice is safe. Only flushes: the caller commits."""
    report = ReconcileReport()
    for raw in iter_events(since):
        try:
            event = parse_event(raw)
        except InvalidEvent:
            report.outcomes["invalid"] += 1
            continue
        # The SDK turns decimal strings into Decimal: back to the strings Stripe sent.
        payload = json.dumps(raw, default=str)
        report.outcomes[store_event(event, payload, via="reconcile")] += 1
    return report
