"""Campaign totals as running counters, moved in the same transaction as each gift."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, case, func, literal, or_, select, update

from ..db import upsert
from ..extensions import db
from ..models import (
    Campaign,
    CampaignDonor,
    DisputeStatus,
    Donation,
    DonationStatus,
    Donor,
    Payment,
    UTCDateTime,
    utcnow,
)

_DONOR = cast(Table, Donor.__table__)


# The net-amount rule, once in Python and once in SQL, side by side: what a gift adds to its
# campaign is the charge, less refunds and a lost dispute, and only while it is paid.


def net_of(paid: bool, total: int, refunded: int, lost: int) -> int:
    """The net-amount rule on plain figures (the seed computes it for rows it has not stored)."""
    return max(total - refunded - lost, 0) if paid else 0


def net_amount(donation: Donation, payment: Payment | None) -> int:
    """What a gift adds to its campaign: the charge, less refunds and a lost dispute."""
    refunded = payment.amount_refunded if payment else 0
    lost = (
        payment.disputed_amount if payment and payment.dispute_status is DisputeStatus.LOST else 0
    )
    return net_of(donation.status is DonationStatus.PAID, donation.charged_amount, refunded, lost)


def charged_amount_sql(gifts: Table) -> ColumnElement[Any]:
    """``Donation.charged_amount`` as SQL: Stripe's collected figure once known, in the gift's
    currency (nothing in another one), else the amount asked for."""
    gift = gifts.c
    return case(
        (gift.collected_amount.is_(None), gift.amount + gift.fee_amount),
        (func.lower(gift.collected_currency) == func.lower(gift.currency), gift.collected_amount),
        else_=0,
    )


def net_amount_sql(gifts: Table, payments: Table) -> ColumnElement[Any]:
    """``net_amount`` as SQL over a donation row: paid, less refunds and a lost dispute."""
    gift = gifts.c
    lost_amount = (
        select(payments.c.disputed_amount)
        .where(payments.c.stripe_payment_intent_id == gift.stripe_payment_intent_id)
        .scalar_subquery()
    )
    # Refund and dispute facts are copied from the payment first (see repair._copy_payment_facts);
    # a gift with no payment intent has no payment to take them from.
    refunded = case((gift.stripe_payment_intent_id.is_(None), 0), else_=gift.amount_refunded)
    lost = case((gift.dispute_status == DisputeStatus.LOST, func.coalesce(lost_amount, 0)), else_=0)
    remaining = charged_amount_sql(gifts) - refunded - lost
    return case((and_(gift.status == DonationStatus.PAID, remaining > 0), remaining), else_=0)


def payment_of(donation: Donation) -> Payment | None:
    """The payment facts for a gift (locked), if Stripe has told us of any."""
    if donation.stripe_payment_intent_id is None:
        return None
    return db.session.scalars(
        select(Payment)
        .where(Payment.stripe_payment_intent_id == donation.stripe_payment_intent_id)
        .with_for_update()
    ).one_or_none()


def _move_donor_figures(donation: Donation, amount_delta: int, count_delta: int) -> None:
    """Shift the donor's lifetime figures; a gift's date only ever widens their span."""
    values: dict[str, Any] = {
        "lifetime_amount": _DONOR.c.lifetime_amount + amount_delta,
        "gift_count": _DONOR.c.gift_count + count_delta,
    }
    if count_delta > 0 and donation.paid_at is not None:
        when = literal(donation.paid_at, UTCDateTime())
        first, last = _DONOR.c.first_gift_at, _DONOR.c.last_gift_at
        values["first_gift_at"] = case((or_(first.is_(None), first > when), when), else_=first)
        values["last_gift_at"] = case((or_(last.is_(None), last < when), when), else_=last)
    db.session.execute(update(_DONOR).where(_DONOR.c.id == donation.donor_id).values(values))


def recount(donation: Donation) -> None:
    """Bring the campaign's counters in line with this gift's current state.

    The gift remembers what it last contributed, so calling this again (a repeated or
    reordered event) moves nothing. The caller holds the donation's row lock.
    """
    payment = payment_of(donation)
    if payment is not None:
        donation.amount_refunded = payment.amount_refunded
        donation.dispute_status = payment.dispute_status
    net = net_amount(donation, payment)
    counted = net > 0
    amount_delta = net - donation.counted_amount
    count_delta = int(counted) - int(donation.counted)
    if amount_delta == 0 and count_delta == 0:
        return
    donor_delta = 0
    if count_delta and donation.donor_id is not None:
        link = {"campaign_id": donation.campaign_id, "donor_id": donation.donor_id}
        after = upsert(
            CampaignDonor,
            {**link, "counted_gifts": count_delta},
            conflict=("campaign_id", "donor_id"),
            update="counted_gifts = campaign_donor.counted_gifts + excluded.counted_gifts",
            returning="counted_gifts",
        )
        donor_delta = int(after > 0) - int(after - count_delta > 0)
    if donation.donor_id is not None:
        _move_donor_figures(donation, amount_delta, count_delta)
    donation.counted_amount = net
    donation.counted = counted
    db.session.flush()  # the gift's row before the campaign's, as every handler locks them
    # Last, so the campaign row (shared by every gift) stays locked for the shortest time.
    db.session.execute(
        update(Campaign)
        .where(Campaign.id == donation.campaign_id)
        .values(
            raised_amount=Campaign.raised_amount + amount_delta,
            donation_count=Campaign.donation_count + count_delta,
            donor_count=Campaign.donor_count + donor_delta,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
