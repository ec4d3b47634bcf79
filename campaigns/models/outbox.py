"""Emails waiting to be sent, written in the same transaction as the event that causes them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime, str_enum, utcnow


class EmailKind(enum.StrEnum):
    RECEIPT = "receipt"
    REFUND = "refund"
    PAYMENT_FAILED = "payment_failed"
    CANCELLATION = "cancellation"
    WELCOME = "welcome"
    STATEMENT = "statement"
    GIVING_LINK = "giving_link"  # the signed /my-giving link a donor asked for
    NO_GIVING = "no_giving"  # the same request for an address with no gifts


class EmailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting for its first attempt or for the next retry
    SENT = "sent"  # the SMTP server took it (or, in development, the mailbox kept it)
    FAILED = "failed"  # refused for good, or out of attempts; kept until `emails retry`


class OutboxEmail(Base):
    """One email, rendered when it was queued, so it says what was true at that moment."""

    __tablename__ = "outbox_email"
    __table_args__ = (Index("ix_outbox_email_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EmailKind] = mapped_column(str_enum(EmailKind))
    # What the email is about, e.g. ``receipt:donation:42``: the unique key makes a repeated
    # or concurrent event queue it once, without checking first.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    donor_id: Mapped[int | None] = mapped_column(
        ForeignKey("donor.id", ondelete="SET NULL"), index=True
    )
    donation_id: Mapped[int | None] = mapped_column(
        ForeignKey("donation.id", ondelete="SET NULL"), index=True
    )

    status: Mapped[EmailStatus] = mapped_column(str_enum(EmailStatus), default=EmailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When a worker may next pick it up; a worker that claims it pushes this past the time a
    # send can take, so a second worker leaves it alone and a crashed one's claim runs out.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
