"""How far a campaign has come and how close its deadline is, as plain functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import Campaign, CampaignStatus, Stage


def percent_raised(raised: int, goal: int) -> int:
    """Whole percent of the goal raised, rounded down; passes 100 when the goal is beaten."""
    if goal <= 0:
        raise ValueError("goal must be positive")
    return max(raised, 0) * 100 // goal


def seconds_left(ends_at: datetime, now: datetime) -> int:
    """Whole seconds until the deadline, never negative."""
    return max(int((ends_at - now).total_seconds()), 0)


def stage_at(
    *,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    urgent_seconds: int,
    final_seconds: int,
    closed: bool = False,
) -> Stage:
    """The urgency stage at ``now``.

    Thresholds count real elapsed seconds, so a DST change cannot move them.
    """
    if closed or now >= ends_at:
        return Stage.ENDED
    if now < starts_at:
        return Stage.UPCOMING
    left = (ends_at - now).total_seconds()
    if left <= final_seconds:
        return Stage.FINAL
    if left <= urgent_seconds:
        return Stage.URGENT
    return Stage.NORMAL


@dataclass(frozen=True)
class Progress:
    raised_amount: int
    goal_amount: int
    currency: str
    donor_count: int
    donation_count: int
    percent: int
    seconds_left: int
    stage: Stage

    @property
    def bar_percent(self) -> int:
        """The percent a progress bar can draw (it stops at full)."""
        return min(self.percent, 100)

    @property
    def has_ended(self) -> bool:
        return self.stage is Stage.ENDED


def campaign_progress(campaign: Campaign, now: datetime) -> Progress:
    """Snapshot of a campaign's progress from its running totals (no per-gift query)."""
    return Progress(
        raised_amount=campaign.raised_amount,
        goal_amount=campaign.goal_amount,
        currency=campaign.currency,
        donor_count=campaign.donor_count,
        donation_count=campaign.donation_count,
        percent=percent_raised(campaign.raised_amount, campaign.goal_amount),
        seconds_left=seconds_left(campaign.ends_at, now),
        stage=stage_at(
            starts_at=campaign.starts_at,
            ends_at=campaign.ends_at,
            now=now,
            urgent_seconds=campaign.urgent_seconds,
            final_seconds=campaign.final_seconds,
            closed=campaign.status in (CampaignStatus.ENDED, CampaignStatus.ARCHIVED),
        ),
    )
