"""The stage timeline the banner follows."""

from datetime import UTC, datetime, timedelta

from campaigns.fundraising.banner import stage_changes
from campaigns.models import CampaignStatus, Stage
from tests.factories import make_campaign


def test_timeline_of_a_running_campaign(db) -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    ends = datetime(2027, 1, 1, 4, 59, tzinfo=UTC)
    campaign = make_campaign(starts_at=now - timedelta(days=30), ends_at=ends)
    assert stage_changes(campaign, now) == [
        (Stage.URGENT, ends - timedelta(days=7)),
        (Stage.FINAL, ends - timedelta(hours=48)),
        (Stage.ENDED, ends),
    ]
    assert stage_changes(campaign, ends - timedelta(hours=1)) == [(Stage.ENDED, ends)]
    assert stage_changes(campaign, ends) == []


def test_timeline_of_a_short_campaign_skips_the_stages_it_never_has(db) -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    starts, ends = now + timedelta(hours=1), now + timedelta(days=3)
    campaign = make_campaign(starts_at=starts, ends_at=ends)
    assert stage_changes(campaign, now) == [
        (Stage.URGENT, starts),
        (Stage.FINAL, ends - timedelta(hours=48)),
        (Stage.ENDED, ends),
    ]


def test_a_closed_campaign_has_no_timeline(db) -> None:
    campaign = make_campaign()
    campaign.status = CampaignStatus.ARCHIVED
    assert stage_changes(campaign, datetime.now(UTC)) == []
