"""A gift's life: started at checkout, then paid, failed or expired as Stripe reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..db import get_or_create_locked, locked
from ..emails.receipts import queue_receipt
from ..extensions import db
from ..models import Campaign, Donation, DonationStatus, Frequency, utcnow
from .donors import find_or_create_donor
from .fees import campaign_fee
from .totals import recount


@dataclass(frozen=True)
class GiftRequest:
    """What a donor asked for on the donate page, already validated."""

    amount: int
    frequency: Frequency
    cover_fees: bool
    name: str
    email: str
    anonymous: bool = False
    dedication: str = ""
    comment: str = ""
    newsletter: bool = False
    source: str = ""
    variant: str = ""


def start_donation(campaign: Campaign, request: GiftRequest) -> Donation:
    """Record a pending gift before the donor is sent to Stripe Checkout."""
    donation = Donation(
        campaign_id=campaign.id,
        amount=request.amount,
        fee_amount=campaign_fee(campaign, request.amount) if request.cover_fees else 0,
        currency=campaign.currency,
        frequency=request.frequency,
        status=DonationStatus.PENDING,
        name=request.name,
        email=request.email,
        anonymous=request.anonymous,
        dedication=request.dedication,
        comment=request.comment,
        newsletter=request.newsletter,
        source=request.source,
        variant=request.variant,
    )
    db.session.add(donation)
    db.session.flush()
    return donation


def attach_checkout_session(donation_id: int, session_id: str) -> None:
    """Remember which Checkout Session carries this gift (the webhook may have said so first)."""
    donation = locked(select(Donation).where(Donation.id == donation_id))
    if donation is not None and donation.stripe_checkout_session_id is None:
        donation.stripe_checkout_session_id = session_id


def lock_donation(donation_id: int | None, **stripe_ids: str | None) -> Donation | None:
    """Our gift, found by our id (from Stripe metadata) or by any Stripe id it carries."""
    if donation_id is not None:
        found = locked(select(Donation).where(Donation.id == donation_id))
        if found is not None:
            return found
    for column, value in stripe_ids.items():
        if value:
            found = locked(select(Donation).where(getattr(Donation, column) == value))
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Collected:
    """What Stripe says it took for a gift: minor units in a currency (lower case)."""

    amount: int
    currency: str


def record_collected(donation: Donation, collected: Collected) -> None:
    """Keep Stripe's figure, and flag the gift when it isn't what the gift was started for."""
    donation.collected_amount = collected.amount
    donation.collected_currency = collected.currency
    donation.amount_mismatch = (collected.amount, collected.currency) != (
        donation.total_amount,
        donation.currency.lower(),
    )


def mark_paid(
    donation: Donation,
    *,
    paid_at: datetime | None = None,
    customer_id: str | None = None,
    collected: Collected | None = None,
) -> None:
    """The money arrived: attach the donor and count the gift (a second call changes nothing).

    With ``collected`` the gift counts what Stripe took rather than what the form asked for.
    """
    if collected is not None:
        record_collected(donation, collected)
    if donation.status is not DonationStatus.PAID:
        donation.status = DonationStatus.PAID
        donation.paid_at = paid_at or utcnow()
    if donation.donor_id is None and donation.email:
        donation.donor_id = find_or_create_donor(
            donation.email,
            donation.name,
            newsletter=donation.newsletter,
            stripe_customer_id=customer_id,
        )
    queue_receipt(donation)  # in this transaction: one receipt per paid gift, never lost
    recount(donation)


def mark_unsettled(donation: Donation, status: DonationStatus) -> None:
    """Processing, failed or expired: only a gift not yet paid can move there."""
    if donation.status is DonationStatus.PAID:
        return
    if donation.status is DonationStatus.FAILED and status is DonationStatus.PROCESSING:
        return
    donation.status = status
    recount(donation)


def set_payment_intent(donation: Donation, payment_intent_id: str | None) -> None:
    if payment_intent_id and donation.stripe_payment_intent_id is None:
        donation.stripe_payment_intent_id = payment_intent_id


def renewal_donation(
    *, invoice_id: str, template: Donation, amount: int, recurring_gift_id: int
) -> Donation:
    """The gift for one monthly renewal invoice, created once whatever the deliveries."""
    same_total = amount == template.total_amount
    return get_or_create_locked(
        Donation,
        {"stripe_invoice_id": invoice_id},
        {
            "campaign_id": template.campaign_id,
            "donor_id": template.donor_id,
            "recurring_gift_id": recurring_gift_id,
            "amount": template.amount if same_total else amount,
            "fee_amount": template.fee_amount if same_total else 0,
            "currency": template.currency,
            "frequency": Frequency.MONTHLY,
            "status": DonationStatus.PENDING,
            "counted_amount": 0,
            "counted": False,
            "name": template.name,
            "email": template.email,
            "anonymous": template.anonymous,
            "dedication": template.dedication,
            "comment": "",
            "newsletter": False,
            "source": template.source,
            "variant": template.variant,
            "created_at": utcnow(),
            "updated_at": utcnow(),
        },
    )


def donation_for_session(session_id: str) -> Donation | None:
    """Our gift behind a Checkout Session, as the thanks page reads it."""
    return db.session.scalar(
        select(Donation).where(Donation.stripe_checkout_session_id == session_id)
    )


def get_donation(donation_id: int) -> Donation | None:
    return db.session.get(Donation, donation_id)


def resumable_donation(donation_id: int, campaign_id: int) -> Donation | None:
    """A gift the donor walked away from in Checkout, to fill the form in again."""
    donation = db.session.get(Donation, donation_id)
    if donation is None or donation.campaign_id != campaign_id:
        return None
    return donation
