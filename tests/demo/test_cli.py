"""``flask demo``: the demo campaign, and refusals of what the history generator cannot make."""

import pytest
from sqlalchemy import func, select

from campaigns.demo.cli import demo_command
from campaigns.models import Campaign, CampaignStatus


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def count_campaigns(db) -> int:
    return db.scalar(select(func.count()).select_from(Campaign))


def test_demo_is_safe_to_run_twice(runner, db) -> None:
    first = runner.invoke(demo_command)
    assert first.exit_code == 0, first.output
    assert "Loaded demo campaign" in first.output
    second = runner.invoke(demo_command)
    assert second.exit_code == 0
    assert "Already there" in second.output
    assert count_campaigns(db) == 1
    campaign = db.scalar(select(Campaign))
    assert campaign.status is CampaignStatus.LIVE
    assert campaign.goal_amount == 5_000_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--donors", "0", "--donations", "10"], "--donors"),
        (["--donors", "-5", "--donations", "10"], "--donors"),
        (["--donors", "50", "--donations", "10"], "--donations"),
        (["--donors", "x", "--donations", "10"], "--donors"),
        (["--donors", "50"], "together"),
        (["--donations", "50"], "together"),
    ],
)
def test_bad_numbers_are_refused_on_stderr(runner, db, args, message) -> None:
    result = runner.invoke(demo_command, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr
    assert count(db, Campaign) == 0
