"""Catching up with Stripe: apply whatever events the webhooks missed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .stripe_api import iter_events
from .webhooks import apply_event


@dataclass
class ReconcileReport:
    outcomes: Counter[str] = field(default_factory=Counter)
    applied: list[tuple[str, str]] = field(default_factory=list)


def reconcile(since: int, on_applied: Callable[[str, str], None] | None = None) -> ReconcileReport:
    """Replay Stripe's events since ``since`` (Unix time) through the webhook path, oldest first.

    Events already applied are duplicates and change nothing, so running it twice is safe.
    """
    report = ReconcileReport()
    for event in iter_events(since):
        outcome = apply_event(event, via="reconcile")
        report.outcomes[outcome] += 1
        if outcome == "applied":
            report.applied.append((str(event["id"]), str(event["type"])))
            if on_applied is not None:
                on_applied(str(event["id"]), str(event["type"]))
    return report
