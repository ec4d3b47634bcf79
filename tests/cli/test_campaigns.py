from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from campaigns.models import BannerCopy, Campaign, CampaignStatus

CREATE = [
    "campaigns",
    "create",
    "--slug",
    "eoy-2026",
    "--title",
    "Keep independent media alive",
    "--goal",
    "50000",
    "--currency",
    "usd",
    "--starts",
    "2026-11-01",
    "--ends",
    "2026-12-31T23:59",
    "--timezone",
    "America/New_York",
]


def with_option(args: list[str], option: str, value: str) -> list[str]:
    changed = list(args)
    changed[changed.index(option) + 1] = value
    return changed


def count_campaigns(db) -> int:
    return db.scalar(select(func.count()).select_from(Campaign))


def test_create_stores_minor_units_and_utc(runner, db) -> None:
    result = runner.invoke(args=CREATE)
    assert result.exit_code == 0, result.output
    assert "Created live campaign eoy-2026" in result.output
    campaign = db.scalar(select(Campaign).where(Campaign.slug == "eoy-2026"))
    assert campaign.goal_amount == 5_000_000
    assert campaign.currency == "usd"
    assert campaign.status is CampaignStatus.LIVE
    assert campaign.starts_at == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    assert campaign.ends_at == datetime(2027, 1, 1, 4, 59, tzinfo=UTC)
    assert campaign.timezone == "America/New_York"
    assert campaign.preset_amounts == [2500, 5000, 10000, 25000]
    stages = {copy.stage.value for copy in campaign.banner_copies}
    assert stages == {"upcoming", "normal", "urgent", "final", "ended"}


def test_draft_flag_and_thresholds(runner, db) -> None:
    args = [*CREATE, "--draft", "--urgent-days", "10", "--final-hours", "24", "--currency", "EUR"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    campaign = db.scalar(select(Campaign))
    assert campaign.status is CampaignStatus.DRAFT
    assert campaign.currency == "eur"
    assert (campaign.urgent_seconds, campaign.final_seconds) == (10 * 86400, 24 * 3600)


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--currency", "xyz", "--currency: unknown currency 'xyz'"),
        ("--ends", "2026-10-01", "--ends: the campaign must end after it starts"),
        ("--goal", "abc", "--goal: 'abc': enter an amount as a number"),
        ("--goal", "0", "--goal: '0': enter an amount greater than zero"),
        ("--goal", "-100", "--goal: '-100': enter an amount greater than zero"),
        ("--slug", "Not A Slug!", "--slug: use 1-64 lowercase letters"),
        ("--title", "   ", "--title: give the campaign a title"),
        ("--timezone", "Mars/Olympus", "--timezone: unknown time zone 'Mars/Olympus'"),
        ("--starts", "someday", "--starts: 'someday' is not a date"),
        ("--ends", "2026-03-08T02:30", "--ends: 2026-03-08T02:30 does not exist"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_writes_nothing(
    runner, db, option: str, value: str, message: str
) -> None:
    result = runner.invoke(args=with_option(CREATE, option, value))
    assert result.exit_code != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert count_campaigns(db) == 0
    assert db.scalar(select(func.count()).select_from(BannerCopy)) == 0


def test_duplicate_slug_is_refused_and_the_first_is_kept(runner, db) -> None:
    assert runner.invoke(args=CREATE).exit_code == 0
    result = runner.invoke(args=with_option(CREATE, "--title", "Another"))
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: --slug: a campaign with slug 'eoy-2026' already exists"
    assert count_campaigns(db) == 1
    assert db.scalar(select(Campaign.title)) == "Keep independent media alive"


def test_list_and_show(runner) -> None:
    assert "No campaigns yet" in runner.invoke(args=["campaigns", "list"]).output
    runner.invoke(args=CREATE)
    listing = runner.invoke(args=["campaigns", "list"]).output
    assert "eoy-2026" in listing
    assert "$0.00 of $50,000.00 (0%)" in listing
    shown = runner.invoke(args=["campaigns", "show", "eoy-2026"])
    assert shown.exit_code == 0
    assert "goal:         $50,000.00" in shown.output
    assert "ends:         2026-12-31 23:59 EST" in shown.output
    missing = runner.invoke(args=["campaigns", "show", "nope"])
    assert missing.exit_code == 1
    assert "no campaign with slug 'nope'" in missing.stderr


def test_create_is_audited_as_the_command_line(runner, db) -> None:
    from campaigns.models import AuditEntry

    assert runner.invoke(args=CREATE).exit_code == 0
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "campaign.created"))
    assert entry is not None
    assert (entry.actor, entry.staff_id, entry.details) == (
        "command line",
        None,
        {"slug": "eoy-2026"},
    )


def test_a_refused_create_writes_nothing_not_even_its_audit_entry(runner, db) -> None:
    from campaigns.models import AuditEntry

    result = runner.invoke(args=with_option(CREATE, "--ends", "2026-10-01"))
    assert result.exit_code == 1
    assert count_campaigns(db) == 0
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == 0
