"""Recurring gifts: subscriptions started by Checkout, renewals as the clock moves, changes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from . import billing_objects, objects
from .amounts import format_amount
from .catalog import inline_price
from .clock import add_interval
from .errors import invalid
from .payments import attempt, create_intent
from .store import Card, Store

JSON = dict[str, Any]
RENEWING = ("active", "past_due")


def _period_end(subscription: JSON) -> int:
    return min(int(item["current_period_end"]) for item in subscription["items"]["data"])


def _next_period_end(subscription: JSON, item: JSON, after: int) -> int:
    """The first period boundary after ``after``, counted from the billing cycle anchor."""
    recurring = item["price"]["recurring"]
    anchor, periods = subscription["billing_cycle_anchor"], 1
    while (
        end := add_interval(anchor, recurring["interval"], recurring["interval_count"] * periods)
    ) <= after:
        periods += 1
    return end


def _next_number(store: Store, customer: JSON) -> str:
    sequence = customer["next_invoice_sequence"]
    customer["next_invoice_sequence"] = sequence + 1
    return f"{customer['invoice_prefix']}-{sequence:04d}"


def _describe(item: JSON, store: Store) -> str:
    price = item["price"]
    product = store.objects.get(price["product"], {})
    amount = format_amount(price["unit_amount"], price["currency"])
    interval = price["recurring"]["interval"]
    return f"{item['quantity']} \u00d7 {product.get('name', 'Item')} (at {amount} / {interval})"


def start_subscription(
    store: Store,
    *,
    customer: JSON,
    card: Card,
    items: list[tuple[JSON, int]],
    description: str | None,
    metadata: dict[str, str],
    at: int,
) -> tuple[JSON, JSON]:
    """Create the subscription and its first invoice, and pay it; returns both."""
    subscription_id = store.new_id("sub")
    subscription_items = []
    for price_json, quantity in items:
        recurring = price_json["recurring"]
        end = add_interval(at, recurring["interval"], recurring["interval_count"])
        subscription_items.append(
            billing_objects.subscription_item(
                store.new_id("si"),
                at,
                subscription_id=subscription_id,
                price_json=price_json,
                quantity=quantity,
                period_start=at,
                period_end=end,
            )
        )
    subscription = billing_objects.subscription(
        subscription_id,
        at,
        customer_id=customer["id"],
        item=subscription_items[0],
        payment_method=card.payment_method,
        description=description,
        metadata=metadata,
    )
    subscription["items"]["data"] = subscription_items
    store.add(subscription)
    subscription["latest_invoice"] = store.new_id("in")
    store.emit("customer.subscription.created", subscription, at=at)
    invoice = _draft_invoice(
        store, subscription, "subscription_create", (at, at), at, subscription["latest_invoice"]
    )
    _finalize_and_pay(store, subscription, invoice, card, first=True, at=at)
    return subscription, invoice


def _draft_invoice(
    store: Store,
    subscription: JSON,
    reason: str,
    period: tuple[int, int],
    at: int,
    invoice_id: str,
) -> JSON:
    """The next invoice of ``subscription`` (``period``: the one just ended, as Stripe has it)."""
    customer = store.objects[subscription["customer"]]
    lines = []
    for item in subscription["items"]["data"]:
        amount = item["price"]["unit_amount"] * item["quantity"]
        lines.append(
            billing_objects.invoice_line(
                store.new_id("il"),
                invoice_id=invoice_id,
                item=item,
                amount=amount,
                description=_describe(item, store),
                period_start=item["current_period_start"],
                period_end=item["current_period_end"],
                metadata=dict(subscription["metadata"]),
            )
        )
    for pending in store.prorations.pop(subscription["id"], []):
        pending["invoice"] = invoice_id
        lines.append(pending)
    invoice = billing_objects.invoice(
        invoice_id,
        at,
        customer_json=customer,
        subscription_json=subscription,
        lines=lines,
        billing_reason=reason,
        number=_next_number(store, customer),
        period_start=period[0],
        period_end=period[1],
    )
    store.add(invoice)
    draft = copy.deepcopy(invoice)
    draft.update(number=None, status="draft", auto_advance=True, effective_at=None)
    draft["status_transitions"]["finalized_at"] = None
    store.emit("invoice.created", draft, at=at)
    return invoice


def _finalize_and_pay(
    store: Store, subscription: JSON, invoice: JSON, card: Card, *, first: bool, at: int
) -> bool:
    """Finalize ``invoice`` and charge it to ``card``; whether the payment went through."""
    store.emit("invoice.finalized", invoice, at=at)
    if invoice["amount_due"] == 0:  # credits cover it: Stripe marks it paid without a charge
        _mark_paid(store, invoice, at)
        return True
    intent = create_intent(
        store,
        amount=invoice["amount_due"],
        currency=invoice["currency"],
        customer=subscription["customer"],
        description="Subscription creation" if first else "Subscription update",
        metadata={},
        at=at,
    )
    charge = attempt(store, intent, card, first=first, at=at)
    paid = charge["paid"]
    payment = billing_objects.invoice_payment(
        store.new_id("inpay"), at, invoice_json=invoice, intent_id=intent["id"], paid=paid
    )
    store.add(payment)
    store.invoice_payments.setdefault(invoice["id"], []).append(payment["id"])
    invoice["attempted"] = True
    invoice["attempt_count"] += 1
    if paid:
        store.emit("invoice_payment.paid", payment, at=at)
        _mark_paid(store, invoice, at)
    else:
        store.emit("invoice.payment_failed", invoice, at=at)
    return bool(paid)


def _mark_paid(store: Store, invoice: JSON, at: int) -> None:
    invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
    invoice["auto_advance"] = False
    invoice["status_transitions"]["paid_at"] = at
    store.emit("invoice.paid", invoice, at=at)
    store.emit("invoice.payment_succeeded", invoice, at=at)


def renew(store: Store, subscription: JSON, at: int) -> None:
    """Start ``subscription``'s next period at ``at``: bill it, or end it if it was set to."""
    previous: JSON = {"items": {"data": copy.deepcopy(subscription["items"]["data"])}}
    if subscription["cancel_at_period_end"]:
        _end(store, subscription, at, reason="cancellation_requested")
        return
    old_start = min(item["current_period_start"] for item in subscription["items"]["data"])
    for item in subscription["items"]["data"]:
        item["current_period_start"] = at
        item["current_period_end"] = _next_period_end(subscription, item, at)
    previous["latest_invoice"] = subscription["latest_invoice"]
    subscription["latest_invoice"] = store.new_id("in")
    invoice = _draft_invoice(
        store,
        subscription,
        "subscription_cycle",
        (old_start, at),
        at,
        subscription["latest_invoice"],
    )
    card = store.cards[subscription["default_payment_method"]]
    paid = _finalize_and_pay(store, subscription, invoice, card, first=False, at=at)
    status = "active" if paid else "past_due"
    if subscription["status"] != status:
        previous["status"] = subscription["status"]
        subscription["status"] = status
    store.emit("customer.subscription.updated", subscription, previous, at=at)


def _end(store: Store, subscription: JSON, at: int, *, reason: str) -> None:
    subscription.update(status="canceled", ended_at=at)
    if subscription["canceled_at"] is None:
        subscription["canceled_at"] = at
    subscription["cancellation_details"]["reason"] = reason
    store.emit("customer.subscription.deleted", subscription, at=at)


def renew_due(store: Store, now: int) -> int:
    """Renew every subscription whose period ended by ``now``, oldest first; how many times."""
    renewals = 0
    while True:
        due = [
            sub
            for sub in store.objects.values()
            if sub["object"] == "subscription"
            and sub["status"] in RENEWING
            and _period_end(sub) <= now
        ]
        if not due:
            return renewals
        subscription = min(due, key=_period_end)
        renew(store, subscription, _period_end(subscription))
        renewals += 1


def cancel(store: Store, subscription: JSON, details: JSON) -> JSON:
    """Cancel now (``DELETE /v1/subscriptions/{id}``)."""
    if subscription["status"] == "canceled":
        raise invalid(f"Subscription {subscription['id']} has already been canceled.")
    for key in ("comment", "feedback"):
        if key in details:
            subscription["cancellation_details"][key] = details[key]
    now = store.clock.now()
    subscription["canceled_at"] = now
    _end(store, subscription, now, reason="cancellation_requested")
    return subscription


def update(store: Store, subscription: JSON, params: JSON) -> JSON:
    """Apply ``POST /v1/subscriptions/{id}``: cancel at period end, metadata, a new amount."""
    now = store.clock.now()
    if subscription["status"] == "canceled" and params.keys() - {"metadata", "expand"}:
        raise invalid(
            "A canceled subscription can only update its cancellation_details and metadata."
        )
    previous: JSON = {}
    if "cancel_at_period_end" in params:
        _set_cancel_at_period_end(subscription, params["cancel_at_period_end"], now, previous)
    if "metadata" in params:
        metadata = dict(subscription["metadata"])
        for key, value in params["metadata"].items():
            if value == "":
                metadata.pop(key, None)
            else:
                metadata[key] = value
        if params["metadata"] == {}:
            metadata = {}
        if metadata != subscription["metadata"]:
            previous["metadata"] = subscription["metadata"]
            subscription["metadata"] = metadata
    if "description" in params and params["description"] != subscription["description"]:
        previous["description"] = subscription["description"]
        subscription["description"] = params["description"] or None
    if params.get("items"):
        behaviour = params.get("proration_behavior", "create_prorations")
        _change_items(store, subscription, params["items"], behaviour, now, previous)
    elif "proration_behavior" in params and params["proration_behavior"] == "always_invoice":
        raise invalid("proration_behavior=always_invoice is not supported by the sandbox.")
    if previous:
        store.emit("customer.subscription.updated", subscription, previous)
    return subscription


def _set_cancel_at_period_end(subscription: JSON, value: bool, now: int, previous: JSON) -> None:
    if value == subscription["cancel_at_period_end"]:
        return
    for key in ("cancel_at_period_end", "cancel_at", "canceled_at"):
        previous[key] = subscription[key]
    subscription["cancel_at_period_end"] = value
    subscription["cancel_at"] = _period_end(subscription) if value else None
    subscription["canceled_at"] = now if value else None
    subscription["cancellation_details"]["reason"] = "cancellation_requested" if value else None
    previous["cancellation_details"] = {
        **subscription["cancellation_details"],
        "reason": None if value else "cancellation_requested",
    }


def _change_items(
    store: Store,
    subscription: JSON,
    changes: list[JSON],
    behaviour: str,
    now: int,
    previous: JSON,
) -> None:
    if behaviour == "always_invoice":
        raise invalid(
            "proration_behavior=always_invoice is not supported by the sandbox; use "
            "create_prorations or none.",
            "proration_behavior",
        )
    old_items = copy.deepcopy(subscription["items"]["data"])
    by_id = {item["id"]: item for item in subscription["items"]["data"]}
    for index, change in enumerate(changes):
        if change.get("id") not in by_id:
            raise invalid(
                "The sandbox can only change existing subscription items: pass "
                f"items[{index}][id] (one of {', '.join(by_id)}).",
                f"items[{index}][id]",
            )
        item = by_id[change["id"]]
        old_price, old_quantity = item["price"], item["quantity"]
        new_price = _price_for_change(store, subscription, change, index)
        if new_price is not None:
            item["price"] = new_price
            item["plan"] = objects.plan(new_price)
        item["quantity"] = change.get("quantity", item["quantity"])
        if behaviour == "create_prorations":
            _prorate(store, subscription, item, old_price, old_quantity, now)
    if subscription["items"]["data"] != old_items:
        previous["items"] = {"data": old_items}


def _price_for_change(store: Store, subscription: JSON, change: JSON, index: int) -> JSON | None:
    if "price" in change and "price_data" in change:
        raise invalid("You may only specify one of these parameters: price, price_data.")
    if "price" in change:
        price = store.require(change["price"], "price", "price", f"items[{index}][price]")
        if price["recurring"] is None:
            raise invalid("The price specified is not recurring.", f"items[{index}][price]")
        return price
    if "price_data" not in change:
        return None
    data = change["price_data"]
    if data["currency"] != subscription["currency"]:
        raise invalid(
            f"The price's currency ({data['currency']}) must match the subscription's "
            f"({subscription['currency']}).",
            f"items[{index}][price_data][currency]",
        )
    return inline_price(store, data, param=f"items[{index}][price_data]")


def _prorate(
    store: Store, subscription: JSON, item: JSON, old_price: JSON, old_quantity: int, now: int
) -> None:
    """Queue Stripe-style proration lines (unused time credited, remaining time charged)."""
    start, end = item["current_period_start"], item["current_period_end"]
    if end <= now or end <= start:
        return
    share = (end - now) / (end - start)
    old_amount = old_price["unit_amount"] * old_quantity
    new_amount = item["price"]["unit_amount"] * item["quantity"]
    if old_amount == new_amount:
        return
    day = datetime.fromtimestamp(now, UTC).strftime("%d %b %Y")
    pending = store.prorations.setdefault(subscription["id"], [])
    for label, amount, price in (
        ("Unused time on", -round(old_amount * share), old_price),
        ("Remaining time on", round(new_amount * share), item["price"]),
    ):
        line_item = {**item, "price": price}
        product = store.objects.get(price["product"], {})
        pending.append(
            billing_objects.invoice_line(
                store.new_id("il"),
                invoice_id="",
                item=line_item,
                amount=amount,
                description=f"{label} {product.get('name', 'Item')} after {day}",
                period_start=now,
                period_end=end,
                proration=True,
            )
        )
