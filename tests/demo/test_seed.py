"""``flask demo --donors N --donations M``: years of history, with every counter exact."""

from collections import Counter, defaultdict
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from sqlalchemy import func, select

from campaigns.demo.cli import demo_command
from campaigns.demo.seed import seed_history
from campaigns.fundraising.totals import net_amount
from campaigns.models import (
    Campaign,
    CampaignDonor,
    DisputeStatus,
    Donation,
    DonationStatus,
    Donor,
    Frequency,
    Payment,
    PaymentMethod,
    RecurringGift,
    RecurringStatus,
    normalize_email,
)

SEED = ["--donors", "50", "--donations", "300"]


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def seeded(runner, db):
    result = runner.invoke(demo_command, SEED)
    assert result.exit_code == 0, result.output
    assert "Loaded 50 donors, 300 gifts" in result.stdout
    db.expire_all()
    return result


def test_counts_and_campaigns(seeded, db) -> None:
    assert count(db, Donor) == 50
    assert count(db, Donation) == 300
    campaigns = {c.slug: c for c in db.scalars(select(Campaign))}
    assert len(campaigns) >= 7
    year = datetime.now(UTC).year
    for campaign in campaigns.values():
        assert campaign.timezone == "America/New_York"
        assert campaign.goal_amount > 0
        assert campaign.ends_at > campaign.starts_at
    eoy = sorted(slug for slug in campaigns if slug.startswith("eoy-"))
    for older, newer in pairwise(eoy):
        assert campaigns[newer].previous_campaign_id == campaigns[older].id
    assert f"eoy-{year - 3}" in campaigns or f"eoy-{year - 2}" in campaigns
    assert campaigns[eoy[0]].previous_campaign_id is None


def test_every_counter_equals_what_the_gifts_say(seeded, db) -> None:
    payments = {p.stripe_payment_intent_id: p for p in db.scalars(select(Payment))}
    gifts = list(db.scalars(select(Donation)))
    raised: Counter[int] = Counter()
    counted: Counter[int] = Counter()
    links: Counter[tuple[int, int]] = Counter()
    lifetime: Counter[int] = Counter()
    for gift in gifts:
        # The ledger's own rule, applied gift by gift in Python.
        net = net_amount(gift, payments.get(gift.stripe_payment_intent_id))
        assert (gift.counted_amount, gift.counted) == (net, net > 0), gift.id
        if net > 0:
            raised[gift.campaign_id] += net
            counted[gift.campaign_id] += 1
            if gift.donor_id is not None:
                links[gift.campaign_id, gift.donor_id] += 1
                lifetime[gift.donor_id] += net
    for campaign in db.scalars(select(Campaign)):
        donors = sum(1 for (campaign_id, _), n in links.items() if campaign_id == campaign.id)
        assert (campaign.raised_amount, campaign.donation_count, campaign.donor_count) == (
            raised[campaign.id],
            counted[campaign.id],
            donors,
        ), campaign.slug
    stored = {
        (row.campaign_id, row.donor_id): row.counted_gifts
        for row in db.scalars(select(CampaignDonor))
    }
    assert stored == dict(links)
    for donor in db.scalars(select(Donor)):
        assert donor.lifetime_amount == lifetime[donor.id]
        assert donor.gift_count == sum(n for (_, d), n in links.items() if d == donor.id)
    assert sum(raised.values()) > 0


def test_one_record_per_email(seeded, db) -> None:
    donors = list(db.scalars(select(Donor)))
    keys = [donor.email_key for donor in donors]
    assert len(set(keys)) == len(keys) == 50
    assert all(donor.email_key == normalize_email(donor.email) for donor in donors)
    by_id = {donor.id: donor for donor in donors}
    first_paid: dict[int, datetime] = {}
    for gift in db.scalars(select(Donation).where(Donation.donor_id.is_not(None))):
        assert normalize_email(gift.email) == by_id[gift.donor_id].email_key
        if gift.status is DonationStatus.PAID and gift.paid_at is not None:
            first_paid[gift.donor_id] = min(
                first_paid.get(gift.donor_id, gift.paid_at), gift.paid_at
            )
    # Every donor has a paid gift: that is how a donor record comes to exist.
    assert set(first_paid) == set(by_id)
    # Unpaid checkouts carry no donor, as the ledger only attaches one on payment.
    unpaid = select(func.count()).where(
        Donation.status.in_([DonationStatus.EXPIRED, DonationStatus.PENDING]),
        Donation.donor_id.is_not(None),
    )
    assert db.scalar(unpaid) == 0


def test_monthly_gifts_have_renewals(seeded, db) -> None:
    monthly = list(db.scalars(select(RecurringGift)))
    assert monthly
    per_gift = defaultdict(list)
    for gift in db.scalars(select(Donation).where(Donation.recurring_gift_id.is_not(None))):
        per_gift[gift.recurring_gift_id].append(gift)
        assert gift.frequency is Frequency.MONTHLY
        assert gift.stripe_invoice_id and gift.stripe_invoice_id.startswith("in_")
        assert gift.method is PaymentMethod.CARD
    assert max(len(gifts) for gifts in per_gift.values()) >= 3
    for record in monthly:
        gifts = sorted(per_gift[record.id], key=lambda g: g.created_at)
        assert gifts, record.id
        first = gifts[0]
        assert first.stripe_checkout_session_id is not None
        assert first.status is DonationStatus.PAID
        assert record.amount == first.total_amount
        for renewal in gifts[1:]:
            assert renewal.campaign_id == record.campaign_id
            assert renewal.donor_id == record.donor_id
            assert renewal.stripe_checkout_session_id is None
        if record.status is RecurringStatus.CANCELED:
            assert record.canceled_at is not None and record.next_charge_at is None
        else:
            assert record.canceled_at is None and record.next_charge_at is not None
        if record.status is RecurringStatus.PAST_DUE:
            assert gifts[-1].status is DonationStatus.FAILED


def test_refunds_and_disputes_match_their_payments(seeded, db) -> None:
    payments = list(db.scalars(select(Payment)))
    gifts = {
        g.stripe_payment_intent_id: g
        for g in db.scalars(select(Donation))
        if g.stripe_payment_intent_id
    }
    for payment in payments:
        gift = gifts[payment.stripe_payment_intent_id]
        assert gift.status is DonationStatus.PAID
        assert (gift.amount_refunded, gift.dispute_status) == (
            payment.amount_refunded,
            payment.dispute_status,
        )
        assert 0 <= payment.amount_refunded <= gift.total_amount
        assert (payment.amount_refunded > 0) != (payment.dispute_status is not DisputeStatus.NONE)
        if payment.dispute_status is not DisputeStatus.NONE:
            assert payment.disputed_amount == gift.total_amount
    with_facts = select(func.count()).where(
        (Donation.amount_refunded > 0) | (Donation.dispute_status != DisputeStatus.NONE)
    )
    assert db.scalar(with_facts) == len(payments)


def test_gifts_fall_within_their_campaigns(seeded, db) -> None:
    campaigns = {c.id: c for c in db.scalars(select(Campaign))}
    now = datetime.now(UTC)
    checkout = select(Donation).where(
        Donation.method == PaymentMethod.CARD,
        Donation.recurring_gift_id.is_(None),
        Donation.status == DonationStatus.PAID,
    )
    for gift in db.scalars(checkout):
        campaign = campaigns[gift.campaign_id]
        assert campaign.starts_at <= gift.paid_at <= min(campaign.ends_at, now)
        assert gift.created_at <= gift.paid_at
        assert gift.stripe_checkout_session_id and gift.stripe_payment_intent_id
    sources = set(db.scalars(select(Donation.source).distinct()))
    assert {"banner", "email"} <= sources
    variants = set(db.scalars(select(Donation.variant).where(Donation.source == "banner")))
    assert variants <= {"a", "b"}


def test_a_second_history_is_refused(seeded, runner, db) -> None:
    again = runner.invoke(demo_command, SEED)
    assert again.exit_code == 1
    assert again.stdout == ""
    assert "already holds campaign" in again.stderr
    assert count(db, Donation) == 300
    assert count(db, Donor) == 50


def test_the_same_seed_gives_the_same_history(app, db) -> None:
    now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)

    def load() -> list[tuple]:
        savepoint = db.begin_nested()
        seed_history(now, donors=40, donations=400, seed=7)
        rows = db.execute(
            select(
                Donation.name, Donation.email, Donation.amount, Donation.paid_at, Donation.status
            ).order_by(Donation.id)
        ).all()
        savepoint.rollback()
        return rows

    first = load()
    assert len(first) == 400
    assert load() == first


def test_a_larger_history_has_every_kind_of_gift(app, db) -> None:
    now = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    seed_history(now, donors=400, donations=4000, seed=11)
    kinds = set(db.execute(select(Donation.status, Donation.method).distinct()).tuples())
    for method in (PaymentMethod.CHECK, PaymentMethod.BANK_TRANSFER, PaymentMethod.CASH):
        assert (DonationStatus.PAID, method) in kinds
    for status in (DonationStatus.FAILED, DonationStatus.EXPIRED, DonationStatus.VOIDED):
        assert status in {s for s, _ in kinds}
    disputes = set(db.scalars(select(Payment.dispute_status).distinct()))
    assert {DisputeStatus.WON, DisputeStatus.LOST} <= disputes
    partial = select(func.count()).where(
        Donation.amount_refunded > 0,
        Donation.amount_refunded < Donation.amount + Donation.fee_amount,
    )
    assert db.scalar(partial) > 0
    statuses = set(db.scalars(select(RecurringGift.status).distinct()))
    assert {RecurringStatus.ACTIVE, RecurringStatus.PAST_DUE, RecurringStatus.CANCELED} <= statuses
    amounts = Counter(
        db.scalars(select(Donation.amount).where(Donation.frequency == Frequency.ONE_TIME))
    )
    top = [amount for amount, _ in amounts.most_common(4)]
    assert set(top) == {2500, 5000, 10_000, 25_000} or set(top[:3]) == {2500, 5000, 10_000}
    assert db.scalar(select(func.count()).where(Donor.newsletter)) > 0
