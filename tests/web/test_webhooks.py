"""POST /stripe/webhook: signatures checked, and no CSRF token asked of it."""

import json
import time

import stripe

from tests.factories import make_campaign
from tests.payments import stripe_events as se
from tests.payments.ledger_state import event_count


def test_missing_forged_and_stale_signatures_are_refused(client, db) -> None:
    make_campaign()
    payload = se.event("customer.created", {"id": "cus_1", "object": "customer"})
    body = json.dumps(payload)

    missing = client.post("/stripe/webhook", data=body, content_type="application/json")
    forged = se.post_event(client, payload, secret="whsec_someone_else")
    stale = se.post_event(client, payload, timestamp=int(time.time()) - 301)
    tampered_header = stripe.WebhookSignature.generate_signature_header(body, se.WEBHOOK_SECRET)
    tampered = client.post(
        "/stripe/webhook",
        data=body.replace("cus_1", "cus_2"),
        headers={"Stripe-Signature": tampered_header},
        content_type="application/json",
    )
    for response in (missing, forged, stale, tampered):
        assert response.status_code == 400
        assert response.json == {"error": "invalid signature or payload"}
    assert event_count() == 0


def test_webhook_needs_no_csrf_token_while_forms_do(client, db) -> None:
    make_campaign()
    response = se.post_event(client, se.event("customer.created", {"id": "cus_1"}))
    assert response.status_code == 200
    form = client.post("/campaigns/eoy-test/donate", data={"amount": "25"})
    assert form.status_code == 400
    assert "This form timed out or was sent from another site" in form.get_data(as_text=True)
