"""The inbox table's operations: store once per id, claim what is due in Stripe's order per
object, and record each outcome. Everything here only flushes; the worker commits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import aliased

from ..db import insert_ignoring_conflict
from ..extensions import db
from ..models import UNAPPLIED_STATUSES, EventStatus, Staff, StripeEvent, utcnow
from ..staff_accounts.audit import record
from .events import InboundEvent
from .handlers import HANDLERS

Stored = Literal["queued", "ignored", "duplicate"]
NO_HANDLER = "a type we don't act on"


def store_event(
    event: InboundEvent, payload: str, *, via: str, now: datetime | None = None
) -> Stored:
    """Keep the event under its id, in one INSERT; a second delivery inserts nothing.

    Types without a handler are kept as ignored at once, so the worker never looks at them.
    """
    now = now or utcnow()
    handled = event.type in HANDLERS
    fresh = insert_ignoring_conflict(
        StripeEvent,
        {
            "id": event.id,
            "type": event.type,
            "created": event.created,
            "status": EventStatus.RECEIVED if handled else EventStatus.IGNORED,
            "object_key": event.object_key,
            "payload": payload,
            "received_via": via,
            "received_at": now,
            "attempts": 0,
            "next_attempt_at": now,
            "lease_token": None,
            "last_error": "",
            "ignored_reason": "" if handled else NO_HANDLER,
            "applied_at": None,
        },
    )
    if not fresh:
        return "duplicate"
    return "queued" if handled else "ignored"


@dataclass(frozen=True)
class Claim:
    """An event one worker holds until ``lease_token`` is cleared or its lease runs out."""

    id: str
    type: str
    payload: str
    attempts: int
    lease_token: str


def claim_due_events(now: datetime, limit: int, lease: timedelta) -> list[Claim]:
    """Take up to ``limit`` due events, oldest first, for as long as ``lease``.

    An event is due when no earlier event of the same object is unapplied (waiting, being
    retried or parked as failed) and no other event of it is in a worker's hands, so each
    object's events are applied one at a time in the order Stripe created them. On
    PostgreSQL, SKIP LOCKED lets workers claim side by side; everywhere, the conditional
    UPDATE takes an event once, and its token fences off a worker whose lease ran out.
    """
    candidate = aliased(StripeEvent)
    other = aliased(StripeEvent)
    earlier = or_(
        other.created < candidate.created,
        and_(other.created == candidate.created, other.id < candidate.id),
    )
    in_hand = and_(
        other.status == EventStatus.RECEIVED,
        other.lease_token.is_not(None),
        other.next_attempt_at > now,
    )
    owed_before = (
        exists()
        .where(
            other.object_key == candidate.object_key,
            other.status.in_(UNAPPLIED_STATUSES),
            other.created <= candidate.created,
            earlier,
        )
        .correlate(candidate)
    )
    other_in_hand = (
        exists()
        .where(
            other.object_key == candidate.object_key,
            other.id != candidate.id,
            in_hand,
        )
        .correlate(candidate)
    )
    due = (
        select(candidate.id)
        .where(
            candidate.status == EventStatus.RECEIVED,
            candidate.next_attempt_at <= now,
            ~owed_before,
            ~other_in_hand,
        )
        .order_by(candidate.created, candidate.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # Two statements: PostgreSQL may rescan an ``IN (… LIMIT … FOR UPDATE SKIP LOCKED)``
    # subquery once per row and so claim more than ``limit``; SQLite's BEGIN IMMEDIATE has
    # taken the write lock before the SELECT, so nothing can slip in between.
    ids = list(db.session.scalars(due))
    if not ids:
        return []
    token = secrets.token_hex(16)
    claim = (
        update(StripeEvent)
        .where(
            StripeEvent.id.in_(ids),
            StripeEvent.status == EventStatus.RECEIVED,
            StripeEvent.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease, attempts=StripeEvent.attempts + 1, lease_token=token)
        .returning(
            StripeEvent.id,
            StripeEvent.type,
            StripeEvent.payload,
            StripeEvent.attempts,
            StripeEvent.created,
        )
        .execution_options(synchronize_session=False)
    )
    rows = sorted(db.session.execute(claim).all(), key=lambda row: (row.created, row.id))
    return [Claim(row.id, row.type, row.payload, row.attempts, token) for row in rows]


def _held(claim: Claim) -> list[object]:
    return [
        StripeEvent.id == claim.id,
        StripeEvent.status == EventStatus.RECEIVED,
        StripeEvent.lease_token == claim.lease_token,
    ]


def begin_applying(claim: Claim, now: datetime) -> bool:
    """Mark the claimed event applied, first thing in its transaction; False if the claim was
    lost (its lease ran out and another worker took it), when nothing may be applied.

    Writing first takes the row's lock (and SQLite's write lock) before any handler reads.
    """
    result = db.session.execute(
        update(StripeEvent)
        .where(*_held(claim))  # type: ignore[arg-type]
        .values(
            status=EventStatus.APPLIED,
            applied_at=now,
            lease_token=None,
            last_error="",
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0) == 1  # type: ignore[attr-defined]


def mark_ignored(event_id: str, reason: str) -> None:
    """The event changed nothing: say why (in the transaction that applied it)."""
    db.session.execute(
        update(StripeEvent)
        .where(StripeEvent.id == event_id)
        .values(status=EventStatus.IGNORED, ignored_reason=reason[:300])
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int, base_seconds: int, max_seconds: int) -> timedelta:
    """Exponential backoff: base, twice that, four times … never more than ``max_seconds``."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


def record_failure(
    claim: Claim,
    error: str,
    *,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    base_seconds: int,
    max_seconds: int,
) -> EventStatus | None:
    """A failed attempt: due again after the backoff, or parked as failed with its error.

    None when the claim was lost meanwhile (another worker owns the event now).
    """
    values: dict[str, object] = {"last_error": error[:2000], "lease_token": None}
    if permanent or claim.attempts >= max_attempts:
        values["status"] = status = EventStatus.FAILED
    else:
        status = EventStatus.RECEIVED
        values["next_attempt_at"] = now + retry_delay(claim.attempts, base_seconds, max_seconds)
    result = db.session.execute(
        update(StripeEvent)
        .where(*_held(claim))  # type: ignore[arg-type]
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return status if int(result.rowcount or 0) == 1 else None  # type: ignore[attr-defined]


def release(claims: list[Claim], now: datetime) -> None:
    """Hand back claimed events not started (a stopping worker): due now, attempt uncounted."""
    for claim in claims:
        db.session.execute(
            update(StripeEvent)
            .where(*_held(claim))  # type: ignore[arg-type]
            .values(next_attempt_at=now, attempts=StripeEvent.attempts - 1, lease_token=None)
            .execution_options(synchronize_session=False)
        )


def retry_failed_event(event_id: str, actor: Staff | None) -> bool:
    """Give a parked event a fresh set of attempts, due now (audited); False unless it was
    failed. Later events of its object, waiting behind it, follow once it is applied."""
    event = db.session.scalars(
        select(StripeEvent)
        .where(StripeEvent.id == event_id, StripeEvent.status == EventStatus.FAILED)
        .with_for_update()
    ).one_or_none()
    if event is None:
        return False
    record(
        "stripe_event.retry",
        f"stripe_event:{event.id}",
        {"type": event.type, "attempts": event.attempts, "error": event.last_error[:500]},
        actor,
    )
    event.status = EventStatus.RECEIVED
    event.attempts = 0
    event.next_attempt_at = utcnow()
    event.lease_token = None
    event.last_error = ""
    return True
