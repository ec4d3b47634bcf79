"""Reading campaign dates as staff write them, in the campaign's own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

END_OF_DAY = time(23, 59)


def load_zone(name: str) -> ZoneInfo:
    """The IANA time zone called ``name``, or ``ValueError`` with a message for people."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as America/New_York"
        ) from None


def _exists(local: datetime) -> bool:
    """False for wall-clock times skipped when clocks spring forward."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def _ambiguous(local: datetime) -> bool:
    """True for wall-clock times that happen twice when clocks fall back."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def parse_local_datetime(text: str, zone: ZoneInfo, *, end_of_day: bool = False) -> datetime:
    """Parse ``2026-12-31`` or ``2026-12-31T23:59`` (local to ``zone``) or an ISO time with an
    offset, returning an aware UTC datetime.

    A bare date means midnight, or 23:59 with ``end_of_day``. Local times that do not exist or
    happen twice around a DST change are refused rather than guessed.
    """
    raw = text.strip()
    try:
        if len(raw) == 10:
            day = date.fromisoformat(raw)
            parsed = datetime.combine(day, END_OF_DAY if end_of_day else time(0, 0))
        else:
            parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if parsed.tzinfo is not None:
        return parsed.astimezone(UTC)
    local = parsed.replace(tzinfo=zone)
    if not _exists(local):
        raise ValueError(f"{raw} does not exist in {zone.key}: clocks skip it (DST)")
    if _ambiguous(local):
        raise ValueError(
            f"{raw} happens twice in {zone.key} (clocks go back): add a UTC offset, "
            f"e.g. {raw}{local.replace(fold=0).strftime('%z')[:3]}:00"
        )
    return local.astimezone(UTC)
