"""What a donor gave: their gifts, monthly gifts and one year's statement."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Donation,
    DonationStatus,
    Donor,
    Frequency,
    RecurringGift,
    RecurringStatus,
)


def paid_gifts(donor_id: int, limit: int = 500) -> list[Donation]:
    """The donor's paid gifts, newest first (refunded ones too: they were paid)."""
    query = (
        select(Donation)
        .options(joinedload(Donation.campaign))
        .where(Donation.donor_id == donor_id, Donation.status == DonationStatus.PAID)
        .order_by(Donation.paid_at.desc(), Donation.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def monthly_gifts(donor_id: int) -> list[RecurringGift]:
    """The donor's monthly gifts that ever started, the running ones first."""
    query = (
        select(RecurringGift)
        .options(joinedload(RecurringGift.campaign))
        .where(
            RecurringGift.donor_id == donor_id,
            RecurringGift.status != RecurringStatus.INCOMPLETE,
        )
        .order_by(RecurringGift.id)
    )
    gifts = list(db.session.scalars(query))
    return sorted(gifts, key=lambda gift: not gift.status.is_open)


def donor_monthly_gift(donor_id: int, gift_id: int) -> RecurringGift | None:
    """One of the donor's monthly gifts; None for anyone else's."""
    gift = db.session.get(RecurringGift, gift_id)
    return gift if gift is not None and gift.donor_id == donor_id else None


def donor_paid_gift(donor_id: int, donation_id: int) -> Donation | None:
    gift = db.session.get(Donation, donation_id)
    if gift is None or gift.donor_id != donor_id or gift.status is not DonationStatus.PAID:
        return None
    return gift


def gift_year(donation: Donation) -> int:
    """The year a gift counts in: its date where its campaign is, as on its receipt."""
    assert donation.paid_at is not None
    return donation.paid_at.astimezone(donation.campaign.zone).year


@dataclass(frozen=True)
class StatementLine:
    donation_id: int
    paid_at: datetime
    zone: str
    campaign: str
    currency: str
    charged: int  # what was paid
    refunded: int  # what came back since, refunds and lost disputes together
    net: int  # what counts as given
    monthly: bool


@dataclass(frozen=True)
class YearStatement:
    donor_id: int
    name: str
    email: str
    year: int
    lines: list[StatementLine]
    totals: dict[str, int]  # net given per currency


def _year_window(year: int) -> tuple[datetime, datetime]:
    # A day either side: a gift's year is decided in its campaign's time zone afterwards.
    return (
        datetime(year, 1, 1, tzinfo=UTC) - timedelta(days=1),
        datetime(year + 1, 1, 1, tzinfo=UTC) + timedelta(days=1),
    )


def _counted_in(year: int) -> tuple[ColumnElement[bool], ...]:
    start, end = _year_window(year)
    return (
        Donation.status == DonationStatus.PAID,
        Donation.counted_amount > 0,
        Donation.paid_at >= start,
        Donation.paid_at < end,
    )


def donors_with_gifts_in(year: int) -> list[int]:
    """Ids of donors with a gift that may count in ``year``, in id order."""
    query = (
        select(Donation.donor_id)
        .where(Donation.donor_id.is_not(None), *_counted_in(year))
        .distinct()
        .order_by(Donation.donor_id)
    )
    return [donor_id for donor_id in db.session.scalars(query) if donor_id is not None]


def year_statements(donor_ids: Iterable[int], year: int) -> list[YearStatement]:
    """One statement per donor who gave in ``year`` (net of refunds); donors in id order."""
    ids = list(donor_ids)
    query = (
        select(Donation)
        .options(joinedload(Donation.campaign))
        .where(Donation.donor_id.in_(ids), *_counted_in(year))
        .order_by(Donation.donor_id, Donation.paid_at, Donation.id)
    )
    lines: dict[int, list[StatementLine]] = defaultdict(list)
    for gift in db.session.scalars(query):
        if gift.donor_id is None or gift.paid_at is None or gift_year(gift) != year:
            continue
        lines[gift.donor_id].append(
            StatementLine(
                donation_id=gift.id,
                paid_at=gift.paid_at,
                zone=gift.campaign.timezone,
                campaign=gift.campaign.title,
                currency=gift.currency,
                charged=gift.charged_amount,
                refunded=gift.charged_amount - gift.counted_amount,
                net=gift.counted_amount,
                monthly=gift.frequency is Frequency.MONTHLY,
            )
        )
    donors = db.session.scalars(select(Donor).where(Donor.id.in_(list(lines)))).all()
    statements = []
    for donor in sorted(donors, key=lambda donor: donor.id):
        totals: dict[str, int] = defaultdict(int)
        for line in lines[donor.id]:
            totals[line.currency] += line.net
        statements.append(
            YearStatement(
                donor_id=donor.id,
                name=donor.name,
                email=donor.email,
                year=year,
                lines=lines[donor.id],
                totals=dict(totals),
            )
        )
    return statements


def year_statement(donor_id: int, year: int) -> YearStatement | None:
    found = year_statements([donor_id], year)
    return found[0] if found else None


def statement_years(gifts: Iterable[Donation]) -> list[int]:
    """The years, newest first, in which these paid gifts still count for something."""
    return sorted(
        {gift_year(gift) for gift in gifts if gift.paid_at and gift.counted_amount > 0},
        reverse=True,
    )
