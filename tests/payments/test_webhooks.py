"""Each Stripe event applied exactly once, unknown types acknowledged and ignored."""

from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se
from tests.payments.ledger_state import event_count, totals


def test_unknown_types_are_acknowledged_and_ignored(client, db) -> None:
    response = se.post_event(client, se.event("payment_method.attached", {"id": "pm_1"}))
    assert response.status_code == 200
    assert response.json == {"received": True, "outcome": "ignored"}
    assert event_count() == 1


def test_a_repeated_event_changes_nothing(client, db) -> None:
    campaign = make_campaign()
    gift = start_gift(campaign, 2500)
    payload = se.event(
        "checkout.session.completed", se.checkout_session(gift.id, 2500, payment_intent="pi_1")
    )
    first = se.post_event(client, payload)
    again = se.post_event(client, payload)
    assert first.json["outcome"] == "queued"
    assert again.status_code == 200
    assert again.json["outcome"] == "duplicate"
    assert se.drain(client.application).applied == 1
    assert se.event_status(payload["id"]) == "applied"
    assert se.deliver_event(client, payload) == "duplicate"
    assert totals() == (2500, 1, 1)
    assert event_count() == 1
