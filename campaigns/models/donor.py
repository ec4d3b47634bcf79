"""People who give: one record per email address, whatever its case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .types import UTCDateTime, utcnow


def normalize_email(email: str) -> str:
    """The form of an address we compare on: trimmed and lowercased."""
    return email.strip().lower()


class Donor(Base):
    __tablename__ = "donor"
    __table_args__ = (Index("ix_donor_name", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # Lowercased copy under a unique constraint: "Ann@X.org" and "ann@x.org" are one donor.
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    newsletter: Mapped[bool] = mapped_column(default=False)
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Lifetime figures over counted gifts, kept by the ledger with each gift, so the donor list
    # sorts and pages on years of history without summing donations.
    lifetime_amount: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    gift_count: Mapped[int] = mapped_column(Integer, default=0)
    first_gift_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_gift_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)


class CampaignDonor(Base):
    """How many counted gifts a donor has in a campaign: the campaign's donor count follows it."""

    __tablename__ = "campaign_donor"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    donor_id: Mapped[int] = mapped_column(
        ForeignKey("donor.id", ondelete="CASCADE"), primary_key=True
    )
    counted_gifts: Mapped[int] = mapped_column(Integer, default=0)
