"""Lapsed donors: LYBUNT (gave last year, not this year) and SYBUNT (gave some year before,
not this year), over counted gifts, with calendar years in the organisation's time zone.

Each list is a ``Select`` to page through (``paging.page_of``) or export as CSV. The figures
on each line (last gift, its amount, the total) cover the donor's gifts before the year.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import BigInteger, ColumnElement, Select, and_, case, cast, func, select

from ..models import Donation, Donor
from .exports import iso_utc, money, spreadsheet_safe, stream_csv


def year_start(year: int, zone: ZoneInfo) -> datetime:
    """Midnight on January 1 of ``year`` in ``zone``, as an aware datetime."""
    return datetime(year, 1, 1, tzinfo=zone)


def _zone(timezone: str | None) -> ZoneInfo:
    return ZoneInfo(timezone or current_app.config["DEFAULT_TIMEZONE"])


def _lapsed(since: str, year: int | None, timezone: str | None) -> Select[Any]:
    zone = _zone(timezone)
    year = year if year is not None else datetime.now(zone).year
    start, end = year_start(year, zone), year_start(year + 1, zone)
    gift = Donation
    scope = [gift.counted, gift.donor_id.is_not(None), gift.paid_at < end]
    if since == "last":  # LYBUNT: only last year's gifts and this year's decide
        scope.append(gift.paid_at >= year_start(year - 1, zone))
    last_gift_at = func.max(case((gift.paid_at < start, gift.paid_at)))
    in_year = and_(gift.paid_at >= start, gift.paid_at < end)
    lapsed = (
        select(gift.donor_id.label("donor_id"), last_gift_at.label("last_gift_at"))
        .where(*scope)
        .group_by(gift.donor_id)
        .having(func.sum(case((in_year, 1), else_=0)) == 0, last_gift_at.is_not(None))
        .subquery()
    )
    # The rest per listed donor, as subqueries the database runs only for the rows it returns
    # (a page, after sorting), rather than a join over every lapsed donor.
    mine = and_(gift.donor_id == lapsed.c.donor_id, gift.counted)
    last = (
        select(gift.counted_amount)
        .where(mine, gift.paid_at == lapsed.c.last_gift_at)
        .order_by(gift.id.desc())
        .limit(1)
    )
    donor = select(Donor.name).where(Donor.id == lapsed.c.donor_id)
    return select(
        lapsed.c.donor_id,
        donor.scalar_subquery().label("name"),
        donor.with_only_columns(Donor.email).scalar_subquery().label("email"),
        lapsed.c.last_gift_at,
        last.scalar_subquery().label("last_gift_amount"),
        select(cast(func.coalesce(func.sum(gift.counted_amount), 0), BigInteger))
        .where(mine, gift.paid_at < start)
        .scalar_subquery()
        .label("lifetime_total"),
        last.with_only_columns(gift.currency).scalar_subquery().label("currency"),
    ).order_by(lapsed.c.last_gift_at.desc(), lapsed.c.donor_id.desc())


def lybunt(year: int | None = None, *, timezone: str | None = None) -> Select[Any]:
    """Donors with a counted gift in ``year - 1`` and none in ``year`` (default: this year):
    donor_id, name, email, last_gift_at, last_gift_amount, lifetime_total, currency."""
    return _lapsed("last", year, timezone)


def sybunt(year: int | None = None, *, timezone: str | None = None) -> Select[Any]:
    """Donors with a counted gift in any year before ``year`` and none in it; LYBUNT donors
    included. Same columns as ``lybunt``."""
    return _lapsed("some", year, timezone)


RETENTION_HEADER = (
    *("donor_id", "name", "email", "last_gift_at", "last_gift_amount", "lifetime_total"),
    "currency",
)


def _csv(listing: Select[Any]) -> Iterator[str]:
    rows = listing.subquery()
    columns: list[ColumnElement[Any]] = [
        rows.c.donor_id,
        spreadsheet_safe(rows.c.name),
        spreadsheet_safe(rows.c.email),
        iso_utc(rows.c.last_gift_at),
        rows.c.last_gift_amount,
        rows.c.lifetime_total,
        rows.c.currency,
    ]
    statement = select(*columns).order_by(rows.c.last_gift_at.desc(), rows.c.donor_id.desc())

    def cells(row: Sequence[Any]) -> Sequence[Any]:
        currency = row[6]
        return (*row[:4], money(row[4], currency), money(row[5], currency), currency)

    return stream_csv(RETENTION_HEADER, statement, cells)


def lybunt_csv(year: int | None = None, *, timezone: str | None = None) -> Iterator[str]:
    return _csv(lybunt(year, timezone=timezone))


def sybunt_csv(year: int | None = None, *, timezone: str | None = None) -> Iterator[str]:
    return _csv(sybunt(year, timezone=timezone))
