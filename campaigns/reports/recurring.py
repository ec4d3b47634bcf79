"""Monthly gifts: who gives, how much a month, who stopped and whose card failed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Row, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import RecurringGift, RecurringStatus
from .paging import Page, page_of


@dataclass(frozen=True)
class RecurringSummary:
    active: int
    past_due: int
    canceled: int
    monthly_revenue: dict[str, int]  # currency -> minor units a month, active gifts only
    canceled_this_month: int
    churn_percent: float  # canceled this month / active at its start


def recurring_summary(now: datetime) -> RecurringSummary:
    statuses = select(RecurringGift.status, func.count()).group_by(RecurringGift.status)
    counts = {status: int(count) for status, count in db.session.execute(statuses)}
    currencies = (
        select(RecurringGift.currency, func.sum(RecurringGift.amount))
        .where(RecurringGift.status == RecurringStatus.ACTIVE)
        .group_by(RecurringGift.currency)
    )
    revenue = {currency: int(total or 0) for currency, total in db.session.execute(currencies)}
    month_start = datetime(now.year, now.month, 1, tzinfo=UTC)
    canceled_now = int(
        db.session.scalar(select(func.count()).where(RecurringGift.canceled_at >= month_start)) or 0
    )
    # Active at the start of the month: started before it and not canceled before it.
    active_then = int(
        db.session.scalar(
            select(func.count()).where(
                RecurringGift.started_at < month_start,
                (RecurringGift.canceled_at.is_(None)) | (RecurringGift.canceled_at >= month_start),
            )
        )
        or 0
    )
    return RecurringSummary(
        active=counts.get(RecurringStatus.ACTIVE, 0),
        past_due=counts.get(RecurringStatus.PAST_DUE, 0),
        canceled=counts.get(RecurringStatus.CANCELED, 0),
        monthly_revenue=revenue,
        canceled_this_month=canceled_now,
        churn_percent=round(100 * canceled_now / active_then, 1) if active_then else 0.0,
    )


def list_recurring(
    status: RecurringStatus | None, page: int = 1
) -> Page[Row[tuple[RecurringGift]]]:
    query = select(RecurringGift).options(
        joinedload(RecurringGift.donor), joinedload(RecurringGift.campaign)
    )
    if status is not None:
        query = query.where(RecurringGift.status == status)
    return page_of(query.order_by(RecurringGift.id.desc()), page)
