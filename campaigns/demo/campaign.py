"""A realistic demo campaign, so a fresh install has something to show."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..fundraising.campaigns import CampaignDraft, create_campaign, find_campaign
from ..fundraising.schedule import load_zone
from ..models import Campaign, Frequency

DEMO_TIMEZONE = "America/New_York"
DEMO_DESCRIPTION = """\
Online donations are back! Keep independent media alive.

We are a reader-funded newsroom: no paywall, no billionaire owner, no ads that follow you around. \
Your help is needed now to cover the monthly costs of reporting, hosting and legal support.

Every gift before midnight on December 31 counts toward our goal."""


def demo_slug(now: datetime) -> str:
    return f"eoy-{now.astimezone(load_zone(DEMO_TIMEZONE)).year}"


def load_demo(now: datetime) -> tuple[Campaign, bool]:
    """Create this year's demo campaign unless it exists; returns ``(campaign, created)``."""
    zone = load_zone(DEMO_TIMEZONE)
    local_now = now.astimezone(zone)
    slug = demo_slug(now)
    existing = find_campaign(slug)
    if existing is not None:
        return existing, False
    year = local_now.year
    starts = datetime(year, 11, 1, tzinfo=zone)
    if local_now < starts:
        starts = local_now - timedelta(days=1)
    ends = datetime(year, 12, 31, 23, 59, tzinfo=zone)
    campaign = create_campaign(
        CampaignDraft(
            slug=slug,
            title="Urgent End Of Year Fundraising Campaign",
            description=DEMO_DESCRIPTION,
            goal_amount=5_000_000,
            currency="usd",
            starts_at=starts,
            ends_at=ends,
            timezone=DEMO_TIMEZONE,
            preset_amounts=[1_000, 2_500, 5_000, 10_000, 25_000],
            default_frequency=Frequency.MONTHLY,
        )
    )
    return campaign, True
