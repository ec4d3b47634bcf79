"""What the embedded banner saw: counters per campaign, day, stage, variant and kind of event."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Base
from .campaign import Stage
from .types import str_enum


class BannerEventKind(enum.StrEnum):
    IMPRESSION = "impression"
    CLICK = "click"
    CLOSE = "close"


class BannerEventCount(Base):
    """One counter: no row per visitor, no address, nothing that tells people apart."""

    __tablename__ = "banner_event_count"
    __table_args__ = (CheckConstraint("events >= beacons AND beacons >= 0", name="counts"),)

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    # The day in the campaign's own time zone.
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    stage: Mapped[Stage] = mapped_column(str_enum(Stage), primary_key=True)
    variant: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[BannerEventKind] = mapped_column(str_enum(BannerEventKind), primary_key=True)
    # Beacons received, and the events they stand for: impressions are sampled, so each
    # impression beacon counts for as many page views as the sampling rate said.
    beacons: Mapped[int] = mapped_column(BigInteger, default=0)
    events: Mapped[int] = mapped_column(BigInteger, default=0)
