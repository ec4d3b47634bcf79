"""Hand-made gifts for the report tests, recorded through the ledger's own services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from campaigns.db import unit_of_work
from campaigns.extensions import db
from campaigns.fundraising.adjustments import (
    DisputeState,
    RefundState,
    record_dispute,
    record_refund,
)
from campaigns.fundraising.gifts import mark_paid, set_payment_intent
from campaigns.models import Campaign, DisputeStatus, Donation
from tests.factories import start_gift


def paid_gift(
    campaign: Campaign,
    amount: int = 2500,
    *,
    paid_at: datetime | None = None,
    created_at: datetime | None = None,
    **request: Any,
) -> Donation:
    """A card gift, started on the donate form and paid as Stripe's webhook would say."""
    donation = start_gift(campaign, amount, **request)
    with unit_of_work():
        if created_at is not None:
            donation.created_at = created_at
        set_payment_intent(donation, f"pi_test_{donation.id}")
        mark_paid(donation, paid_at=paid_at or created_at)
    return donation


def refund(donation: Donation, amount: int | None = None) -> None:
    """Stripe reports a refund (cumulative), the whole charge unless ``amount`` says less."""
    assert donation.stripe_payment_intent_id is not None
    with unit_of_work():
        record_refund(
            RefundState(
                payment_intent_id=donation.stripe_payment_intent_id,
                charge_id=f"ch_test_{donation.id}",
                amount_refunded=donation.total_amount if amount is None else amount,
            )
        )
    db.session.refresh(donation)


def dispute(donation: Donation, status: DisputeStatus, observed_at: int = 1) -> None:
    assert donation.stripe_payment_intent_id is not None
    with unit_of_work():
        record_dispute(
            DisputeState(
                payment_intent_id=donation.stripe_payment_intent_id,
                charge_id=f"ch_test_{donation.id}",
                status=status,
                amount=donation.total_amount,
                observed_at=observed_at,
            )
        )
    db.session.refresh(donation)
