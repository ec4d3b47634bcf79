"""Whatever the order and number of deliveries, the ledger ends in the same state."""

import random

import pytest

from campaigns.models import Frequency
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se
from tests.payments.ledger_state import recomputed_totals, snapshot


def scenario(one_time_id: int, monthly_id: int) -> list[dict]:
    """A month of one newsroom's life: a refunded gift, and a monthly gift that hits trouble."""
    a, b = one_time_id, monthly_id
    first = se.invoice(
        b,
        "sub_b",
        1500,
        billing_reason="subscription_create",
        payment_intent="pi_b1",
        invoice_id="in_b1",
    )
    renewal = se.invoice(
        b,
        "sub_b",
        1500,
        billing_reason="subscription_cycle",
        payment_intent="pi_b2",
        invoice_id="in_b2",
    )
    failed = se.invoice(
        b,
        "sub_b",
        1500,
        billing_reason="subscription_cycle",
        payment_intent=None,
        invoice_id="in_b3",
        status="open",
    )
    return [
        se.event(
            "checkout.session.completed",
            se.checkout_session(a, 10000, payment_intent="pi_a"),
            created=10,
        ),
        se.event("charge.refunded", se.charge("pi_a", 10000, 1000, "ch_a"), created=20),
        se.event("charge.refunded", se.charge("pi_a", 10000, 3000, "ch_a"), created=30),
        se.event(
            "checkout.session.completed",
            se.checkout_session(
                b, 1500, mode="subscription", subscription="sub_b", invoice="in_b1"
            ),
            created=11,
        ),
        se.event("invoice.paid", first, created=11),
        se.event("customer.subscription.created", se.subscription(b, "sub_b", 1500), created=11),
        se.event("invoice.paid", renewal, created=40),
        se.event(
            "charge.dispute.created",
            se.dispute("pi_b2", "ch_b2", 1500, "needs_response"),
            created=50,
        ),
        se.event("charge.dispute.closed", se.dispute("pi_b2", "ch_b2", 1500, "lost"), created=60),
        se.event("invoice.payment_failed", failed, created=70),
        se.event(
            "customer.subscription.updated",
            se.subscription(b, "sub_b", 1500, status="past_due"),
            created=70,
        ),
        se.event("payment_intent.created", {"id": "pi_ignored"}, created=5),
    ]


@pytest.mark.parametrize("seed", [None, "reversed", *range(6)])
def test_any_order_with_duplicates_converges(client, db, seed) -> None:
    campaign = make_campaign()
    one_time = start_gift(campaign, 10000)
    monthly = start_gift(campaign, 1500, frequency=Frequency.MONTHLY, email="bo@example.org")
    events = scenario(one_time.id, monthly.id)
    if seed == "reversed":
        events.reverse()
    elif seed is not None:
        rng = random.Random(seed)
        events = events + rng.sample(events, 4)  # some deliveries twice
        rng.shuffle(events)

    for payload in events:
        se.deliver_event(client, payload)

    state = snapshot()
    # 10000 - 3000 refunded, + 1500 first monthly payment; the renewal was lost in a dispute.
    assert state["totals"] == (8500, 2, 2) == recomputed_totals()
    assert state["recurring"] == [("past_due", 1500, 1)]
    assert state["donors"] == 2
    statuses = sorted(row[2] for row in state["donations"])
    assert statuses == ["failed", "paid", "paid", "paid"]
