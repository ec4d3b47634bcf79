"""Gifts that didn't come through Stripe: checks, cash and bank transfers, recorded by staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from ..db import locked
from ..errors import ValidationError
from ..extensions import db
from ..models import (
    Campaign,
    Donation,
    DonationStatus,
    Frequency,
    PaymentMethod,
    Staff,
    utcnow,
)
from ..money import format_money
from ..staff_accounts.audit import record
from .donors import find_or_create_donor
from .totals import recount


@dataclass(frozen=True)
class OfflineGift:
    campaign_id: int
    amount: int
    method: PaymentMethod
    received_on: date
    name: str
    email: str
    reference: str = ""
    comment: str = ""


def record_offline_gift(gift: OfflineGift, actor: Staff) -> Donation:
    """Add a paid gift that counts in the totals at once, marked with how it came in."""
    campaign = db.session.get(Campaign, gift.campaign_id)
    errors: dict[str, str] = {}
    if campaign is None:
        errors["campaign"] = "choose a campaign"
    if gift.method is PaymentMethod.CARD:
        errors["method"] = "card payments come through Stripe"
    if gift.amount <= 0:
        errors["amount"] = "enter an amount greater than zero"
    if gift.received_on > utcnow().date():
        errors["received_on"] = "the date can't be in the future"
    if errors or campaign is None:
        raise ValidationError(errors)
    donor_id = find_or_create_donor(gift.email, gift.name)
    donation = Donation(
        campaign_id=campaign.id,
        donor_id=donor_id,
        amount=gift.amount,
        currency=campaign.currency,
        frequency=Frequency.ONE_TIME,
        status=DonationStatus.PAID,
        name=gift.name.strip(),
        email=gift.email.strip(),
        comment=gift.comment.strip(),
        method=gift.method,
        reference=gift.reference.strip(),
        recorded_by_id=actor.id,
        source="offline",
        paid_at=datetime.combine(gift.received_on, time(12), UTC),
    )
    db.session.add(donation)
    db.session.flush()
    recount(donation)
    record(
        "gift.recorded",
        f"donation:{donation.id}",
        {
            "amount": format_money(gift.amount, campaign.currency),
            "method": gift.method.value,
            "reference": gift.reference,
        },
        actor,
    )
    return donation


def void_gift(donation_id: int, reason: str, actor: Staff) -> Donation:
    """Take an offline gift out of the totals; the row stays, marked void, for the record."""
    donation = locked(select(Donation).where(Donation.id == donation_id))
    if donation is None:
        raise ValidationError({"gift": "no such gift"})
    if donation.method is PaymentMethod.CARD:
        raise ValidationError({"gift": "card payments are refunded in Stripe, not voided here"})
    if donation.status is DonationStatus.VOIDED:
        return donation
    donation.status = DonationStatus.VOIDED
    donation.voided_at = utcnow()
    recount(donation)
    record(
        "gift.voided",
        f"donation:{donation.id}",
        {
            "amount": format_money(donation.amount, donation.currency),
            "reason": reason.strip(),
        },
        actor,
    )
    return donation
