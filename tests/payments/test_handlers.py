"""The webhook handlers: every handled event type, and the totals they leave behind."""

import pytest
from sqlalchemy import select

from campaigns.models import (
    Donation,
    DonationStatus,
    Donor,
    Frequency,
    Payment,
    RecurringGift,
    RecurringStatus,
)
from tests.factories import start_gift
from tests.payments import stripe_events as se
from tests.payments.ledger_state import recomputed_totals, totals
from tests.payments.stripe_events import deliver, monthly_gift, start_monthly


def paid_one_time(client, campaign, amount=2500, pi="pi_1", **gift):
    donation = start_gift(campaign, amount, **gift)
    deliver(
        client,
        "checkout.session.completed",
        se.checkout_session(donation.id, amount, payment_intent=pi),
    )
    return donation


def test_one_time_gift_is_paid_and_counted(client, db, campaign) -> None:
    donation = start_gift(campaign, 2500, cover_fees=True, newsletter=True, name="Ann Example")
    assert donation.fee_amount == 106
    session = se.checkout_session(donation.id, 2606, payment_intent="pi_1")
    assert deliver(client, "checkout.session.completed", session) == "applied"

    db.expire_all()
    stored = db.get(Donation, donation.id)
    assert stored.status is DonationStatus.PAID
    assert stored.stripe_payment_intent_id == "pi_1"
    assert stored.stripe_checkout_session_id == session["id"]
    assert stored.paid_at is not None
    donor = db.get(Donor, stored.donor_id)
    assert (donor.email, donor.name, donor.newsletter) == ("ann@example.org", "Ann Example", True)
    assert donor.stripe_customer_id == "cus_test"
    assert totals() == (2606, 1, 1) == recomputed_totals()


def test_one_record_per_email_whatever_its_case(client, db, campaign) -> None:
    paid_one_time(client, campaign, 1000, "pi_1", email="Ann@Example.org")
    paid_one_time(client, campaign, 2000, "pi_2", email="ann@example.ORG ")
    assert db.scalar(select(Donor.email_key)) == "ann@example.org"
    assert len(db.scalars(select(Donor)).all()) == 1
    assert totals() == (3000, 2, 1) == recomputed_totals()


def test_delayed_payment_is_pending_until_it_settles(client, db, campaign) -> None:
    settles = start_gift(campaign, 5000)
    bounces = start_gift(campaign, 7000, email="bo@example.org")
    for gift, amount, pi in ((settles, 5000, "pi_s"), (bounces, 7000, "pi_b")):
        session = se.checkout_session(gift.id, amount, payment_intent=pi, payment_status="unpaid")
        deliver(client, "checkout.session.completed", session)
    db.expire_all()
    assert db.get(Donation, settles.id).status is DonationStatus.PROCESSING
    assert totals() == (0, 0, 0)

    deliver(
        client,
        "checkout.session.async_payment_succeeded",
        se.checkout_session(settles.id, 5000, payment_intent="pi_s"),
    )
    deliver(
        client,
        "checkout.session.async_payment_failed",
        se.checkout_session(bounces.id, 7000, payment_intent="pi_b", payment_status="unpaid"),
    )
    db.expire_all()
    assert db.get(Donation, settles.id).status is DonationStatus.PAID
    assert db.get(Donation, bounces.id).status is DonationStatus.FAILED
    assert totals() == (5000, 1, 1) == recomputed_totals()


def test_expired_session_marks_the_gift_expired(client, db, campaign) -> None:
    gift = start_gift(campaign, 2500)
    session = se.checkout_session(gift.id, 2500, payment_status="unpaid")
    deliver(client, "checkout.session.expired", {**session, "status": "expired"})
    db.expire_all()
    assert db.get(Donation, gift.id).status is DonationStatus.EXPIRED
    assert totals() == (0, 0, 0)


def test_partial_then_full_refund(client, db, campaign) -> None:
    paid_one_time(client, campaign, 10000, "pi_r")
    charge = se.charge("pi_r", 10000, amount_refunded=2500, charge_id="ch_r")
    deliver(client, "charge.refunded", charge)
    assert totals() == (7500, 1, 1) == recomputed_totals()
    deliver(client, "charge.refunded", {**charge, "amount_refunded": 10000, "refunded": True})
    assert totals() == (0, 0, 0) == recomputed_totals()
    # An older, smaller figure delivered late can't shrink the refund again.
    deliver(client, "charge.refunded", charge)
    assert totals() == (0, 0, 0)


def test_refund_before_the_payment_is_known_still_counts(client, db, campaign) -> None:
    donation = start_gift(campaign, 4000)
    deliver(client, "charge.refunded", se.charge("pi_early", 4000, amount_refunded=1000))
    assert totals() == (0, 0, 0)
    deliver(
        client,
        "checkout.session.completed",
        se.checkout_session(donation.id, 4000, payment_intent="pi_early"),
    )
    assert totals() == (3000, 1, 1) == recomputed_totals()


@pytest.mark.parametrize(("outcome", "expected"), [("won", 5000), ("lost", 0)])
def test_disputes_count_until_lost(client, db, campaign, outcome, expected) -> None:
    paid_one_time(client, campaign, 5000, "pi_d")
    deliver(
        client,
        "charge.dispute.created",
        se.dispute("pi_d", "ch_d", 5000, "needs_response"),
        created=1000,
    )
    assert totals()[0] == 5000
    deliver(
        client, "charge.dispute.closed", se.dispute("pi_d", "ch_d", 5000, outcome), created=2000
    )
    assert totals()[0] == expected
    assert recomputed_totals()[0] == expected
    # The "created" event redelivered after the close doesn't reopen it.
    deliver(
        client,
        "charge.dispute.updated",
        se.dispute("pi_d", "ch_d", 5000, "under_review"),
        created=1500,
    )
    assert totals()[0] == expected
    payment = db.scalar(select(Payment).where(Payment.stripe_payment_intent_id == "pi_d"))
    assert payment.dispute_status.value == outcome


@pytest.mark.parametrize("session_first", [True, False])
def test_first_monthly_payment_counts_once_in_either_order(
    client, db, campaign, session_first
) -> None:
    gift = monthly_gift(campaign)
    session = se.checkout_session(
        gift.id, 1500, mode="subscription", subscription="sub_1", invoice="in_1"
    )
    first_invoice = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_create",
        payment_intent="pi_m1",
        invoice_id="in_1",
    )
    events = [("checkout.session.completed", session), ("invoice.paid", first_invoice)]
    for event_type, obj in events if session_first else reversed(events):
        deliver(client, event_type, obj)
    deliver(client, "customer.subscription.created", se.subscription(gift.id, "sub_1", 1500))

    assert totals() == (1500, 1, 1) == recomputed_totals()
    recurring = db.scalar(select(RecurringGift))
    assert (recurring.status, recurring.amount) == (RecurringStatus.ACTIVE, 1500)
    assert recurring.next_charge_at is not None
    db.expire_all()
    donation = db.get(Donation, gift.id)
    assert donation.recurring_gift_id == recurring.id
    assert (donation.stripe_invoice_id, donation.stripe_payment_intent_id) == ("in_1", "pi_m1")
    assert recurring.donor_id == donation.donor_id is not None


def test_every_renewal_is_one_more_gift(client, db, campaign) -> None:
    gift = start_monthly(client, campaign)
    renewal = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_cycle",
        payment_intent="pi_m2",
        invoice_id="in_2",
    )
    deliver(client, "invoice.paid", renewal)
    # Stripe may describe the same invoice in a second event: still one gift.
    deliver(client, "invoice.paid", renewal)
    assert totals() == (3000, 2, 1) == recomputed_totals()
    renewed = db.scalar(select(Donation).where(Donation.stripe_invoice_id == "in_2"))
    assert renewed.frequency is Frequency.MONTHLY
    assert renewed.donor_id == db.get(Donation, gift.id).donor_id


def test_failed_renewal_makes_the_gift_past_due_until_paid(client, db, campaign) -> None:
    gift = start_monthly(client, campaign)
    failed = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_cycle",
        payment_intent=None,
        invoice_id="in_2",
        status="open",
    )
    deliver(client, "invoice.payment_failed", failed)
    recurring = db.scalar(select(RecurringGift))
    assert (recurring.status, recurring.failed_payments) == (RecurringStatus.PAST_DUE, 1)
    assert db.scalar(select(Donation.status).where(Donation.stripe_invoice_id == "in_2")) is (
        DonationStatus.FAILED
    )
    assert totals() == (1500, 1, 1)

    deliver(
        client,
        "invoice.paid",
        se.invoice(
            gift.id,
            "sub_1",
            1500,
            billing_reason="subscription_cycle",
            payment_intent="pi_m2",
            invoice_id="in_2",
        ),
    )
    deliver(
        client,
        "customer.subscription.updated",
        se.subscription(gift.id, "sub_1", 1500),
        created=300,
    )
    db.expire_all()
    assert db.scalar(select(RecurringGift.status)) is RecurringStatus.ACTIVE
    assert totals() == (3000, 2, 1) == recomputed_totals()


def test_older_subscription_snapshots_are_ignored(client, db, campaign) -> None:
    gift = start_monthly(client, campaign)
    deliver(
        client,
        "customer.subscription.deleted",
        se.subscription(gift.id, "sub_1", 1500, status="canceled", canceled_at=400),
        created=400,
    )
    deliver(
        client,
        "customer.subscription.updated",
        se.subscription(gift.id, "sub_1", 2500, status="past_due"),
        created=300,
    )
    recurring = db.scalar(select(RecurringGift))
    assert recurring.status is RecurringStatus.CANCELED
    assert recurring.canceled_at is not None
    assert recurring.amount == 1500
    # Cancelling keeps what was given.
    assert totals() == (1500, 1, 1)


def test_amount_change_is_taken_from_the_subscription(client, db, campaign) -> None:
    gift = start_monthly(client, campaign)
    deliver(
        client,
        "customer.subscription.updated",
        se.subscription(gift.id, "sub_1", 4000),
        created=200,
    )
    assert db.scalar(select(RecurringGift.amount)) == 4000
