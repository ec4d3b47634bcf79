from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select, text

from campaigns.db import unit_of_work
from campaigns.fundraising.offline import OfflineGift, record_offline_gift, void_gift
from campaigns.fundraising.repair import TotalsRebuilt, rebuild_totals
from campaigns.models import (
    Campaign,
    CampaignDonor,
    DisputeStatus,
    Donation,
    Donor,
    PaymentMethod,
    Role,
    Staff,
)
from tests.factories import make_campaign, start_gift
from tests.reports.gifts import dispute, paid_gift, refund


def ledger(db) -> dict[str, Any]:
    """Gifts in every state, recorded through the ledger's own services."""
    campaign, other = make_campaign(), make_campaign(slug="other")
    paid_gift(campaign, 2500, email="ann@example.org", paid_at=datetime(2026, 11, 2, tzinfo=UTC))
    partial = paid_gift(campaign, 5000, email="Ann@Example.org", cover_fees=True)
    refund(partial, 1000)
    paid_gift(other, 10_000, email="bo@example.org")
    lost = paid_gift(campaign, 3000, email="cy@example.org")
    dispute(lost, DisputeStatus.LOST)
    won = paid_gift(campaign, 3500, email="cy@example.org")
    dispute(won, DisputeStatus.WON)
    gone = paid_gift(campaign, 4000, email="dee@example.org")  # the donor's only gift
    refund(gone)
    start_gift(campaign, 999, email="eve@example.org")  # still pending
    with unit_of_work() as session:
        staff = Staff(email="clerk@example.org", password_hash="x", role=Role.STAFF)
        session.add(staff)
        session.flush()
        check = record_offline_gift(
            OfflineGift(
                campaign_id=other.id,
                amount=20_000,
                method=PaymentMethod.CHECK,
                received_on=date(2026, 11, 10),
                name="Fay Check",
                email="fay@example.org",
                reference="Check #1001",
            ),
            staff,
        )
    with unit_of_work():
        void_gift(check.id, "recorded twice", staff)
    return {"campaign": campaign, "other": other}


def snapshot(db) -> dict[str, Any]:
    db.expire_all()
    return {
        "campaigns": db.execute(
            select(
                Campaign.id, Campaign.raised_amount, Campaign.donation_count, Campaign.donor_count
            ).order_by(Campaign.id)
        ).all(),
        "gifts": db.execute(
            select(
                Donation.id,
                Donation.counted,
                Donation.counted_amount,
                Donation.amount_refunded,
                Donation.dispute_status,
            ).order_by(Donation.id)
        ).all(),
        "donors": db.execute(
            select(
                Donor.id,
                Donor.lifetime_amount,
                Donor.gift_count,
                Donor.first_gift_at,
                Donor.last_gift_at,
            ).order_by(Donor.id)
        ).all(),
        "links": db.execute(
            select(CampaignDonor.campaign_id, CampaignDonor.donor_id, CampaignDonor.counted_gifts)
            .where(CampaignDonor.counted_gifts > 0)
            .order_by(CampaignDonor.campaign_id, CampaignDonor.donor_id)
        ).all(),
    }


def test_a_consistent_ledger_is_left_as_it_is(app, db) -> None:
    ledger(db)
    before = snapshot(db)
    with unit_of_work():
        assert rebuild_totals() == TotalsRebuilt(donations=0, donors=0, campaigns=0)
    assert snapshot(db) == before


def test_drift_is_repaired_from_the_gifts(app, db) -> None:
    made = ledger(db)
    before = snapshot(db)
    campaign = made["campaign"]
    db.execute(text("UPDATE campaign SET raised_amount = 1, donation_count = 99, donor_count = 0"))
    db.execute(text("UPDATE donation SET counted = false, counted_amount = 0"))
    db.execute(text("UPDATE donation SET amount_refunded = 0, dispute_status = 'none'"))
    db.execute(text("UPDATE donor SET lifetime_amount = 7, gift_count = 0, last_gift_at = NULL"))
    db.execute(text("DELETE FROM campaign_donor"))
    db.execute(
        text(
            "INSERT INTO campaign_donor (campaign_id, donor_id, counted_gifts) VALUES (:c, :d, 5)"
        ),
        {
            "c": campaign.id,
            "d": db.scalar(select(Donor.id).where(Donor.email_key == "dee@example.org")),
        },
    )
    with unit_of_work():
        repaired = rebuild_totals()
    assert repaired.campaigns == 2
    # The gifts that count again; the lost dispute, full refund, pending and voided ones don't.
    assert repaired.donations == 4
    assert repaired.donors == len(before["donors"])
    assert snapshot(db) == before
    with unit_of_work():
        assert rebuild_totals() == TotalsRebuilt(donations=0, donors=0, campaigns=0)


def test_counters_match_hand_sums(app, db) -> None:
    made = ledger(db)
    with unit_of_work():
        rebuild_totals()
    db.expire_all()
    campaign = db.get(Campaign, made["campaign"].id)
    partial_total = db.scalar(select(Donation.fee_amount).where(Donation.amount == 5000)) + 5000
    # 25 + (50 + fee - 10 refunded) + 35 (won dispute); the lost dispute and refund count 0.
    assert campaign.raised_amount == 2500 + partial_total - 1000 + 3500
    assert (campaign.donation_count, campaign.donor_count) == (3, 2)
    other = db.get(Campaign, made["other"].id)
    assert (other.raised_amount, other.donation_count, other.donor_count) == (10_000, 1, 1)
    dee = db.scalar(select(Donor).where(Donor.email_key == "dee@example.org"))
    # A refunded gift keeps its date, as the ledger never narrows a donor's span.
    assert (dee.lifetime_amount, dee.gift_count) == (0, 0)
    assert dee.first_gift_at is not None and dee.first_gift_at == dee.last_gift_at


def test_the_ledger_command_repairs_drift_and_then_finds_none(app, db, runner) -> None:
    made = ledger(db)
    before = snapshot(db)
    db.execute(
        text("UPDATE campaign SET raised_amount = 1 WHERE id = :id"), {"id": made["other"].id}
    )
    first = runner.invoke(args=["ledger", "rebuild-totals"])
    assert first.exit_code == 0, first.output
    assert "gifts 0, donors 0, campaigns 1." in first.output
    assert snapshot(db) == before
    second = runner.invoke(args=["ledger", "rebuild-totals"])
    assert second.exit_code == 0
    assert "Every total already matched the gifts; nothing changed." in second.output
    assert snapshot(db) == before
