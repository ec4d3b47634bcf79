"""Delivery faults from the sandbox, refunds and disputes, and catching up with reconcile."""

import pytest
from sqlalchemy import func, select

from campaigns.models import Donation, DonationStatus, StripeEvent
from tests.donating import start_checkout
from tests.payments.ledger_state import recomputed_totals, totals
from tests.sandbox_client import pay, sdk_client


def donate(client, browser, amount="25", card="4242424242424242", **form):
    url = start_checkout(client, amount=amount, **form)
    pay(browser, url, card=card)
    return url


@pytest.mark.parametrize(
    "fault",
    [{"duplicate": 2}, {"reorder": True}, {"stale_signature": True}, {"fail_deliveries": 2}],
)
def test_delivery_faults_leave_the_ledger_exact(
    client, db, campaign, sandbox, sandbox_browser, fault
) -> None:
    sandbox_browser.post("/_sandbox/faults", json=fault)
    donate(client, sandbox_browser, "25")
    donate(client, sandbox_browser, "40", frequency="monthly", email="bo@example.org")
    sandbox.flush_webhooks()
    sandbox_browser.delete("/_sandbox/faults")
    sandbox.flush_webhooks()  # what a stale signature or a failed attempt left for a retry
    assert totals() == (6500, 2, 2) == recomputed_totals()


def test_refunds_and_a_lost_dispute_through_the_sandbox(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    donate(client, sandbox_browser, "100")
    donate(client, sandbox_browser, "50", card="4000000000000259", email="bo@example.org")
    sandbox.flush_webhooks()
    assert totals() == (15000, 2, 2)

    charge = db.scalar(select(Donation.stripe_payment_intent_id).where(Donation.amount == 10000))
    sandbox_browser.post("/_sandbox/refund", json={"payment_intent": charge, "amount": 2500})
    sandbox.flush_webhooks()
    assert totals() == (12500, 2, 2)

    opened = sdk_client(sandbox.wsgi_app).v1.events.list(params={"type": "charge.dispute.created"})
    dispute_id = opened.data[0].data.object.id
    sandbox_browser.post(f"/_sandbox/disputes/{dispute_id}/close", json={"status": "lost"})
    sandbox.flush_webhooks()
    assert totals() == (7500, 1, 1) == recomputed_totals()


def test_reconcile_applies_what_the_webhooks_missed_and_is_idempotent(
    client, db, campaign, sandbox, sandbox_browser, runner
) -> None:
    sandbox_browser.post("/_sandbox/faults", json={"drop": True})
    donate(client, sandbox_browser, "25")
    donate(client, sandbox_browser, "15", frequency="monthly", email="bo@example.org")
    sandbox.flush_webhooks()
    sandbox_browser.delete("/_sandbox/faults")
    assert totals() == (0, 0, 0)
    assert db.scalar(select(func.count()).select_from(StripeEvent)) == 0

    first = runner.invoke(args=["stripe", "reconcile"])
    assert first.exit_code == 0, first.output
    assert "applied" in first.output
    assert "checkout.session.completed" in first.output
    assert totals() == (4000, 2, 2) == recomputed_totals()
    statuses = set(db.scalars(select(Donation.status)))
    assert statuses == {DonationStatus.PAID}
    vias = set(db.scalars(select(StripeEvent.received_via)))
    assert vias == {"reconcile"}

    second = runner.invoke(args=["stripe", "reconcile"])
    assert second.exit_code == 0
    assert second.output.startswith("Nothing to change")
    assert totals() == (4000, 2, 2)
