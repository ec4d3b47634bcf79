"""The overview's figures for one campaign: SQL aggregates over indexed columns."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ColumnElement, and_, func, select

from ..extensions import db
from ..fundraising.progress import Progress, campaign_progress
from ..models import (
    Campaign,
    CampaignDonor,
    Donation,
    Donor,
    RecurringGift,
    RecurringStatus,
)

DAY = 86400


@dataclass(frozen=True)
class DayTotal:
    day: date
    amount: int
    gifts: int


@dataclass(frozen=True)
class SourceTotal:
    source: str
    variant: str
    gifts: int
    amount: int


@dataclass(frozen=True)
class CampaignOverview:
    campaign: Campaign
    progress: Progress
    average_gift: int
    new_donors: int
    returning_donors: int
    monthly_donors: int
    monthly_revenue: int
    raised_per_day: int
    projected_total: int
    days: list[DayTotal]
    previous_days: list[DayTotal]
    by_source: list[SourceTotal]


def local_day(column: Any, zone: str) -> ColumnElement[Any]:
    """The calendar day of a UTC timestamp in ``zone``, computed by the database."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(zone, column))
    # SQLite knows no time zones: shift by the zone's offset today, which is off by an hour
    # only for gifts on the far side of a DST change, on the development database.
    offset = datetime.now(ZoneInfo(zone)).utcoffset() or timedelta()
    return func.date(column, f"{int(offset.total_seconds())} seconds")


def daily_totals(campaign: Campaign) -> list[DayTotal]:
    """Counted gifts per local day of the campaign's own run, oldest first.

    Monthly renewals keep crediting the campaign a gift started in long after it ends; the
    chart is about the run itself, and the date bounds let the (campaign, created) index work.
    """
    day = local_day(Donation.paid_at, campaign.timezone).label("day")
    query = (
        select(day, func.sum(Donation.counted_amount), func.count())
        .where(
            Donation.campaign_id == campaign.id,
            Donation.counted,
            Donation.created_at >= campaign.starts_at - timedelta(days=1),
            Donation.created_at < campaign.ends_at + timedelta(days=1),
            Donation.paid_at >= campaign.starts_at,
            Donation.paid_at < campaign.ends_at,
        )
        .group_by(day)
        .order_by(day)
    )
    rows = db.session.execute(query).all()
    return [
        DayTotal(
            day=row[0] if isinstance(row[0], date) else date.fromisoformat(row[0]),
            amount=int(row[1] or 0),
            gifts=int(row[2]),
        )
        for row in rows
    ]


def _returning_donors(campaign: Campaign) -> int:
    """Donors to this campaign whose first counted gift came before it began."""
    query = (
        select(func.count())
        .select_from(CampaignDonor)
        .join(Donor, Donor.id == CampaignDonor.donor_id)
        .where(
            CampaignDonor.campaign_id == campaign.id,
            CampaignDonor.counted_gifts > 0,
            Donor.first_gift_at < campaign.starts_at,
        )
    )
    return int(db.session.scalar(query) or 0)


def by_source(campaign: Campaign) -> list[SourceTotal]:
    query = (
        select(Donation.source, Donation.variant, func.count(), func.sum(Donation.counted_amount))
        .where(Donation.campaign_id == campaign.id, Donation.counted)
        .group_by(Donation.source, Donation.variant)
        .order_by(func.sum(Donation.counted_amount).desc())
    )
    return [
        SourceTotal(
            source=row[0] or "direct",
            variant=row[1] or "",
            gifts=int(row[2]),
            amount=int(row[3] or 0),
        )
        for row in db.session.execute(query)
    ]


@dataclass(frozen=True)
class _Aggregates:
    returning_donors: int
    days: list[DayTotal]
    previous_days: list[DayTotal]
    by_source: list[SourceTotal]


_CACHE: dict[int, tuple[float, _Aggregates]] = {}


def _cached(campaign_id: int, compute: Callable[[], _Aggregates]) -> _Aggregates:
    """The scans behind the charts, reused for OVERVIEW_CACHE_SECONDS in this worker.

    The headline figures (raised, donors, gifts) come from the campaign's live counters; only
    the day-by-day and by-source breakdowns, which read every gift, may lag by that much.
    """
    ttl = float(current_app.config.get("OVERVIEW_CACHE_SECONDS", 0))
    now = time.monotonic()
    hit = _CACHE.get(campaign_id)
    if ttl > 0 and hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    if ttl > 0:
        _CACHE[campaign_id] = (now + ttl, value)
    return value


def _aggregates(campaign: Campaign) -> _Aggregates:
    previous = (
        db.session.get(Campaign, campaign.previous_campaign_id)
        if campaign.previous_campaign_id
        else None
    )
    return _Aggregates(
        returning_donors=_returning_donors(campaign),
        days=daily_totals(campaign),
        previous_days=daily_totals(previous) if previous else [],
        by_source=by_source(campaign),
    )


def campaign_overview(campaign: Campaign, now: datetime) -> CampaignOverview:
    progress = campaign_progress(campaign, now)
    monthly = db.session.execute(
        select(func.count(), func.coalesce(func.sum(RecurringGift.amount), 0)).where(
            and_(
                RecurringGift.campaign_id == campaign.id,
                RecurringGift.status == RecurringStatus.ACTIVE,
            )
        )
    ).one()
    heavy = _cached(campaign.id, lambda: _aggregates(campaign))
    returning = heavy.returning_donors
    elapsed = max((min(now, campaign.ends_at) - campaign.starts_at).total_seconds(), 0)
    days_run = max(elapsed / DAY, 1.0)
    per_day = int(progress.raised_amount / days_run)
    days_left = progress.seconds_left / DAY
    return CampaignOverview(
        campaign=campaign,
        progress=progress,
        average_gift=progress.raised_amount // progress.donation_count
        if progress.donation_count
        else 0,
        new_donors=progress.donor_count - returning,
        returning_donors=returning,
        monthly_donors=int(monthly[0]),
        monthly_revenue=int(monthly[1]),
        raised_per_day=per_day,
        projected_total=progress.raised_amount + int(per_day * days_left),
        days=heavy.days,
        previous_days=heavy.previous_days,
        by_source=heavy.by_source,
    )
