"""The ``/v1`` routes: the part of Stripe's API the campaigns app uses."""

from __future__ import annotations

import copy
from fnmatch import fnmatchcase
from typing import Any

from flask import Blueprint, current_app

from . import billing, checkout, objects, payments
from .endpoint import current_store, endpoint
from .errors import StripeError, invalid
from .expand import render

JSON = dict[str, Any]
api = Blueprint("stripe_api", __name__, url_prefix="/v1")


@api.post("/checkout/sessions")
@endpoint("checkout.SessionCreateParams")
def create_checkout_session(params: JSON) -> JSON:
    store, public_url = current_store(), current_app.extensions["stripe_sandbox"].public_url
    return render(store, checkout.create_session(store, params, public_url), params.get("expand"))


@api.get("/checkout/sessions/<session_id>")
@endpoint("checkout.SessionRetrieveParams")
def retrieve_checkout_session(params: JSON, session_id: str) -> JSON:
    store = current_store()
    session = store.require(session_id, "checkout.session", "checkout.session")
    return render(store, session, params.get("expand"))


@api.post("/checkout/sessions/<session_id>/expire")
@endpoint("checkout.SessionExpireParams")
def expire_checkout_session(params: JSON, session_id: str) -> JSON:
    store = current_store()
    session = store.require(session_id, "checkout.session", "checkout.session")
    return render(store, checkout.expire_session(store, session), params.get("expand"))


def paginate(items: list[JSON], params: JSON, url: str) -> JSON:
    """One page of ``items`` (newest first) for ``limit``, ``starting_after``, ``ending_before``."""
    limit = params.get("limit", 10)
    if limit > 100:
        raise invalid("This value must be less than or equal to 100.", "limit")
    if "starting_after" in params and "ending_before" in params:
        raise invalid(
            "You may only specify one of these parameters: ending_before, starting_after."
        )
    ids = [item["id"] for item in items]
    for cursor in ("starting_after", "ending_before"):
        if cursor in params and params[cursor] not in ids:
            raise invalid(f"No such object: '{params[cursor]}'", cursor, "resource_missing")
    if "starting_after" in params:
        rest = items[ids.index(params["starting_after"]) + 1 :]
        page, has_more = rest[:limit], len(rest) > limit
    elif "ending_before" in params:
        rest = items[: ids.index(params["ending_before"])]
        page, has_more = rest[-limit:], len(rest) > limit
    else:
        page, has_more = items[:limit], len(items) > limit
    return objects.list_object([copy.deepcopy(item) for item in page], url, has_more)


@api.get("/checkout/sessions/<session_id>/line_items")
@endpoint("checkout.SessionLineItemListParams")
def list_checkout_line_items(params: JSON, session_id: str) -> JSON:
    store = current_store()
    store.require(session_id, "checkout.session", "checkout.session")
    page = paginate(
        store.session_items[session_id], params, f"/v1/checkout/sessions/{session_id}/line_items"
    )
    return render(store, page, params.get("expand"))


@api.post("/customers")
@endpoint("CustomerCreateParams")
def create_customer(params: JSON) -> JSON:
    store = current_store()
    customer = objects.customer(
        store.new_id("cus"),
        store.clock.now(),
        email=params.get("email"),
        name=params.get("name"),
        description=params.get("description"),
        metadata=params.get("metadata"),
    )
    store.add(customer)
    store.emit("customer.created", customer)
    return render(store, customer, params.get("expand"))


def _retrieve(kind: str, label: str, object_id: str, params: JSON) -> JSON:
    store = current_store()
    return render(store, store.require(object_id, kind, label), params.get("expand"))


@api.get("/customers/<customer_id>")
@endpoint("CustomerRetrieveParams")
def retrieve_customer(params: JSON, customer_id: str) -> JSON:
    return _retrieve("customer", "customer", customer_id, params)


@api.get("/payment_intents/<intent_id>")
@endpoint("PaymentIntentRetrieveParams")
def retrieve_payment_intent(params: JSON, intent_id: str) -> JSON:
    return _retrieve("payment_intent", "payment_intent", intent_id, params)


@api.get("/charges/<charge_id>")
@endpoint("ChargeRetrieveParams")
def retrieve_charge(params: JSON, charge_id: str) -> JSON:
    return _retrieve("charge", "charge", charge_id, params)


@api.get("/disputes/<dispute_id>")
@endpoint("DisputeRetrieveParams")
def retrieve_dispute(params: JSON, dispute_id: str) -> JSON:
    return _retrieve("dispute", "dispute", dispute_id, params)


@api.get("/products/<product_id>")
@endpoint("ProductRetrieveParams")
def retrieve_product(params: JSON, product_id: str) -> JSON:
    return _retrieve("product", "product", product_id, params)


@api.get("/prices/<price_id>")
@endpoint("PriceRetrieveParams")
def retrieve_price(params: JSON, price_id: str) -> JSON:
    return _retrieve("price", "price", price_id, params)


@api.post("/refunds")
@endpoint("RefundCreateParams")
def create_refund(params: JSON) -> JSON:
    store = current_store()
    charge = payments.charge_to_refund(store, params.get("charge"), params.get("payment_intent"))
    created = payments.refund(
        store,
        charge,
        amount=params.get("amount"),
        reason=params.get("reason"),
        metadata=params.get("metadata"),
    )
    return render(store, created, params.get("expand"))


@api.get("/refunds/<refund_id>")
@endpoint("RefundRetrieveParams")
def retrieve_refund(params: JSON, refund_id: str) -> JSON:
    return _retrieve("refund", "refund", refund_id, params)


@api.get("/subscriptions/<subscription_id>")
@endpoint("SubscriptionRetrieveParams")
def retrieve_subscription(params: JSON, subscription_id: str) -> JSON:
    return _retrieve("subscription", "subscription", subscription_id, params)


@api.post("/subscriptions/<subscription_id>")
@endpoint("SubscriptionUpdateParams")
def update_subscription(params: JSON, subscription_id: str) -> JSON:
    store = current_store()
    subscription = store.require(subscription_id, "subscription", "subscription")
    return render(store, billing.update(store, subscription, params), params.get("expand"))


@api.delete("/subscriptions/<subscription_id>")
@endpoint("SubscriptionCancelParams")
def cancel_subscription(params: JSON, subscription_id: str) -> JSON:
    store = current_store()
    subscription = store.require(subscription_id, "subscription", "subscription")
    details = params.get("cancellation_details", {})
    return render(store, billing.cancel(store, subscription, details), params.get("expand"))


@api.get("/invoices/<invoice_id>")
@endpoint("InvoiceRetrieveParams")
def retrieve_invoice(params: JSON, invoice_id: str) -> JSON:
    return _retrieve("invoice", "invoice", invoice_id, params)


def _matches(event: JSON, params: JSON) -> bool:
    if "type" in params and not fnmatchcase(event["type"], params["type"]):
        return False
    if "types" in params and event["type"] not in params["types"]:
        return False
    created, bounds = event["created"], params.get("created", {})
    checks = {
        "eq": created == bounds.get("eq", created),
        "gt": created > bounds.get("gt", created - 1),
        "gte": created >= bounds.get("gte", created),
        "lt": created < bounds.get("lt", created + 1),
        "lte": created <= bounds.get("lte", created),
    }
    if not all(checks.values()):
        return False
    if "delivery_success" in params:
        return bool((event["pending_webhooks"] == 0) == params["delivery_success"])
    return True


@api.get("/events")
@endpoint("EventListParams")
def list_events(params: JSON) -> JSON:
    if "type" in params and "types" in params:
        raise invalid("You may only specify one of these parameters: type, types.", "types")
    store = current_store()
    ordered = sorted(
        enumerate(store.events), key=lambda pair: (pair[1]["created"], pair[0]), reverse=True
    )
    events = [event for _, event in ordered if _matches(event, params)]
    return paginate(events, params, "/v1/events")


@api.get("/events/<event_id>")
@endpoint("EventRetrieveParams")
def retrieve_event(params: JSON, event_id: str) -> JSON:
    store = current_store()
    for event in store.events:
        if event["id"] == event_id:
            return render(store, event, params.get("expand"))
    raise StripeError(
        f"No such event: '{event_id}'", status=404, code="resource_missing", param="id"
    )
