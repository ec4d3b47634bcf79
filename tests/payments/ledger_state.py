"""Reading the ledger back for assertions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from campaigns.extensions import db
from campaigns.models import Campaign, Donation, Donor, RecurringGift, StripeEvent


def totals(slug: str = "eoy-test") -> tuple[int, int, int]:
    """(raised, donations, donors) from the campaign's counters."""
    db.session.expire_all()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    return campaign.raised_amount, campaign.donation_count, campaign.donor_count


def recomputed_totals(slug: str = "eoy-test") -> tuple[int, int, int]:
    """The same figures summed from the gifts themselves: counters must always agree."""
    campaign_id = select(Campaign.id).where(Campaign.slug == slug).scalar_subquery()
    counted = select(Donation).where(Donation.campaign_id == campaign_id, Donation.counted)
    subquery = counted.subquery()
    raised = db.session.scalar(select(func.coalesce(func.sum(subquery.c.counted_amount), 0)))
    count = db.session.scalar(select(func.count()).select_from(subquery))
    donors = db.session.scalar(select(func.count(func.distinct(subquery.c.donor_id))))
    return raised, count, donors


def snapshot(slug: str = "eoy-test") -> dict[str, Any]:
    """Everything an ordering of events could change, in a comparable form."""
    db.session.expire_all()
    donations = db.session.scalars(select(Donation).order_by(Donation.id)).all()
    gifts = db.session.scalars(select(RecurringGift).order_by(RecurringGift.id)).all()
    return {
        "totals": totals(slug),
        "donations": [
            (
                d.amount,
                d.fee_amount,
                d.status.value,
                d.counted_amount,
                d.stripe_invoice_id,
                d.stripe_payment_intent_id,
                d.donor_id is not None,
                d.recurring_gift_id is not None,
            )
            for d in donations
        ],
        "recurring": [(g.status.value, g.amount, g.failed_payments) for g in gifts],
        "donors": db.session.scalar(select(func.count()).select_from(Donor)),
    }


def event_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StripeEvent))
