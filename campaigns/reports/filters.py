"""Which donations a staff list, chart or export covers."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, and_, case, type_coerce

from ..models import DisputeStatus, Donation, DonationStatus, Frequency, PaymentMethod


class ShownStatus(enum.StrEnum):
    """A gift's status as staff read it, folding in refunds and disputes."""

    PAID = "paid"
    PENDING = "pending"
    REFUNDED = "refunded"
    PARTLY_REFUNDED = "partly_refunded"
    DISPUTED = "disputed"
    FAILED = "failed"
    EXPIRED = "expired"
    VOIDED = "voided"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_TOTAL = Donation.amount + Donation.fee_amount
_PAID = Donation.status == DonationStatus.PAID
_DISPUTED = Donation.dispute_status.in_([DisputeStatus.OPEN, DisputeStatus.LOST])
_OPEN_DISPUTE = (DisputeStatus.OPEN, DisputeStatus.LOST)
_PAID_PY = DonationStatus.PAID


def _waiting(gift: Donation) -> bool:
    return gift.status in (DonationStatus.PENDING, DonationStatus.PROCESSING)


# The display rule, once: the first line that holds gives a gift its status, each line in
# Python (lists) and in SQL (filters, exports, sorting) side by side. A disputed gift reads
# "disputed" even if it was also refunded.
_RULES: tuple[tuple[ShownStatus, Callable[[Donation], bool], ColumnElement[bool]], ...] = (
    (
        ShownStatus.DISPUTED,
        lambda gift: gift.status is _PAID_PY and gift.dispute_status in _OPEN_DISPUTE,
        and_(_PAID, _DISPUTED),
    ),
    (
        ShownStatus.REFUNDED,
        lambda gift: gift.status is _PAID_PY and gift.amount_refunded >= gift.total_amount,
        and_(_PAID, Donation.amount_refunded >= _TOTAL),
    ),
    (
        ShownStatus.PARTLY_REFUNDED,
        lambda gift: gift.status is _PAID_PY and gift.amount_refunded > 0,
        and_(_PAID, Donation.amount_refunded > 0),
    ),
    (ShownStatus.PAID, lambda gift: gift.status is _PAID_PY, _PAID),
    (
        ShownStatus.PENDING,
        _waiting,
        Donation.status.in_([DonationStatus.PENDING, DonationStatus.PROCESSING]),
    ),
    (
        ShownStatus.FAILED,
        lambda gift: gift.status is DonationStatus.FAILED,
        Donation.status == DonationStatus.FAILED,
    ),
    (
        ShownStatus.EXPIRED,
        lambda gift: gift.status is DonationStatus.EXPIRED,
        Donation.status == DonationStatus.EXPIRED,
    ),
    (
        ShownStatus.VOIDED,
        lambda gift: gift.status is DonationStatus.VOIDED,
        Donation.status == DonationStatus.VOIDED,
    ),
)


def shown_status(donation: Donation) -> ShownStatus:
    """The one status a staff list shows for a gift."""
    return next(status for status, holds, _ in _RULES if holds(donation))


def shown_status_sql() -> ColumnElement[str]:
    """``shown_status`` as a SQL CASE, for exports and the database's own sorting."""
    whens = [(condition, status.value) for status, _, condition in _RULES]
    return case(*whens, else_=type_coerce(Donation.status, String()))


def _shown_as(index: int) -> ColumnElement[bool]:
    condition = _RULES[index][2]
    return and_(condition, *(~earlier for _, _, earlier in _RULES[:index]))


# The gifts a list filtered on a status shows: exactly those that ``shown_status`` labels so.
STATUS_CONDITIONS: dict[ShownStatus, ColumnElement[bool]] = {
    status: _shown_as(index) for index, (status, _, _) in enumerate(_RULES)
}


@dataclass(frozen=True)
class DonationFilter:
    """Every criterion is optional; dates are whole days in UTC, both ends included."""

    campaign_id: int | None = None
    donor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: ShownStatus | None = None
    frequency: Frequency | None = None
    source: str | None = None
    variant: str | None = None
    offline: bool | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.campaign_id is not None:
            found.append(Donation.campaign_id == self.campaign_id)
        if self.donor_id is not None:
            found.append(Donation.donor_id == self.donor_id)
        if self.date_from is not None:
            found.append(Donation.created_at >= datetime.combine(self.date_from, time(), UTC))
        if self.date_to is not None:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), UTC)
            found.append(Donation.created_at < end)
        if self.status is not None:
            found.append(STATUS_CONDITIONS[self.status])
        if self.frequency is not None:
            found.append(Donation.frequency == self.frequency)
        if self.source:
            found.append(Donation.source == self.source)
        if self.variant:
            found.append(Donation.variant == self.variant)
        if self.offline is not None:
            card = Donation.method == PaymentMethod.CARD
            found.append(~card if self.offline else card)
        return found

    def apply(self, query: Select[Any]) -> Select[Any]:
        conditions = self.conditions()
        return query.where(*conditions) if conditions else query
