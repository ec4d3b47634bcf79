"""A fundraising campaign, its goal, its schedule and its banner copy."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Base
from .types import UTCDateTime, str_enum, utcnow


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    LIVE = "live"
    ENDED = "ended"
    ARCHIVED = "archived"


class Frequency(enum.StrEnum):
    ONE_TIME = "one_time"
    MONTHLY = "monthly"


class Stage(enum.StrEnum):
    """How close the deadline is; the banner's look and words follow it."""

    UPCOMING = "upcoming"
    NORMAL = "normal"
    URGENT = "urgent"
    FINAL = "final"
    ENDED = "ended"

    @property
    def takes_gifts(self) -> bool:
        """Whether the donate page takes gifts; before and after, it says so and links back."""
        return self in (Stage.NORMAL, Stage.URGENT, Stage.FINAL)


class BannerPlacement(enum.StrEnum):
    """Where the embedded banner sits on the host page."""

    TOP = "top"
    BOTTOM = "bottom"
    INLINE = "inline"


class BannerAfterEnd(enum.StrEnum):
    """What the embedded banner shows once the campaign has ended."""

    MESSAGE = "message"  # the ended stage's copy: a thank-you and the final total
    HIDE = "hide"


DEFAULT_URGENT_SECONDS = int(timedelta(days=7).total_seconds())
DEFAULT_FINAL_SECONDS = int(timedelta(hours=48).total_seconds())


class Campaign(Base):
    __tablename__ = "campaign"
    __table_args__ = (
        CheckConstraint("goal_amount > 0", name="goal_positive"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("final_seconds <= urgent_seconds", name="final_within_urgent"),
        CheckConstraint("0 < min_amount AND min_amount <= max_amount", name="amount_limits"),
        CheckConstraint("fee_basis_points >= 0 AND fee_basis_points < 10000", name="fee_rate"),
        CheckConstraint(
            "banner_dismiss_days >= 0 AND banner_dismiss_days <= 365", name="banner_dismiss_days"
        ),
        CheckConstraint("banner_impression_sample >= 1", name="banner_impression_sample"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    goal_amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus),
        default=CampaignStatus.LIVE,
    )
    preset_amounts: Mapped[list[int]] = mapped_column(JSON, default=list)
    default_frequency: Mapped[Frequency] = mapped_column(
        str_enum(Frequency),
        default=Frequency.ONE_TIME,
    )
    # Donation limits in minor units, and the processing fee a donor may choose to cover.
    min_amount: Mapped[int] = mapped_column(BigInteger, default=100)
    max_amount: Mapped[int] = mapped_column(BigInteger, default=10_000_000)
    fee_basis_points: Mapped[int] = mapped_column(Integer, default=290)
    fee_fixed_amount: Mapped[int] = mapped_column(Integer, default=30)
    urgent_seconds: Mapped[int] = mapped_column(Integer, default=DEFAULT_URGENT_SECONDS)
    final_seconds: Mapped[int] = mapped_column(Integer, default=DEFAULT_FINAL_SECONDS)

    # Running totals, kept by the ledger in the same transaction as each gift.
    raised_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    donor_count: Mapped[int] = mapped_column(Integer, default=0)
    donation_count: Mapped[int] = mapped_column(Integer, default=0)

    # Last year's campaign, drawn beside this one on the dashboard's charts.
    previous_campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))

    # The embedded banner, as staff set it (colours are checked for WCAG AA contrast).
    banner_placement: Mapped[BannerPlacement] = mapped_column(
        str_enum(BannerPlacement), default=BannerPlacement.BOTTOM
    )
    banner_dismiss_days: Mapped[int] = mapped_column(Integer, default=14)
    banner_after_end: Mapped[BannerAfterEnd] = mapped_column(
        str_enum(BannerAfterEnd), default=BannerAfterEnd.MESSAGE
    )
    # One page view in this many sends an impression beacon; the count is scaled back up.
    banner_impression_sample: Mapped[int] = mapped_column(Integer, default=10)
    banner_background: Mapped[str] = mapped_column(String(7), default="#fff8e1")
    banner_text: Mapped[str] = mapped_column(String(7), default="#1f1f1f")
    banner_accent: Mapped[str] = mapped_column(String(7), default="#b3261e")
    banner_accent_text: Mapped[str] = mapped_column(String(7), default="#ffffff")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    banner_copies: Mapped[list[BannerCopy]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="BannerCopy.id"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def __repr__(self) -> str:
        return f"<Campaign {self.slug!r} {self.status.value}>"


class BannerCopy(Base):
    """The words shown for one urgency stage; several variants per stage make an A/B test."""

    __tablename__ = "banner_copy"
    __table_args__ = (UniqueConstraint("campaign_id", "stage", "variant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    stage: Mapped[Stage] = mapped_column(str_enum(Stage))
    variant: Mapped[str] = mapped_column(String(32), default="a")
    headline: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    cta_label: Mapped[str] = mapped_column(String(60), default="Donate now")

    campaign: Mapped[Campaign] = relationship(back_populates="banner_copies")
