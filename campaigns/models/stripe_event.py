"""The inbox of Stripe events: each stored once under its id, then applied by the worker."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime, str_enum, utcnow


class EventStatus(enum.StrEnum):
    RECEIVED = "received"  # stored, waiting for the worker (or for a retry)
    APPLIED = "applied"  # a handler ran, in the transaction that set this
    IGNORED = "ignored"  # nothing for us to do: a type we don't handle, or not our object
    FAILED = "failed"  # out of attempts, or malformed; kept with its error until retried

    @property
    def unapplied(self) -> bool:
        """Still owed to the ledger: later events of the same object wait behind it."""
        return self in UNAPPLIED_STATUSES


UNAPPLIED_STATUSES = (EventStatus.RECEIVED, EventStatus.FAILED)


class StripeEvent(Base):
    __tablename__ = "stripe_event"
    __table_args__ = (
        # The worker's claim: due events in Stripe's order, and what each object still owes.
        Index("ix_stripe_event_status_due", "status", "next_attempt_at"),
        # Only the events still owed to the ledger, so finding an object's earlier unapplied
        # event is one index probe however many of its events were applied.
        Index(
            "ix_stripe_event_unapplied_order",
            "object_key",
            "created",
            "id",
            postgresql_where=text("status IN ('received', 'failed')"),
            sqlite_where=text("status IN ('received', 'failed')"),
        ),
    )

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    created: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[EventStatus] = mapped_column(str_enum(EventStatus))
    # The Stripe object whose events are applied in the order Stripe created them: the
    # subscription for a monthly gift's session, invoices and subscription events (they all
    # change the one monthly gift), the payment intent for refunds and disputes, the session
    # for a one-time checkout.
    object_key: Mapped[str] = mapped_column(String(255))
    payload: Mapped[str] = mapped_column(Text)  # the event as Stripe sent it
    received_via: Mapped[str] = mapped_column(String(16), default="webhook")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the worker may take it next; a worker that claims it moves this past the time an
    # event can take (its lease), so a killed worker's claim runs out and nothing is lost.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Why an event changed nothing: "no handler", "subscription sub_… is not ours", a 404.
    ignored_reason: Mapped[str] = mapped_column(String(300), default="")
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
