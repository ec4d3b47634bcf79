from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns.fundraising.progress import percent_raised, seconds_left, stage_at
from campaigns.fundraising.schedule import parse_local_datetime
from campaigns.models import Stage

NEW_YORK = ZoneInfo("America/New_York")
DAY = 86400
STARTS = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
ENDS = datetime(2027, 1, 1, 4, 59, tzinfo=UTC)  # 2026-12-31 23:59 in New York


def stage(now: datetime, **kwargs: object) -> Stage:
    options: dict[str, object] = {
        "starts_at": STARTS,
        "ends_at": ENDS,
        "urgent_seconds": 7 * DAY,
        "final_seconds": 2 * DAY,
    }
    options.update(kwargs)
    return stage_at(now=now, **options)  # type: ignore[arg-type]


def test_percent_rounds_down_and_may_pass_100() -> None:
    assert percent_raised(0, 5_000_000) == 0
    assert percent_raised(2_499_999, 5_000_000) == 49
    assert percent_raised(5_000_000, 5_000_000) == 100
    assert percent_raised(7_654_321, 5_000_000) == 153
    with pytest.raises(ValueError):
        percent_raised(1, 0)


def test_seconds_left_never_goes_negative() -> None:
    assert seconds_left(ENDS, ENDS - timedelta(seconds=90)) == 90
    assert seconds_left(ENDS, ENDS) == 0
    assert seconds_left(ENDS, ENDS + timedelta(days=3)) == 0


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (STARTS - timedelta(seconds=1), Stage.UPCOMING),
        (STARTS, Stage.NORMAL),
        (ENDS - timedelta(days=7, seconds=1), Stage.NORMAL),
        (ENDS - timedelta(days=7), Stage.URGENT),
        (ENDS - timedelta(hours=48, seconds=1), Stage.URGENT),
        (ENDS - timedelta(hours=48), Stage.FINAL),
        (ENDS - timedelta(seconds=1), Stage.FINAL),
        (ENDS, Stage.ENDED),
        (ENDS + timedelta(days=30), Stage.ENDED),
    ],
)
def test_stage_boundaries(now: datetime, expected: Stage) -> None:
    assert stage(now) is expected


def test_thresholds_are_per_campaign() -> None:
    now = ENDS - timedelta(days=10)
    assert stage(now) is Stage.NORMAL
    assert stage(now, urgent_seconds=14 * DAY) is Stage.URGENT
    assert stage(now, urgent_seconds=14 * DAY, final_seconds=11 * DAY) is Stage.FINAL


def test_a_closed_campaign_has_ended_whatever_the_clock() -> None:
    assert stage(STARTS + timedelta(days=1), closed=True) is Stage.ENDED


def test_final_stage_counts_real_hours_across_a_dst_change() -> None:
    # Clocks fall back at 02:00 on 2026-11-01 in New York: the 48 hours before a deadline of
    # 2026-11-02 12:00 EST span 49 wall-clock hours.
    deadline = parse_local_datetime("2026-11-02T12:00", NEW_YORK)
    start = parse_local_datetime("2026-10-01", NEW_YORK)
    wall_clock_48h_before = parse_local_datetime("2026-10-31T12:00", NEW_YORK)
    assert deadline - wall_clock_48h_before == timedelta(hours=49)
    assert stage(wall_clock_48h_before, starts_at=start, ends_at=deadline) is Stage.URGENT
    real_48h_before = deadline - timedelta(hours=48)
    assert real_48h_before.astimezone(NEW_YORK).hour == 13
    assert stage(real_48h_before, starts_at=start, ends_at=deadline) is Stage.FINAL
    assert seconds_left(deadline, real_48h_before) == 48 * 3600
