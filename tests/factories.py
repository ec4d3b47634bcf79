"""Builders for test data, going through the same services the app uses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from campaigns.db import unit_of_work
from campaigns.fundraising.campaigns import CampaignDraft, create_campaign
from campaigns.models import Campaign


def make_campaign(**overrides: Any) -> Campaign:
    """A live USD campaign that started yesterday and ends in 30 days, unless told otherwise."""
    now = datetime.now(UTC)
    fields: dict[str, Any] = {
        "slug": "eoy-test",
        "title": "Keep independent media alive",
        "description": "Online donations are back!\n\nYour help is needed now.",
        "goal_amount": 5_000_000,
        "currency": "usd",
        "starts_at": now - timedelta(days=1),
        "ends_at": now + timedelta(days=30),
        "timezone": "America/New_York",
        "preset_amounts": [2500, 5000, 10000],
    }
    fields.update(overrides)
    with unit_of_work():
        return create_campaign(CampaignDraft(**fields))


def start_gift(campaign: Campaign, amount: int = 2500, **overrides: Any):
    """A pending gift, as the donate form records it before Checkout."""
    from campaigns.fundraising.gifts import GiftRequest, start_donation
    from campaigns.models import Frequency

    fields: dict[str, Any] = {
        "amount": amount,
        "frequency": Frequency.ONE_TIME,
        "cover_fees": False,
        "name": "Ann Example",
        "email": "ann@example.org",
    }
    fields.update(overrides)
    with unit_of_work():
        return start_donation(campaign, GiftRequest(**fields))
