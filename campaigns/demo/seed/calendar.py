"""The history's campaigns, and when in each of them people give."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ...extensions import db
from ...fundraising.campaigns import CampaignDraft, create_campaign
from ...models import Campaign, CampaignStatus, Frequency
from ..campaign import DEMO_TIMEZONE, load_demo

PRESETS = [2_500, 5_000, 10_000, 25_000]
# Relative number of gifts a whole campaign draws; year-end drives bring in most of the year.
EOY_SIZES = (0.8, 0.95, 1.1, 1.2)
SPRING_SIZES = (0.25, 0.3, 0.35)
# Local hours 0..23: few gifts at night, most over lunch and in the evening.
HOUR_WEIGHTS = (
    *(0.15, 0.1, 0.08, 0.06, 0.06, 0.1, 0.3, 0.6),
    *(0.9, 1.1, 1.2, 1.3, 1.4, 1.3, 1.2, 1.1),
    *(1.1, 1.2, 1.4, 1.6, 1.7, 1.6, 1.2, 0.6),
)
_HOUR_CUMULATIVE = list(accumulate(HOUR_WEIGHTS))


@dataclass
class Drive:
    """One campaign of the history, and the shape of its giving day by day."""

    campaign: Campaign
    zone: ZoneInfo
    size: float  # relative number of gifts over the days that have happened
    share: float  # of the drive's giving, by day weight, that has happened (1 once it ended)
    opens: float  # UTC timestamps; closes is the deadline or now, whichever comes first
    closes: float
    first_day: date
    cumulative: list[float]  # running total of the day weights, one per local day

    def moment(self, rng: random.Random) -> float:
        """A time someone gives, following the day and hour weights, within the drive."""
        for _ in range(8):
            index = bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])
            day = self.first_day + timedelta(days=min(index, len(self.cumulative) - 1))
            hour = bisect.bisect(_HOUR_CUMULATIVE, rng.random() * _HOUR_CUMULATIVE[-1])
            local = datetime(day.year, day.month, day.day, min(hour, 23), tzinfo=self.zone)
            stamp = local.timestamp() + rng.random() * 3600
            if self.opens <= stamp < self.closes:
                return stamp
        return self.opens + rng.random() * (self.closes - self.opens)


def _giving_tuesday(year: int) -> date:
    """The Tuesday after US Thanksgiving (the fourth Thursday of November)."""
    first = date(year, 11, 1)
    thanksgiving = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thanksgiving + timedelta(days=5)


def _day_weight(kind: str, day: date, last: date) -> float:
    """How busy a day is: launch days, Giving Tuesday and the final days draw surges."""
    to_go = (last - day).days
    if kind == "spring":
        return {0: 5.0, 1: 2.4, 2: 1.8}.get(to_go, 2.5 if day.day == 1 else 0.8)
    if day == _giving_tuesday(day.year):
        return 8.0
    if to_go == 0:
        return 10.0
    if to_go <= 5:
        return 4.0 - 0.3 * to_go
    return 1.0 + (0.6 if day.month == 12 else 0.0) + (0.4 if day.day in (1, 2) else 0.0)


def _drive(campaign: Campaign, kind: str, size: float, now: datetime) -> Drive | None:
    zone = campaign.zone
    first = campaign.starts_at.astimezone(zone).date()
    last = campaign.ends_at.astimezone(zone).date()
    weights = [
        _day_weight(kind, first + timedelta(days=n), last) for n in range((last - first).days + 1)
    ]
    closes = min(campaign.ends_at, now)
    if closes <= campaign.starts_at:
        return None
    happened = (closes.astimezone(zone).date() - first).days + 1
    share = sum(weights[:happened]) / sum(weights)
    return Drive(
        campaign=campaign,
        zone=zone,
        size=size * share,
        share=share,
        opens=campaign.starts_at.timestamp(),
        closes=closes.timestamp(),
        first_day=first,
        cumulative=list(accumulate(weights[:happened])),
    )


def history_slugs(now: datetime) -> list[str]:
    """The slugs of the past campaigns the seed adds, oldest first."""
    year = now.astimezone(ZoneInfo(DEMO_TIMEZONE)).year
    slugs = []
    for offset in (3, 2, 1):
        if offset < 3:
            slugs.append(f"spring-{year - offset}")
        slugs.append(f"eoy-{year - offset}")
    if now >= datetime(year, 4, 1, tzinfo=ZoneInfo(DEMO_TIMEZONE)):
        slugs.append(f"spring-{year}")
    return slugs


def existing_history(now: datetime) -> str | None:
    """A slug of the history that the database already holds, if any."""
    return db.session.scalar(
        select(Campaign.slug).where(Campaign.slug.in_(history_slugs(now))).limit(1)
    )


def _create(slug: str, now: datetime) -> Campaign:
    kind, year = slug.split("-")
    zone = ZoneInfo(DEMO_TIMEZONE)
    if kind == "eoy":
        starts, ends = datetime(int(year), 11, 1), datetime(int(year), 12, 31, 23, 59)
        title = f"Year-end campaign {year}"
    else:
        starts, ends = datetime(int(year), 4, 1), datetime(int(year), 4, 30, 23, 59)
        title = f"Spring membership drive {year}"
    ends_at = ends.replace(tzinfo=zone)
    return create_campaign(
        CampaignDraft(
            slug=slug,
            title=title,
            description="Reader donations keep our newsroom independent.",
            goal_amount=10_000_000,  # replaced once the gifts are in, see set_goals
            currency="usd",
            starts_at=starts.replace(tzinfo=zone),
            ends_at=ends_at,
            timezone=DEMO_TIMEZONE,
            status=CampaignStatus.ENDED if ends_at <= now else CampaignStatus.LIVE,
            preset_amounts=PRESETS,
            default_frequency=Frequency.MONTHLY if kind == "eoy" else Frequency.ONE_TIME,
        )
    )


def create_drives(now: datetime) -> list[Drive]:
    """Create the past campaigns and link each to last year's; oldest first, demo last."""
    campaigns = [_create(slug, now) for slug in history_slugs(now)]
    demo, _ = load_demo(now)
    campaigns.append(demo)
    previous: dict[str, Campaign] = {}
    drives: list[Drive] = []
    sizes = {"eoy": iter(EOY_SIZES), "spring": iter(SPRING_SIZES)}
    for campaign in campaigns:
        kind = campaign.slug.split("-")[0]
        if kind in previous:
            campaign.previous_campaign_id = previous[kind].id
        previous[kind] = campaign
        drive = _drive(campaign, kind, next(sizes[kind]), now)
        if drive is not None:
            drives.append(drive)
    db.session.flush()
    return drives


def nice_goal(amount: float) -> int:
    """A goal people would set: two significant figures of major units, at least 1,000."""
    major = max(amount / 100, 1_000)
    magnitude = 10 ** (len(str(int(major))) - 2)
    return int(round(major / magnitude) * magnitude * 100)
