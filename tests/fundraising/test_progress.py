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


def test_a_deadline_typed_in_local_time_is_stored_in_utc() -> None:
    assert parse_local_datetime("2026-12-31T23:59", NEW_YORK) == ENDS
    assert parse_local_datetime("2026-12-31", NEW_YORK, end_of_day=True) == ENDS
    assert parse_local_datetime("2026-11-01", NEW_YORK) == STARTS  # EDT, UTC-4
    assert parse_local_datetime("2026-12-31T23:59-05:00", ZoneInfo("UTC")) == ENDS


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


def test_spring_forward_gap_and_fall_back_overlap_are_refused() -> None:
    with pytest.raises(ValueError, match="does not exist in America/New_York"):
        parse_local_datetime("2026-03-08T02:30", NEW_YORK)
    with pytest.raises(ValueError, match="happens twice"):
        parse_local_datetime("2026-11-01T01:30", NEW_YORK)
    # With an offset the instant is exact.
    first = parse_local_datetime("2026-11-01T01:30-04:00", NEW_YORK)
    second = parse_local_datetime("2026-11-01T01:30-05:00", NEW_YORK)
    assert second - first == timedelta(hours=1)


def test_unreadable_dates_are_refused() -> None:
    for text in ("tomorrow", "2026-13-01", "31/12/2026", ""):
        with pytest.raises(ValueError, match="is not a date"):
            parse_local_datetime(text, NEW_YORK)
