"""Every Stripe event applied, under a unique id: the ledger's exactly-once guard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime, utcnow


class StripeEvent(Base):
    __tablename__ = "stripe_event"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    type: Mapped[str] = mapped_column(String(100), index=True)
    created: Mapped[int] = mapped_column(BigInteger)
    # "applied" when a handler ran, "ignored" for types we don't act on.
    outcome: Mapped[str] = mapped_column(String(16))
    received_via: Mapped[str] = mapped_column(String(16), default="webhook")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
