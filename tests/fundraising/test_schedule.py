"""Campaign dates typed in the campaign's time zone, stored in UTC; gaps and overlaps refused."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from campaigns.fundraising.schedule import parse_local_datetime

NEW_YORK = ZoneInfo("America/New_York")
STARTS = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
ENDS = datetime(2027, 1, 1, 4, 59, tzinfo=UTC)  # 2026-12-31 23:59 in New York


def test_a_deadline_typed_in_local_time_is_stored_in_utc() -> None:
    assert parse_local_datetime("2026-12-31T23:59", NEW_YORK) == ENDS
    assert parse_local_datetime("2026-12-31", NEW_YORK, end_of_day=True) == ENDS
    assert parse_local_datetime("2026-11-01", NEW_YORK) == STARTS  # EDT, UTC-4
    assert parse_local_datetime("2026-12-31T23:59-05:00", ZoneInfo("UTC")) == ENDS


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
