"""Monthly gifts: the subscription's state and one gift per paid invoice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, or_, select

from ..db import get_or_create_locked
from ..emails.monthly import queue_cancellation, queue_payment_failed, queue_welcome
from ..extensions import db
from ..models import (
    Campaign,
    Donation,
    DonationStatus,
    RecurringGift,
    RecurringStatus,
)
from .gifts import (
    Collected,
    lock_donation,
    mark_paid,
    mark_unsettled,
    renewal_donation,
    set_payment_intent,
)


@dataclass(frozen=True)
class SubscriptionState:
    """A Stripe subscription as the ledger needs it, and when Stripe described it so."""

    subscription_id: str
    status: str
    amount: int
    currency: str
    next_charge_at: datetime | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    observed_at: int
    donation_id: int | None


@dataclass(frozen=True)
class InvoiceOutcome:
    invoice_id: str
    subscription_id: str
    donation_id: int | None
    first_payment: bool
    amount: int  # paid, or due when the payment failed
    payment_intent_id: str | None
    customer_id: str | None
    paid_at: datetime | None
    collected: Collected | None = None  # what a paid invoice took


def knows_subscription(
    subscription_id: str, donation_id: int | None, campaign_slug: str | None
) -> bool:
    """Whether a subscription is one of our monthly gifts, or its metadata names one of our
    gifts or campaigns (a first invoice can arrive before its gift is linked to it)."""
    known = [exists().where(RecurringGift.stripe_subscription_id == subscription_id)]
    if donation_id is not None:
        known.append(exists().where(Donation.id == donation_id))
    if campaign_slug:
        known.append(exists().where(Campaign.slug == campaign_slug))
    return bool(db.session.scalar(select(or_(*known))))


def _origin(donation_id: int | None, subscription_id: str) -> Donation | None:
    """The checkout gift that started a subscription."""
    if donation_id is not None:
        found = db.session.get(Donation, donation_id)
        if found is not None:
            return found
    gift = db.session.scalar(
        select(RecurringGift).where(RecurringGift.stripe_subscription_id == subscription_id)
    )
    if gift is None:
        return None
    return db.session.scalar(
        select(Donation).where(Donation.recurring_gift_id == gift.id).order_by(Donation.id).limit(1)
    )


def ensure_recurring_gift(
    subscription_id: str, origin: Donation, *, amount: int | None = None
) -> RecurringGift:
    """The monthly gift for a subscription, created from the gift that started it."""
    gift = get_or_create_locked(
        RecurringGift,
        {"stripe_subscription_id": subscription_id},
        {
            "campaign_id": origin.campaign_id,
            "donor_id": origin.donor_id,
            "amount": amount if amount is not None else origin.total_amount,
            "currency": origin.currency,
            "status": RecurringStatus.INCOMPLETE,
            "source": origin.source,
            "variant": origin.variant,
        },
    )
    if gift.donor_id is None:
        gift.donor_id = origin.donor_id
    if origin.recurring_gift_id is None:
        origin.recurring_gift_id = gift.id
    return gift


def apply_subscription_state(state: SubscriptionState) -> RecurringGift | None:
    """Take Stripe's view of a subscription unless we already applied a newer one."""
    origin = _origin(state.donation_id, state.subscription_id)
    if origin is None:
        return None
    gift = ensure_recurring_gift(state.subscription_id, origin, amount=state.amount)
    if state.observed_at < gift.stripe_state_at:
        return gift
    gift.stripe_state_at = state.observed_at
    gift.status = RecurringStatus.from_stripe(state.status)
    gift.amount = state.amount
    gift.currency = state.currency
    gift.next_charge_at = state.next_charge_at
    gift.cancel_at_period_end = state.cancel_at_period_end
    gift.canceled_at = state.canceled_at
    queue_cancellation(gift)
    return gift


def _lock_invoice_gift(outcome: InvoiceOutcome) -> tuple[Donation, RecurringGift] | None:
    if outcome.first_payment:
        donation = lock_donation(outcome.donation_id, stripe_invoice_id=outcome.invoice_id)
        if donation is None:
            return None
        if donation.stripe_invoice_id is None:
            donation.stripe_invoice_id = outcome.invoice_id
        gift = ensure_recurring_gift(outcome.subscription_id, donation)
        return donation, gift
    origin = _origin(outcome.donation_id, outcome.subscription_id)
    if origin is None:
        return None
    gift = ensure_recurring_gift(outcome.subscription_id, origin)
    donation = renewal_donation(
        invoice_id=outcome.invoice_id,
        template=origin,
        amount=outcome.amount,
        recurring_gift_id=gift.id,
    )
    return donation, gift


def record_invoice_paid(outcome: InvoiceOutcome) -> Donation | None:
    """One gift per paid invoice; the first invoice is the checkout gift itself."""
    found = _lock_invoice_gift(outcome)
    if found is None:
        return None
    donation, gift = found
    set_payment_intent(donation, outcome.payment_intent_id)
    mark_paid(
        donation,
        paid_at=outcome.paid_at,
        customer_id=outcome.customer_id,
        collected=outcome.collected,
    )
    if gift.donor_id is None:
        gift.donor_id = donation.donor_id
    if outcome.first_payment:
        queue_welcome(gift, donation)
    return donation


def record_invoice_failed(outcome: InvoiceOutcome) -> Donation | None:
    """A monthly payment failed: the gift is past due until a retry or the card is fixed."""
    found = _lock_invoice_gift(outcome)
    if found is None:
        return None
    donation, gift = found
    if donation.status is DonationStatus.PAID:
        return donation
    mark_unsettled(donation, DonationStatus.FAILED)
    gift.failed_payments += 1
    if gift.status is RecurringStatus.ACTIVE and not outcome.first_payment:
        gift.status = RecurringStatus.PAST_DUE
    if not outcome.first_payment:
        queue_payment_failed(gift, donation)
    return donation
