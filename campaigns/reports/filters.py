"""Which donations a staff list, chart or export covers."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_

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

STATUS_CONDITIONS: dict[ShownStatus, ColumnElement[bool]] = {
    ShownStatus.PAID: and_(_PAID, Donation.amount_refunded == 0, ~_DISPUTED),
    ShownStatus.PENDING: Donation.status.in_([DonationStatus.PENDING, DonationStatus.PROCESSING]),
    ShownStatus.REFUNDED: and_(_PAID, Donation.amount_refunded >= _TOTAL),
    ShownStatus.PARTLY_REFUNDED: and_(
        _PAID, Donation.amount_refunded > 0, Donation.amount_refunded < _TOTAL
    ),
    ShownStatus.DISPUTED: and_(_PAID, _DISPUTED),
    ShownStatus.FAILED: Donation.status == DonationStatus.FAILED,
    ShownStatus.EXPIRED: Donation.status == DonationStatus.EXPIRED,
    ShownStatus.VOIDED: Donation.status == DonationStatus.VOIDED,
}


def shown_status(donation: Donation) -> ShownStatus:
    """The one status a staff list shows for a gift."""
    if donation.status is DonationStatus.PAID:
        if donation.dispute_status in (DisputeStatus.OPEN, DisputeStatus.LOST):
            return ShownStatus.DISPUTED
        if donation.amount_refunded >= donation.total_amount:
            return ShownStatus.REFUNDED
        if donation.amount_refunded > 0:
            return ShownStatus.PARTLY_REFUNDED
        return ShownStatus.PAID
    if donation.status in (DonationStatus.PENDING, DonationStatus.PROCESSING):
        return ShownStatus.PENDING
    return ShownStatus(donation.status.value)


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
