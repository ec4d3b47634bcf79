"""Stripe events in: verify, apply each exactly once, dispatch by type."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Literal

from ..db import insert_ignoring_conflict, unit_of_work
from ..models import StripeEvent
from .handlers import HANDLERS, prepare

log = logging.getLogger(__name__)

Outcome = Literal["applied", "ignored", "duplicate"]


def apply_event(event: Mapping[str, Any], *, via: str = "webhook") -> Outcome:
    """Apply one event and record its id in a single transaction.

    The event row goes in first under its primary key: a second delivery, even a concurrent
    one, finds the key taken (it waits for the first transaction, then inserts nothing) and
    changes nothing. If a handler fails, the row is rolled back with its effects, so Stripe's
    retry applies the event again from scratch. Changes to loaded rows are flushed together,
    not before each query, which keeps an event to a handful of statements.
    """
    event_type = str(event["type"])
    handler = HANDLERS.get(event_type)
    data: Mapping[str, Any] = event["data"]["object"]
    if handler is not None:
        data = prepare(event_type, data)
    with unit_of_work() as session, session.no_autoflush:
        fresh = insert_ignoring_conflict(
            StripeEvent,
            {
                "id": str(event["id"]),
                "type": event_type,
                "created": int(event["created"]),
                "outcome": "applied" if handler else "ignored",
                "received_via": via,
            },
        )
        if not fresh:
            return "duplicate"
        if handler is None:
            return "ignored"
        handler(data, int(event["created"]))
    log.info("applied %s %s via %s", event_type, event["id"], via)
    return "applied"
