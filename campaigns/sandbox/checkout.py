"""Checkout Sessions: creation, expiry, and what paying on the hosted page sets in motion."""

from __future__ import annotations

from typing import Any

from . import objects
from .billing import start_subscription
from .cards import TEST_CARDS, CardForm
from .catalog import inline_price
from .errors import invalid
from .payments import attempt, create_intent, decline_for, open_dispute, register_card
from .store import Card, Store

JSON = dict[str, Any]


def create_session(store: Store, params: JSON, public_url: str) -> JSON:
    """A new open session from ``POST /v1/checkout/sessions`` parameters."""
    mode = params["mode"]
    if params.get("customer"):
        store.require(params["customer"], "customer", "customer", "customer")
        if params.get("customer_email"):
            raise invalid(
                "You may only specify one of these parameters: customer, customer_email.",
                "customer_email",
            )
    if mode == "subscription" and "customer_creation" in params:
        raise invalid(
            "`customer_creation` can only be used in `payment` mode.", "customer_creation"
        )
    if mode == "payment" and "subscription_data" in params:
        raise invalid(
            "You can not pass `subscription_data` in `payment` mode.", "subscription_data"
        )
    if mode == "subscription" and "payment_intent_data" in params:
        raise invalid(
            "You can not pass `payment_intent_data` in `subscription` mode.",
            "payment_intent_data",
        )
    if not params["line_items"]:
        raise invalid("You must provide at least one line item.", "line_items")
    items = [
        _line_item(store, item, index, mode) for index, item in enumerate(params["line_items"])
    ]
    currencies = {price["currency"] for price, _ in items}
    if len(currencies) > 1:
        raise invalid("All line items must use the same currency.", "line_items")
    if mode == "subscription":
        intervals = {
            (price["recurring"]["interval"], price["recurring"]["interval_count"])
            for price, _ in items
        }
        if len(intervals) > 1:
            raise invalid("All recurring prices must have the same interval.", "line_items")
    session_id = store.new_id("cs_test")
    session = objects.checkout_session(
        session_id,
        store.clock.now(),
        mode=mode,
        url=f"{public_url.rstrip('/')}/checkout/{session_id}",
        currency=currencies.pop(),
        amount=sum(price["unit_amount"] * quantity for price, quantity in items),
        params=params,
    )
    store.add(session)
    store.session_items[session_id] = [
        objects.checkout_line_item(
            store.new_id("li"), price, quantity, store.objects[price["product"]]["name"]
        )
        for price, quantity in items
    ]
    store.session_options[session_id] = {
        "payment_intent_data": params.get("payment_intent_data", {}),
        "subscription_data": params.get("subscription_data", {}),
    }
    return session


def _line_item(store: Store, item: JSON, index: int, mode: str) -> tuple[JSON, int]:
    param = f"line_items[{index}]"
    if ("price" in item) == ("price_data" in item):
        raise invalid(f"You must specify exactly one of `price` or `price_data` in {param}.", param)
    if "price" in item:
        price = store.require(item["price"], "price", "price", f"{param}[price]")
    else:
        price = inline_price(store, item["price_data"], param=f"{param}[price_data]")
    if mode == "payment" and price["recurring"] is not None:
        raise invalid(
            "You specified `payment` mode but passed a recurring price. Either switch to "
            "`subscription` mode or use only one-time prices.",
            f"{param}[price_data][recurring]",
        )
    if mode == "subscription" and price["recurring"] is None:
        raise invalid(
            "You must provide at least one recurring price in `subscription` mode when using "
            "prices.",
            f"{param}[price_data][recurring]",
        )
    return price, item["quantity"]


def expire_session(store: Store, session: JSON, at: int | None = None) -> JSON:
    """Close an open session for good (``checkout.session.expired``)."""
    if session["status"] != "open":
        raise invalid(
            'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
            f'Session has a status of "{session["status"]}".'
        )
    session.update(status="expired", url=None)
    store.emit("checkout.session.expired", session, at=at)
    return session


def expire_due(store: Store, now: int) -> None:
    """Expire every open session whose ``expires_at`` has passed."""
    for session in list(store.objects.values()):
        if (
            session["object"] == "checkout.session"
            and session["status"] == "open"
            and session["expires_at"] <= now
        ):
            expire_session(store, session, at=session["expires_at"])


def complete_session(store: Store, session: JSON, form: CardForm) -> str | None:
    """Pay ``session`` with the card on the form; the decline message if the card is refused."""
    if session["status"] != "open":
        raise invalid("This Checkout Session is no longer active.")
    card = register_card(store, form)
    if session["mode"] == "subscription":
        return _complete_subscription(store, session, card)
    return _complete_payment(store, session, card)


def _find_or_create_customer(store: Store, session: JSON, card: Card, always: bool) -> JSON | None:
    if session["customer"]:
        return store.objects[session["customer"]]
    if not always:
        return None
    customer = objects.customer(
        store.new_id("cus"), store.clock.now(), email=card.email, name=card.name
    )
    store.add(customer)
    store.emit("customer.created", customer)
    return customer


def _finish(store: Store, session: JSON, card: Card, customer: JSON | None, **links: Any) -> None:
    session.update(
        status="complete",
        payment_status="paid",
        customer=customer["id"] if customer else None,
        customer_details=objects.customer_details(card.email, card.name),
        collected_information={
            "business_name": None,
            "individual_name": None,
            "shipping_details": None,
        },
        url=None,
        **links,
    )
    store.emit("checkout.session.completed", session)


def _complete_payment(store: Store, session: JSON, card: Card) -> str | None:
    options = store.session_options[session["id"]]["payment_intent_data"]
    now = store.clock.now()
    intent = store.get(session["payment_intent"] or "", "payment_intent")
    customer = None
    if decline_for(card, first=True) is None:  # a customer is made only for a payment that works
        always = session["customer_creation"] == "always"
        customer = _find_or_create_customer(store, session, card, always=always)
    if intent is None:
        intent = create_intent(
            store,
            amount=session["amount_total"],
            currency=session["currency"],
            customer=customer["id"] if customer else None,
            description=options.get("description"),
            metadata=options.get("metadata", {}),
            receipt_email=options.get("receipt_email"),
            at=now,
        )
        session["payment_intent"] = intent["id"]
    elif customer is not None:
        intent["customer"] = customer["id"]
    charge = attempt(store, intent, card, first=True, at=now)
    if not charge["paid"]:
        return str(charge["failure_message"])
    _finish(store, session, card, customer, payment_intent=intent["id"])
    if _disputes(card):
        open_dispute(store, charge)
    return None


def _disputes(card: Card) -> bool:
    return TEST_CARDS[card.number].disputes


def _complete_subscription(store: Store, session: JSON, card: Card) -> str | None:
    decline = decline_for(card, first=True)
    if decline is not None:
        return decline[1]  # Checkout creates nothing until the first payment goes through
    options = store.session_options[session["id"]]["subscription_data"]
    customer = _find_or_create_customer(store, session, card, always=True)
    assert customer is not None
    customer["invoice_settings"]["default_payment_method"] = card.payment_method
    customer["currency"] = session["currency"]
    items = [(item["price"], item["quantity"]) for item in store.session_items[session["id"]]]
    subscription, invoice = start_subscription(
        store,
        customer=customer,
        card=card,
        items=items,
        description=options.get("description"),
        metadata=options.get("metadata", {}),
        at=store.clock.now(),
    )
    _finish(store, session, card, customer, subscription=subscription["id"], invoice=invoice["id"])
    if _disputes(card):
        charge = store.objects[store.objects[invoice_intent(store, invoice)]["latest_charge"]]
        open_dispute(store, charge)
    return None


def invoice_intent(store: Store, invoice: JSON) -> str:
    """The payment intent that paid ``invoice`` (through its latest invoice payment)."""
    payment = store.objects[store.invoice_payments[invoice["id"]][-1]]
    return str(payment["payment"]["payment_intent"])
