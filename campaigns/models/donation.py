"""Gifts, and what Stripe told us about the payments behind them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .campaign import Campaign, Frequency
from .donor import Donor
from .types import UTCDateTime, str_enum, utcnow


class DonationStatus(enum.StrEnum):
    """Where the payment stands; refunds and disputes are tracked beside it on ``Payment``."""

    PENDING = "pending"  # form sent to Stripe Checkout, nothing paid yet
    PROCESSING = "processing"  # paid with a delayed method, not settled yet
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"  # the Checkout Session lapsed unpaid
    VOIDED = "voided"  # an offline gift recorded in error; kept, never deleted


class PaymentMethod(enum.StrEnum):
    CARD = "card"  # through Stripe
    CHECK = "check"
    CASH = "cash"
    BANK_TRANSFER = "bank_transfer"


class DisputeStatus(enum.StrEnum):
    NONE = "none"
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class Payment(Base):
    """Facts about one Stripe PaymentIntent, kept even when they arrive before the gift does."""

    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    stripe_payment_intent_id: Mapped[str] = mapped_column(String(255), unique=True)
    stripe_charge_id: Mapped[str | None] = mapped_column(String(255))
    amount_refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    dispute_status: Mapped[DisputeStatus] = mapped_column(
        str_enum(DisputeStatus), default=DisputeStatus.NONE
    )
    disputed_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    # Stripe's `created` of the newest dispute event applied, so older ones can't undo it.
    dispute_event_at: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Donation(Base):
    __tablename__ = "donation"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("fee_amount >= 0", name="fee_not_negative"),
        CheckConstraint("counted_amount >= 0", name="counted_not_negative"),
        Index("ix_donation_campaign_created", "campaign_id", "created_at"),
        Index("ix_donation_paid_at", "paid_at"),
        Index("ix_donation_donor_paid", "donor_id", "paid_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donor.id"), index=True)
    recurring_gift_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_gift.id"), index=True
    )

    # What the donor chose, and the processing fee they added on top to cover it.
    amount: Mapped[int] = mapped_column(BigInteger)
    fee_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency))
    status: Mapped[DonationStatus] = mapped_column(
        str_enum(DonationStatus), default=DonationStatus.PENDING
    )
    # What this gift adds to the campaign's totals right now; the ledger moves the totals by
    # the difference whenever the gift's state changes, which makes every handler idempotent.
    counted_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    counted: Mapped[bool] = mapped_column(default=False)

    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    dedication: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    newsletter: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(64), default="")
    variant: Mapped[str] = mapped_column(String(32), default="")

    method: Mapped[PaymentMethod] = mapped_column(
        str_enum(PaymentMethod), default=PaymentMethod.CARD
    )
    reference: Mapped[str] = mapped_column(String(100), default="")  # check number, bank ref
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Copies of the payment's refund and dispute facts, so reports filter without a join.
    amount_refunded: Mapped[int] = mapped_column(BigInteger, default=0)
    dispute_status: Mapped[DisputeStatus] = mapped_column(
        str_enum(DisputeStatus), default=DisputeStatus.NONE
    )

    # What Stripe says it collected (the session's ``amount_total``, the invoice's
    # ``amount_paid``) and in which currency, once it has said; the totals count this, not
    # the pending amount, and a gift where the two differ is flagged for staff to look at.
    collected_amount: Mapped[int | None] = mapped_column(BigInteger)
    collected_currency: Mapped[str | None] = mapped_column(String(3))
    amount_mismatch: Mapped[bool] = mapped_column(default=False, server_default=false())

    stripe_checkout_session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_payment_intent_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_invoice_id: Mapped[str | None] = mapped_column(String(255), unique=True)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    campaign: Mapped[Campaign] = relationship()
    donor: Mapped[Donor | None] = relationship()

    @property
    def offline(self) -> bool:
        return self.method is not PaymentMethod.CARD

    @property
    def total_amount(self) -> int:
        """What the donor asked to be charged: the gift plus any fee they chose to cover."""
        return self.amount + self.fee_amount

    @property
    def has_receipt(self) -> bool:
        """A paid gift with an address to send it to gets a receipt (and may get it again)."""
        return self.status is DonationStatus.PAID and bool(self.email)

    @property
    def charged_amount(self) -> int:
        """What the gift counts for before refunds: Stripe's collected figure once known (in
        the gift's currency; nothing in another one), else the amount asked for.
        ``totals.charged_amount_sql`` is the same rule in SQL."""
        if self.collected_amount is None:
            return self.total_amount
        same_currency = (self.collected_currency or "").lower() == self.currency.lower()
        return self.collected_amount if same_currency else 0
