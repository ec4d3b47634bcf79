"""The one module that imports ``stripe``: SDK objects become plain values at its edge."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import stripe
from flask import Flask, current_app
from stripe.params.checkout import SessionCreateParams

API_VERSION = "2026-10-28.endive"
if stripe.api_version != API_VERSION:  # pragma: no cover - guards an SDK upgrade
    raise RuntimeError(f"stripe SDK speaks {stripe.api_version}, the ledger expects {API_VERSION}")

_EXTENSION_KEY = "campaigns.stripe_client"

SignatureVerificationError = stripe.SignatureVerificationError


class PaymentServiceError(RuntimeError):
    """Stripe could not be reached or refused the request; safe to show a retry message."""


class StripeObjectMissing(LookupError):
    """Stripe answered 404 for an object: a final answer, not a reason to try again."""


def _is_missing(exc: stripe.StripeError) -> bool:
    return isinstance(exc, stripe.InvalidRequestError) and (
        exc.http_status == 404 or exc.code == "resource_missing"
    )


@dataclass(frozen=True)
class CheckoutRequest:
    """Everything a Checkout Session for one gift needs, in our own terms."""

    donation_id: int
    campaign_slug: str
    product_name: str
    amount: int  # minor units charged, fee included
    currency: str
    monthly: bool
    email: str
    success_url: str
    cancel_url: str
    source: str
    variant: str
    description: str


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str | None
    payment_status: str
    amount_total: int | None
    currency: str | None
    mode: str
    metadata: dict[str, str]
    customer_email: str | None


def init_app(app: Flask) -> None:
    """Register a lazily built client: creating the app never touches the network."""
    app.extensions[_EXTENSION_KEY] = None


def _client() -> stripe.StripeClient:
    client = current_app.extensions.get(_EXTENSION_KEY)
    if client is None:
        config = current_app.config
        client = stripe.StripeClient(
            config["STRIPE_SECRET_KEY"],
            stripe_version=API_VERSION,
            base_addresses={"api": config["STRIPE_API_BASE"]},
            http_client=config.get("STRIPE_HTTP_CLIENT"),
            max_network_retries=config["STRIPE_MAX_NETWORK_RETRIES"],
        )
        current_app.extensions[_EXTENSION_KEY] = client
    return cast(stripe.StripeClient, client)


def _session_params(request: CheckoutRequest) -> SessionCreateParams:
    metadata = {
        "donation_id": str(request.donation_id),
        "campaign": request.campaign_slug,
        "source": request.source,
        "variant": request.variant,
    }
    price_data: dict[str, Any] = {
        "currency": request.currency,
        "unit_amount": request.amount,
        "product_data": {"name": request.product_name},
    }
    params: dict[str, Any] = {
        "line_items": [{"price_data": price_data, "quantity": 1}],
        "customer_email": request.email,
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "client_reference_id": str(request.donation_id),
        "metadata": metadata,
    }
    if request.monthly:
        price_data["recurring"] = {"interval": "month"}
        params["mode"] = "subscription"
        params["subscription_data"] = {"metadata": metadata, "description": request.description}
    else:
        params["mode"] = "payment"
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {
            "metadata": metadata,
            "description": request.description,
        }
    return cast(SessionCreateParams, params)


def _plain_session(session: stripe.checkout.Session) -> CheckoutSession:
    return CheckoutSession(
        id=session.id,
        url=session.url,
        status=session.status,
        payment_status=session.payment_status,
        amount_total=session.amount_total,
        currency=session.currency,
        mode=session.mode,
        metadata={str(k): str(v) for k, v in (session.to_dict().get("metadata") or {}).items()},
        customer_email=session.customer_email,
    )


def create_checkout_session(request: CheckoutRequest) -> CheckoutSession:
    """Open a Checkout Session; retrying with the same gift can never charge twice."""
    try:
        session = _client().v1.checkout.sessions.create(
            params=_session_params(request),
            options={"idempotency_key": f"checkout-donation-{request.donation_id}"},
        )
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc.user_message or exc)) from exc
    return _plain_session(session)


def retrieve_checkout_session(session_id: str) -> CheckoutSession | None:
    """The session, or None when Stripe doesn't know the id."""
    try:
        session = _client().v1.checkout.sessions.retrieve(session_id)
    except stripe.StripeError as exc:
        if _is_missing(exc):
            return None
        raise PaymentServiceError(str(exc)) from exc
    return _plain_session(session)


def expire_checkout_session(session_id: str) -> None:
    """Close an open session so nobody can pay into it (done already counts as done)."""
    try:
        _client().v1.checkout.sessions.expire(session_id)
    except stripe.InvalidRequestError:
        return  # unknown, or no longer open: either way nobody can pay into it
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc)) from exc


def invoice_payment_intent(invoice_id: str) -> str | None:
    """The PaymentIntent that paid an invoice (webhooks leave ``payments`` out).

    ``StripeObjectMissing`` when Stripe has no such invoice (another account's, or deleted);
    ``PaymentServiceError`` when Stripe can't answer now.
    """
    try:
        invoice = _client().v1.invoices.retrieve(invoice_id, params={"expand": ["payments"]})
    except stripe.StripeError as exc:
        if _is_missing(exc):
            raise StripeObjectMissing(
                f"Stripe has no invoice {invoice_id} ({exc.code or exc.http_status})"
            ) from exc
        raise PaymentServiceError(str(exc)) from exc
    return payment_intent_from_invoice(invoice.to_dict())


def payment_intent_from_invoice(invoice: Mapping[str, Any]) -> str | None:
    """The paid PaymentIntent listed on an invoice dict, if its payments are included."""
    payments = invoice.get("payments")
    entries = payments.get("data") if isinstance(payments, Mapping) else None
    for entry in entries if isinstance(entries, list) else []:
        payment = entry.get("payment") if isinstance(entry, Mapping) else None
        intent = payment.get("payment_intent") if isinstance(payment, Mapping) else None
        if isinstance(intent, Mapping):
            intent = intent.get("id")
        if isinstance(intent, str) and intent and entry.get("status") in (None, "paid"):
            return intent
    return None


def verify_webhook(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """The event as a plain dict, once its signature checks out (default 300 s tolerance).

    This is ``stripe.Webhook.construct_event`` without building an ``Event`` object that we
    would only turn back into a dict: the same SDK check, at a third of the cost per event.
    """
    stripe.WebhookSignature.verify_header(
        payload.decode("utf-8"), signature, secret, stripe.Webhook.DEFAULT_TOLERANCE
    )
    event = json.loads(payload)
    if not isinstance(event, dict) or event.get("object") != "event":
        raise ValueError("the payload is not a Stripe event")
    return event


def iter_events(created_since: int) -> Iterator[dict[str, Any]]:
    """Every event since a Unix time, oldest first, as plain dicts."""
    client = _client()
    newest_first: list[dict[str, Any]] = []
    starting_after: str | None = None
    try:
        while True:
            params: dict[str, Any] = {"created": {"gte": created_since}, "limit": 100}
            if starting_after:
                params["starting_after"] = starting_after
            page = client.v1.events.list(params=cast(Any, params))
            newest_first.extend(event.to_dict() for event in page.data)
            if not page.has_more or not page.data:
                break
            starting_after = page.data[-1].id
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc)) from exc
    yield from reversed(newest_first)


# --- Monthly donors' self-service ------------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionItemPrice:
    """The one item of a monthly gift's subscription, as a change of amount needs it."""

    item_id: str
    product_id: str
    currency: str
    interval: str
    interval_count: int


def _subscription(subscription_id: str) -> stripe.Subscription:
    return _client().v1.subscriptions.retrieve(subscription_id)


def _expandable_id(value: Any) -> str:
    return str(value if isinstance(value, str) else value.id)


def subscription_item_price(subscription_id: str) -> SubscriptionItemPrice:
    """What a new amount for this subscription's item must keep: product, currency, interval."""
    try:
        subscription = _subscription(subscription_id)
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc.user_message or exc)) from exc
    # ``items`` is also a dict method on SDK objects: read it by key.
    item = subscription["items"].data[0]
    price = item.price
    recurring = price.recurring
    return SubscriptionItemPrice(
        item_id=item.id,
        product_id=_expandable_id(price.product),
        currency=price.currency,
        interval=recurring.interval if recurring else "month",
        interval_count=recurring.interval_count if recurring else 1,
    )


def change_subscription_amount(subscription_id: str, amount: int) -> None:
    """Charge ``amount`` minor units from the next payment on, with no proration for this one."""
    current = subscription_item_price(subscription_id)
    price_data = {
        "currency": current.currency,
        "product": current.product_id,
        "unit_amount": amount,
        "recurring": {"interval": current.interval, "interval_count": current.interval_count},
    }
    params = {
        "items": [{"id": current.item_id, "price_data": price_data, "quantity": 1}],
        "proration_behavior": "none",
    }
    try:
        _client().v1.subscriptions.update(subscription_id, params=cast(Any, params))
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc.user_message or exc)) from exc


def set_cancel_at_period_end(subscription_id: str, cancel: bool) -> None:
    """End the subscription when the paid period runs out (or, with False, keep it going)."""
    try:
        _client().v1.subscriptions.update(subscription_id, params={"cancel_at_period_end": cancel})
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc.user_message or exc)) from exc


def billing_portal_url(subscription_id: str, return_url: str) -> str:
    """A short-lived customer portal page where the subscription's payer updates the card."""
    try:
        customer = _expandable_id(_subscription(subscription_id).customer)
        session = _client().v1.billing_portal.sessions.create(
            params={"customer": customer, "return_url": return_url}
        )
    except stripe.StripeError as exc:
        raise PaymentServiceError(str(exc.user_message or exc)) from exc
    return session.url
