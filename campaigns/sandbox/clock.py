"""The sandbox's clock: real time plus an offset that tests and staff can move forward."""

from __future__ import annotations

import calendar
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

DAY = 86_400


class Clock:
    """Unix seconds that follow the wall clock, shifted by every ``advance``."""

    def __init__(self, offset: int = 0) -> None:
        self._offset = offset
        self._lock = threading.Lock()
        self._listeners: list[Callable[[int], object]] = []

    def listen(self, listener: Callable[[int], object]) -> None:
        """Call ``listener(now)`` after every ``advance`` (renewals, expiries)."""
        self._listeners.append(listener)

    def now(self) -> int:
        """The sandbox's current time in unix seconds."""
        with self._lock:
            return int(time.time()) + self._offset

    def advance(self, seconds: int) -> int:
        """Move the clock forward (never back) and return the new time."""
        if seconds < 0:
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._offset += seconds
        now = self.now()
        for listener in self._listeners:
            listener(now)
        return now


def add_interval(anchor: int, interval: str, count: int) -> int:
    """``anchor`` moved by ``count`` days, weeks, months or years, as Stripe bills them.

    Months keep the anchor's day where it exists and fall back to the month's last day
    (Jan 31 -> Feb 28), the way Stripe anchors billing cycles.
    """
    if interval == "day":
        return anchor + count * DAY
    if interval == "week":
        return anchor + count * 7 * DAY
    months = count * (12 if interval == "year" else 1)
    start = datetime.fromtimestamp(anchor, UTC)
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return int(start.replace(year=year, month=month + 1, day=day).timestamp())
