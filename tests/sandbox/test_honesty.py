"""Everything the sandbox returns or sends has the shape the stripe SDK declares."""

from __future__ import annotations

import json
from typing import Any

import pytest
import stripe
from stripe._stripe_object import StripeObject
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from tests.sandbox.conftest import Receiver, donation_params, monthly_params
from tests.sandbox.sdk_shapes import check_object, json_fields
from tests.sandbox_client import pay

CLASSES: dict[str, type[StripeObject]] = {
    "billing_portal.session": stripe.billing_portal.Session,
    "charge": stripe.Charge,
    "checkout.session": stripe.checkout.Session,
    "customer": stripe.Customer,
    "dispute": stripe.Dispute,
    "event": stripe.Event,
    "invoice": stripe.Invoice,
    "invoice_payment": stripe.InvoicePayment,
    "item": stripe.LineItem,
    "line_item": stripe.InvoiceLineItem,
    "payment_intent": stripe.PaymentIntent,
    "plan": stripe.Plan,
    "price": stripe.Price,
    "product": stripe.Product,
    "refund": stripe.Refund,
    "subscription": stripe.Subscription,
    "subscription_item": stripe.SubscriptionItem,
}


def shape_errors(obj: dict[str, Any], where: str) -> list[str]:
    cls = CLASSES.get(obj.get("object", ""))
    if cls is None:
        return [f"{where}: no SDK class known for object {obj.get('object')!r}"]
    return check_object(obj, cls, where)


def _everything(bare_sandbox: Sandbox, web: Client, stripe_client: stripe.StripeClient) -> None:
    """Drive every flow the sandbox has, so that every kind of object exists."""
    one_time = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    pay(web, one_time.url or "")
    disputed = stripe_client.v1.checkout.sessions.create(
        params=donation_params(customer_creation="always")  # type: ignore[arg-type]
    )
    pay(web, disputed.url or "", "4000000000000259")
    declined = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    web.post(
        f"/checkout/{declined.id}",
        data={
            "email": "x@example.org",
            "cardNumber": "4000000000000002",
            "cardExpiry": "12/34",
            "cardCvc": "123",
            "billingName": "X",
        },
    )
    stripe_client.v1.checkout.sessions.expire(declined.id)
    monthly = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    pay(web, monthly.url or "")
    failing = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    pay(web, failing.url or "", "4000000000000341")
    intent = stripe_client.v1.checkout.sessions.retrieve(one_time.id).payment_intent
    stripe_client.v1.refunds.create(params={"payment_intent": str(intent), "amount": 500})
    monthly_session = stripe_client.v1.checkout.sessions.retrieve(monthly.id)
    subscription = stripe_client.v1.subscriptions.retrieve(str(monthly_session.subscription))
    stripe_client.v1.subscriptions.update(
        subscription.id,
        params={
            "items": [
                {
                    "id": subscription["items"].data[0].id,
                    "price_data": {
                        "currency": "usd",
                        "product": subscription["items"].data[0].price.product,
                        "unit_amount": 2000,
                        "recurring": {"interval": "month"},
                    },
                }
            ],
            "metadata": {"changed": "yes"},
        },
    )
    web.post("/_sandbox/clock/advance", json={"days": 40})
    stripe_client.v1.subscriptions.update(subscription.id, params={"cancel_at_period_end": True})
    failing_subscription = stripe_client.v1.checkout.sessions.retrieve(failing.id).subscription
    stripe_client.v1.subscriptions.cancel(str(failing_subscription))
    dispute = next(o for o in bare_sandbox.store.objects.values() if o["object"] == "dispute")
    web.post(f"/_sandbox/disputes/{dispute['id']}/close", json={"status": "lost"})
    stripe_client.v1.customers.create(params={"email": "new@example.org", "name": "New"})
    bare_sandbox.flush_webhooks()


def test_every_object_matches_the_sdk_annotations(
    bare_sandbox: Sandbox, web: Client, stripe_client: stripe.StripeClient, receiver: Receiver
) -> None:
    _everything(bare_sandbox, web, stripe_client)
    kinds = {obj["object"] for obj in bare_sandbox.store.objects.values()}
    nested = {"billing_portal.session", "event", "item", "line_item", "plan", "subscription_item"}
    assert kinds >= set(CLASSES) - nested
    errors: list[str] = []
    for obj in bare_sandbox.store.objects.values():
        errors += shape_errors(obj, obj["id"])
    for session_id, items in bare_sandbox.store.session_items.items():
        for item in items:
            errors += shape_errors(item, f"{session_id}.line_items")
    assert not errors, "\n".join(errors[:40])


def test_every_event_and_its_snapshot_match_the_sdk_annotations(
    bare_sandbox: Sandbox, web: Client, stripe_client: stripe.StripeClient, receiver: Receiver
) -> None:
    _everything(bare_sandbox, web, stripe_client)
    errors: list[str] = []
    for body, _ in receiver.received:
        event = json.loads(body)
        errors += shape_errors(event, event["id"])
        snapshot = event["data"]["object"]
        errors += shape_errors(snapshot, f"{event['id']} ({event['type']}).data.object")
        previous = event["data"].get("previous_attributes")
        if previous is not None:
            fields = json_fields(CLASSES[snapshot["object"]])
            errors += [
                f"{event['id']}: previous_attributes.{key} is no field of {snapshot['object']}"
                for key in previous
                if key not in fields
            ]
    assert len(receiver.received) > 50
    assert not errors, "\n".join(errors[:40])


@pytest.mark.parametrize("expand", [["line_items"], ["payment_intent", "customer"]])
def test_expanded_sessions_match_the_sdk_annotations(
    web: Client, stripe_client: stripe.StripeClient, expand: list[str]
) -> None:
    session = stripe_client.v1.checkout.sessions.create(
        params=donation_params(customer_creation="always")  # type: ignore[arg-type]
    )
    pay(web, session.url or "")
    response = web.get(
        f"/v1/checkout/sessions/{session.id}?" + "&".join(f"expand[]={e}" for e in expand),
        headers={"Authorization": "Bearer sk_test_x"},
    )
    body = response.get_json()
    assert all(isinstance(body[name], dict) for name in expand)
    assert shape_errors(body, "session") == []
