"""Stripe-shaped event payloads, signed and posted to the real webhook endpoint."""

from __future__ import annotations

import contextvars
import itertools
import json
import time
from typing import Any

import stripe
from flask import Flask
from sqlalchemy import select

from campaigns.extensions import db
from campaigns.models import Frequency, StripeEvent
from campaigns.payments.worker import EventReport, drain_events
from tests.factories import start_gift

WEBHOOK_SECRET = "whsec_test_ledger"
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_test{next(_ids):06d}"


def event(
    event_type: str, obj: dict[str, Any], *, created: int | None = None, event_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created if created is not None else int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def post_event(
    client, payload: dict[str, Any], *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None
):
    body = json.dumps(payload)
    header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp=timestamp)
    return client.post(
        "/stripe/webhook",
        data=body,
        headers={"Stripe-Signature": header},
        content_type="application/json",
    )


def drain(app: Flask, **kwargs: Any) -> EventReport:
    """Run the worker over the inbox until nothing is due, in a context of its own (its own
    app context and database session), as a worker process would."""

    def work() -> EventReport:
        with app.app_context():
            return drain_events(**kwargs)

    return contextvars.Context().run(work)


def event_status(event_id: str) -> str | None:
    db.session.expire_all()
    status = db.session.scalar(select(StripeEvent.status).where(StripeEvent.id == event_id))
    return None if status is None else status.value


def deliver_event(client, payload: dict[str, Any], **kwargs: Any) -> str:
    """Post the event as Stripe would, then let the worker apply it; what became of it
    (``applied``, ``ignored``, ``failed`` …, or ``duplicate`` if the inbox had it already)."""
    response = post_event(client, payload, **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    drain(client.application)
    if response.json["outcome"] == "duplicate":
        return "duplicate"
    return event_status(payload["id"]) or "missing"


def metadata(donation_id: int, campaign: str = "eoy-test") -> dict[str, str]:
    return {"donation_id": str(donation_id), "campaign": campaign, "source": "", "variant": ""}


def checkout_session(
    donation_id: int,
    amount: int,
    *,
    mode: str = "payment",
    payment_status: str = "paid",
    payment_intent: str | None = None,
    subscription: str | None = None,
    invoice: str | None = None,
    session_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": session_id or new_id("cs"),
        "object": "checkout.session",
        "mode": mode,
        "status": "complete",
        "payment_status": payment_status,
        "amount_total": amount,
        "currency": "usd",
        "customer": "cus_test",
        "customer_details": {"email": "ann@example.org", "name": "Ann"},
        "metadata": metadata(donation_id),
        "payment_intent": payment_intent if mode == "payment" else None,
        "subscription": subscription,
        "invoice": invoice,
    }


def invoice(
    donation_id: int,
    subscription: str,
    amount: int,
    *,
    billing_reason: str,
    payment_intent: str | None,
    invoice_id: str | None = None,
    status: str = "paid",
) -> dict[str, Any]:
    payments = None
    if payment_intent:
        payments = {
            "object": "list",
            "data": [
                {
                    "object": "invoice_payment",
                    "status": "paid",
                    "payment": {"type": "payment_intent", "payment_intent": payment_intent},
                }
            ],
        }
    return {
        "id": invoice_id or new_id("in"),
        "object": "invoice",
        "billing_reason": billing_reason,
        "amount_paid": amount if status == "paid" else 0,
        "amount_due": amount,
        "currency": "usd",
        "customer": "cus_test",
        "status": status,
        "attempt_count": 1,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {
                "subscription": subscription,
                "metadata": metadata(donation_id),
            },
        },
        "payments": payments,
        "status_transitions": {"paid_at": int(time.time()) if status == "paid" else None},
    }


def subscription(
    donation_id: int,
    subscription_id: str,
    amount: int,
    *,
    status: str = "active",
    period_end: int | None = None,
    cancel_at_period_end: bool = False,
    canceled_at: int | None = None,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "status": status,
        "currency": "usd",
        "customer": "cus_test",
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": canceled_at,
        "metadata": metadata(donation_id),
        "items": {
            "object": "list",
            "data": [
                {
                    "id": new_id("si"),
                    "object": "subscription_item",
                    "quantity": 1,
                    "current_period_end": period_end or int(time.time()) + 30 * 86400,
                    "price": {
                        "id": new_id("price"),
                        "object": "price",
                        "unit_amount": amount,
                        "currency": "usd",
                        "recurring": {"interval": "month"},
                    },
                }
            ],
        },
    }


def charge(
    payment_intent: str, amount: int, amount_refunded: int = 0, charge_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": charge_id or new_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_refunded": amount_refunded,
        "refunded": amount_refunded >= amount,
        "currency": "usd",
        "payment_intent": payment_intent,
        "paid": True,
        "status": "succeeded",
    }


def dispute(
    payment_intent: str, charge_id: str, amount: int, status: str, dispute_id: str = "dp_test"
) -> dict[str, Any]:
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": amount,
        "currency": "usd",
        "charge": charge_id,
        "payment_intent": payment_intent,
        "status": status,
        "reason": "fraudulent",
    }


def deliver(client, event_type, obj, **kwargs):
    """Post one event, let the worker apply it, and return what became of it."""
    return deliver_event(client, event(event_type, obj, **kwargs))


def monthly_gift(campaign, amount=1500):
    return start_gift(campaign, amount, frequency=Frequency.MONTHLY)


def start_monthly(client, campaign):
    """A monthly gift whose first payment and subscription Stripe has reported."""
    gift = monthly_gift(campaign)
    deliver(
        client,
        "checkout.session.completed",
        checkout_session(gift.id, 1500, mode="subscription", subscription="sub_1", invoice="in_1"),
    )
    deliver(
        client,
        "invoice.paid",
        invoice(
            gift.id,
            "sub_1",
            1500,
            billing_reason="subscription_create",
            payment_intent="pi_m1",
            invoice_id="in_1",
        ),
    )
    deliver(
        client,
        "customer.subscription.created",
        subscription(gift.id, "sub_1", 1500),
        created=100,
    )
    return gift


def paid(client, campaign, amount, pi, **gift):
    """A gift started on the donate form and paid, as checkout.session.completed says."""
    donation = start_gift(campaign, amount, **gift)
    outcome = deliver_event(
        client,
        event(
            "checkout.session.completed",
            checkout_session(donation.id, amount, payment_intent=pi),
        ),
    )
    assert outcome == "applied"
    return donation
