"""Every running counter recomputed from the gifts: after a bulk load, or to repair drift.

A repair operation of the ledger, run by ``flask ledger rebuild-totals`` and after a bulk load.
It counts with ``totals.net_amount_sql``, so on a consistent ledger it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sqlalchemy import (
    Table,
    and_,
    case,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)

from ..extensions import db
from ..models import (
    Campaign,
    CampaignDonor,
    Donation,
    DonationStatus,
    Donor,
    Payment,
    utcnow,
)
from .totals import net_amount_sql

_GIFT = cast(Table, Donation.__table__)
_PAYMENT = cast(Table, Payment.__table__)
_DONOR = cast(Table, Donor.__table__)
_LINK = cast(Table, CampaignDonor.__table__)
_CAMPAIGN = cast(Table, Campaign.__table__)


@dataclass(frozen=True)
class TotalsRebuilt:
    """How many rows held a figure that differed from the recount."""

    donations: int
    donors: int
    campaigns: int


def _lock() -> None:
    # Webhooks lock a gift before the rows its totals live in; taking the gifts' table first
    # waits for the handlers under way and holds new ones back until this commits.
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("LOCK TABLE donation, payment, campaign_donor, donor, campaign IN EXCLUSIVE MODE")
        )


def _copy_payment_facts() -> None:
    """Copy refund and dispute facts from each payment onto its gift, as ``recount`` does."""
    gift, payment = _GIFT.c, _PAYMENT.c
    db.session.execute(
        update(_GIFT)
        .where(
            gift.stripe_payment_intent_id == payment.stripe_payment_intent_id,
            or_(
                gift.amount_refunded != payment.amount_refunded,
                gift.dispute_status != payment.dispute_status,
            ),
        )
        .values(amount_refunded=payment.amount_refunded, dispute_status=payment.dispute_status)
    )


def _count_gifts() -> int:
    net = net_amount_sql(_GIFT, _PAYMENT)
    gift = _GIFT.c
    result = db.session.execute(
        update(_GIFT)
        .where(or_(gift.counted_amount != net, gift.counted != (net > 0)))
        .values(counted_amount=net, counted=net > 0)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _link_donors() -> None:
    """Each donor's number of counted gifts per campaign, writing only the rows that differ."""
    # Links left with no counted gift stay, at zero, as the ledger leaves them.
    gift, link = _GIFT.c, _LINK.c
    counts = (
        select(
            gift.campaign_id.label("campaign_id"),
            gift.donor_id.label("donor_id"),
            func.count().label("gifts"),
        )
        .where(gift.counted, gift.donor_id.is_not(None))
        .group_by(gift.campaign_id, gift.donor_id)
        .subquery()
    )
    same_link = and_(link.campaign_id == counts.c.campaign_id, link.donor_id == counts.c.donor_id)
    db.session.execute(
        update(_LINK)
        .where(same_link, link.counted_gifts != counts.c.gifts)
        .values(counted_gifts=counts.c.gifts)
    )
    db.session.execute(
        update(_LINK)
        .where(
            link.counted_gifts != 0,
            ~exists().where(
                gift.campaign_id == link.campaign_id,
                gift.donor_id == link.donor_id,
                gift.counted,
            ),
        )
        .values(counted_gifts=0)
    )
    missing = (
        select(counts.c.campaign_id, counts.c.donor_id, counts.c.gifts)
        .where(~exists().where(same_link))
        .order_by(counts.c.campaign_id, counts.c.donor_id)  # the key's order: index appends
    )
    db.session.execute(
        insert(_LINK).from_select(["campaign_id", "donor_id", "counted_gifts"], missing)
    )


def _count_campaigns() -> int:
    gift = _GIFT.c
    sums = {
        row[0]: (int(row[1]), int(row[2]))
        for row in db.session.execute(
            select(gift.campaign_id, func.sum(gift.counted_amount), func.count())
            .where(gift.counted)
            .group_by(gift.campaign_id)
        )
    }
    donors = {
        row[0]: int(row[1])
        for row in db.session.execute(
            select(_LINK.c.campaign_id, func.count())
            .where(_LINK.c.counted_gifts > 0)
            .group_by(_LINK.c.campaign_id)
        )
    }
    changed = 0
    campaign = _CAMPAIGN.c
    held = select(
        campaign.id, campaign.raised_amount, campaign.donation_count, campaign.donor_count
    )
    for campaign_id, raised, gifts, people in db.session.execute(held):
        want_raised, want_gifts = sums.get(campaign_id, (0, 0))
        want_people = int(donors.get(campaign_id, 0))
        if (raised, gifts, people) == (want_raised, want_gifts, want_people):
            continue
        changed += 1
        db.session.execute(
            update(_CAMPAIGN)
            .where(campaign.id == campaign_id)
            .values(
                raised_amount=want_raised,
                donation_count=want_gifts,
                donor_count=want_people,
                updated_at=utcnow(),
            )
        )
    return changed


def _count_donors() -> int:
    """Donors' lifetime figures over counted gifts, and first and last dates of paid ones."""
    # The dates cover refunded and voided gifts too: the ledger widens a donor's span when a
    # gift counts and never narrows it afterwards.
    gift, donor = _GIFT.c, _DONOR.c
    ever_paid = and_(
        gift.donor_id.is_not(None),
        gift.paid_at.is_not(None),
        gift.status.in_([DonationStatus.PAID, DonationStatus.VOIDED]),
    )
    figures = (
        select(
            gift.donor_id.label("donor_id"),
            func.sum(case((gift.counted, gift.counted_amount), else_=0)).label("amount"),
            func.sum(case((gift.counted, 1), else_=0)).label("gifts"),
            func.min(gift.paid_at).label("first"),
            func.max(gift.paid_at).label("last"),
        )
        .where(ever_paid)
        .group_by(gift.donor_id)
        .subquery()
    )
    found = db.session.execute(
        update(_DONOR)
        .where(
            donor.id == figures.c.donor_id,
            or_(
                donor.lifetime_amount != figures.c.amount,
                donor.gift_count != figures.c.gifts,
                donor.first_gift_at.is_distinct_from(figures.c.first),
                donor.last_gift_at.is_distinct_from(figures.c.last),
            ),
        )
        .values(
            lifetime_amount=figures.c.amount,
            gift_count=figures.c.gifts,
            first_gift_at=figures.c.first,
            last_gift_at=figures.c.last,
        )
    )
    none = db.session.execute(
        update(_DONOR)
        .where(
            ~exists().where(gift.donor_id == donor.id, ever_paid),
            or_(
                donor.lifetime_amount != 0,
                donor.gift_count != 0,
                donor.first_gift_at.is_not(None),
                donor.last_gift_at.is_not(None),
            ),
        )
        .values(lifetime_amount=0, gift_count=0, first_gift_at=None, last_gift_at=None)
    )
    return sum(int(getattr(result, "rowcount", 0) or 0) for result in (found, none))


def rebuild_totals() -> TotalsRebuilt:
    """Set every counter the ledger keeps from SQL aggregates over the gifts; the caller commits."""
    db.session.flush()  # the statements below bypass the session's own pending changes
    _lock()
    _copy_payment_facts()
    donations = _count_gifts()
    _link_donors()
    campaigns = _count_campaigns()
    donors = _count_donors()
    db.session.expire_all()  # loaded objects still hold the counters from before
    return TotalsRebuilt(donations=donations, donors=donors, campaigns=campaigns)
