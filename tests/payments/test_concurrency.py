"""Concurrent deliveries against a real database, with real commits (no test transaction)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from campaigns.extensions import db
from campaigns.models import Campaign, Donation, StripeEvent
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se

SENDERS = 20


def post_all(app, payloads):
    """Post every payload at once from its own thread; returns the outcomes."""
    barrier = threading.Barrier(len(payloads))

    def send(payload):
        client = app.test_client()
        barrier.wait()
        response = se.post_event(client, payload)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["outcome"]

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(send, payloads))


def test_twenty_concurrent_deliveries_of_one_event_apply_once(committing_app) -> None:
    with committing_app.app_context():
        campaign = make_campaign(slug="concurrent-one")
        gift = start_gift(campaign, 2500)
        payload = se.event(
            "checkout.session.completed",
            se.checkout_session(gift.id, 2500, payment_intent="pi_conc"),
        )
        campaign_id = campaign.id

    outcomes = post_all(committing_app, [payload] * SENDERS)

    assert sorted(outcomes) == ["duplicate"] * (SENDERS - 1) + ["queued"]
    assert se.drain(committing_app).applied == 1
    with committing_app.app_context():
        stored = db.session.get(Campaign, campaign_id)
        assert (stored.raised_amount, stored.donation_count, stored.donor_count) == (2500, 1, 1)
        assert (
            db.session.scalar(
                select(func.count()).select_from(StripeEvent).where(StripeEvent.id == payload["id"])
            )
            == 1
        )


def test_concurrent_gifts_to_one_campaign_all_count(committing_app) -> None:
    with committing_app.app_context():
        campaign = make_campaign(slug="concurrent-many")
        gifts = [
            start_gift(campaign, 1000 + i, email=f"donor{i}@example.org") for i in range(SENDERS)
        ]
        payloads = [
            se.event(
                "checkout.session.completed",
                se.checkout_session(g.id, g.amount, payment_intent=f"pi_many_{g.id}"),
            )
            for g in gifts
        ]
        campaign_id = campaign.id
        expected = sum(g.amount for g in gifts)

    outcomes = post_all(committing_app, payloads)

    assert outcomes == ["queued"] * SENDERS
    assert se.drain(committing_app).applied == SENDERS
    with committing_app.app_context():
        stored = db.session.get(Campaign, campaign_id)
        assert (stored.raised_amount, stored.donation_count, stored.donor_count) == (
            expected,
            SENDERS,
            SENDERS,
        )
        summed = db.session.scalar(
            select(func.sum(Donation.counted_amount)).where(Donation.campaign_id == campaign_id)
        )
        assert summed == expected
