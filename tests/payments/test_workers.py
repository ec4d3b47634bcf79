"""Several workers draining one inbox at once, on real connections with real commits."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import flask_migrate
import pytest
from sqlalchemy import func, select

from campaigns import create_app
from campaigns.extensions import db
from campaigns.models import Campaign, EventStatus, Frequency, RecurringGift, StripeEvent
from campaigns.payments import handlers
from campaigns.payments.worker import apply_due_events
from tests.databases import fresh_database, is_postgres
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se

WORKERS = 4
GIFTS = 60
FAILED_RENEWALS = 15


@pytest.fixture(scope="module")
def committing_app():
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": fresh_database("workers"),
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": WORKERS + 2} if is_postgres() else {},
            "STRIPE_WEBHOOK_SECRET": se.WEBHOOK_SECRET,
            "STRIPE_SECRET_KEY": "sk_test_ledger",
            "STRIPE_API_BASE": "http://127.0.0.1:9",
            "STRIPE_MAX_NETWORK_RETRIES": 0,
        }
    )
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_workers_side_by_side_apply_every_event_once(committing_app, monkeypatch) -> None:
    applied: Counter[str] = Counter()
    lock = threading.Lock()

    def counted(kind):
        original = handlers.HANDLERS[kind]

        def handler(obj, created):
            with lock:
                applied[f"{kind}:{obj['id']}:{created}"] += 1
            return original(obj, created)

        return handler

    for kind in ("checkout.session.completed", "invoice.payment_failed"):
        monkeypatch.setitem(handlers.HANDLERS, kind, counted(kind))

    client = committing_app.test_client()
    with committing_app.app_context():
        campaign = make_campaign(slug="workers")
        gifts = [start_gift(campaign, 1000 + n, email=f"d{n}@example.org") for n in range(GIFTS)]
        monthly = start_gift(campaign, 1500, frequency=Frequency.MONTHLY, email="m@example.org")
        payloads = [
            se.event(
                "checkout.session.completed",
                se.checkout_session(g.id, g.amount, payment_intent=f"pi_w{g.id}"),
            )
            for g in gifts
        ]
        payloads.append(
            se.event(
                "checkout.session.completed",
                se.checkout_session(monthly.id, 1500, mode="subscription", subscription="sub_w"),
                created=10,
            )
        )
        # Failed payments are counted per event, not by state: a second application of any
        # of them would show in the count. They share the subscription, so they go one by one.
        for n in range(FAILED_RENEWALS):
            invoice = se.invoice(
                monthly.id,
                "sub_w",
                1500,
                billing_reason="subscription_cycle",
                payment_intent=None,
                invoice_id=f"in_w{n}",
                status="open",
            )
            payloads.append(se.event("invoice.payment_failed", invoice, created=100 + n))
        for payload in payloads + payloads[:10]:  # some delivered twice
            assert se.post_event(client, payload).status_code == 200
        expected = sum(g.amount for g in gifts) + 1500
        campaign_id = campaign.id

    barrier = threading.Barrier(WORKERS)

    def work() -> int:
        with committing_app.app_context():
            barrier.wait()
            done = 0
            while (report := apply_due_events(batch=5)).attempted:
                done += report.applied
            db.session.remove()
            return done

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        per_worker = [f.result() for f in [pool.submit(work) for _ in range(WORKERS)]]

    assert sum(per_worker) == len(payloads)
    assert sorted(set(applied.values())) == [1], applied.most_common(3)
    assert len(applied) == len(payloads)
    with committing_app.app_context():
        stored = db.session.get(Campaign, campaign_id)
        assert (stored.raised_amount, stored.donation_count, stored.donor_count) == (
            expected,
            GIFTS + 1,
            GIFTS + 1,
        )
        gift = db.session.scalar(
            select(RecurringGift).where(RecurringGift.stripe_subscription_id == "sub_w")
        )
        assert gift.failed_payments == FAILED_RENEWALS
        statuses = db.session.execute(
            select(StripeEvent.status, func.count()).group_by(StripeEvent.status)
        ).all()
        assert dict(statuses) == {EventStatus.APPLIED: len(payloads)}
        if is_postgres():
            # SKIP LOCKED: the workers shared the work rather than queueing behind one.
            assert sum(1 for done in per_worker if done) >= 2, per_worker
