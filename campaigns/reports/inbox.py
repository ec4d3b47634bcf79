"""The Stripe events inbox as staff read it: how far behind the worker is, and what failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import UNAPPLIED_STATUSES, EventStatus, StripeEvent


@dataclass(frozen=True)
class FailedEvent:
    id: str
    type: str
    object_key: str
    received_at: datetime
    attempts: int
    error: str
    waiting_behind: int  # later events of the same object that wait for this one


@dataclass(frozen=True)
class IgnoredEvent:
    id: str
    type: str
    received_at: datetime
    reason: str


@dataclass(frozen=True)
class InboxSummary:
    counts: dict[EventStatus, int]
    retrying: int  # received events whose last attempt failed
    oldest_unapplied_at: datetime | None
    lag_seconds: float | None  # age of the oldest event not yet applied
    failed: list[FailedEvent]
    ignored: list[IgnoredEvent]


def oldest_unapplied_at() -> datetime | None:
    """When the oldest event still owed to the ledger (waiting, retrying or failed) came in."""
    return db.session.scalar(
        select(func.min(StripeEvent.received_at)).where(StripeEvent.status.in_(UNAPPLIED_STATUSES))
    )


def inbox_lag(now: datetime) -> float | None:
    """Seconds since the oldest unapplied event came in; None when every one is applied."""
    oldest = oldest_unapplied_at()
    return None if oldest is None else max((now - oldest).total_seconds(), 0.0)


def _failed(limit: int) -> list[FailedEvent]:
    later = aliased(StripeEvent)
    waiting = (
        select(func.count())
        .where(
            later.object_key == StripeEvent.object_key,
            later.status == EventStatus.RECEIVED,
            or_(
                later.created > StripeEvent.created,
                and_(later.created == StripeEvent.created, later.id > StripeEvent.id),
            ),
        )
        .correlate(StripeEvent)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(StripeEvent, waiting)
        .where(StripeEvent.status == EventStatus.FAILED)
        .order_by(StripeEvent.received_at, StripeEvent.id)
        .limit(limit)
    ).all()
    return [
        FailedEvent(
            id=event.id,
            type=event.type,
            object_key=event.object_key,
            received_at=event.received_at,
            attempts=event.attempts,
            error=event.last_error,
            waiting_behind=int(behind or 0),
        )
        for event, behind in rows
    ]


def _ignored(limit: int) -> list[IgnoredEvent]:
    rows = db.session.execute(
        select(
            StripeEvent.id, StripeEvent.type, StripeEvent.received_at, StripeEvent.ignored_reason
        )
        .where(StripeEvent.status == EventStatus.IGNORED, StripeEvent.applied_at.is_not(None))
        .order_by(StripeEvent.received_at.desc(), StripeEvent.id.desc())
        .limit(limit)
    ).all()
    return [IgnoredEvent(*row) for row in rows]


def inbox_summary(now: datetime, *, limit: int = 100) -> InboxSummary:
    counts = dict.fromkeys(EventStatus, 0)
    rows = db.session.execute(
        select(StripeEvent.status, func.count()).group_by(StripeEvent.status)
    ).all()
    counts.update({status: int(count) for status, count in rows})
    retrying = db.session.scalar(
        select(func.count()).where(
            StripeEvent.status == EventStatus.RECEIVED, StripeEvent.last_error != ""
        )
    )
    oldest = oldest_unapplied_at()
    return InboxSummary(
        counts=counts,
        retrying=int(retrying or 0),
        oldest_unapplied_at=oldest,
        lag_seconds=None if oldest is None else max((now - oldest).total_seconds(), 0.0),
        failed=_failed(limit),
        ignored=_ignored(20),
    )
