"""Monthly gifts: one record per Stripe subscription."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .campaign import Campaign
from .donor import Donor
from .types import UTCDateTime, str_enum, utcnow


class RecurringStatus(enum.StrEnum):
    """Stripe's subscription statuses, as far as a monthly gift cares."""

    INCOMPLETE = "incomplete"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    UNPAID = "unpaid"
    CANCELED = "canceled"

    @property
    def is_open(self) -> bool:
        """Still giving (or due to try the card again): the donor may change or cancel it."""
        return self in (RecurringStatus.ACTIVE, RecurringStatus.PAST_DUE)

    @classmethod
    def from_stripe(cls, status: str) -> RecurringStatus:
        mapping = {
            "incomplete_expired": cls.CANCELED,
            "trialing": cls.ACTIVE,
            "paused": cls.PAST_DUE,
        }
        return mapping.get(status) or cls(status)


class RecurringGift(Base):
    __tablename__ = "recurring_gift"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_subscription_id: Mapped[str] = mapped_column(String(255), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donor.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[RecurringStatus] = mapped_column(
        str_enum(RecurringStatus), default=RecurringStatus.INCOMPLETE
    )
    next_charge_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancel_at_period_end: Mapped[bool] = mapped_column(default=False)
    failed_payments: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(64), default="")
    variant: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    canceled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Stripe's `created` of the newest subscription snapshot applied: older ones are ignored.
    stripe_state_at: Mapped[int] = mapped_column(BigInteger, default=0)

    campaign: Mapped[Campaign] = relationship()
    donor: Mapped[Donor | None] = relationship()
