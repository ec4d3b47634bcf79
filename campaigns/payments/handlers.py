"""One function per Stripe event type, turning Stripe's objects into ledger calls.

Each handler is idempotent by state: it describes what Stripe says is true now, and the
ledger moves only what differs, so any order or number of deliveries ends the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..fundraising.adjustments import DisputeState, RefundState, record_dispute, record_refund
from ..fundraising.gifts import (
    Collected,
    lock_donation,
    mark_paid,
    mark_unsettled,
    set_payment_intent,
)
from ..fundraising.recurring import (
    InvoiceOutcome,
    SubscriptionState,
    apply_subscription_state,
    ensure_recurring_gift,
    knows_subscription,
    record_invoice_failed,
    record_invoice_paid,
)
from ..models import DisputeStatus, DonationStatus, RecurringStatus
from .events import MalformedEvent, expandable_id
from .stripe_api import payment_intent_from_invoice

StripeObject = Mapping[str, Any]
# A handler applies one event's object; it returns why it changed nothing, if it didn't.
Handler = Callable[[StripeObject, int], str | None]

_LARGEST_AMOUNT = 10**12  # minor units: ten billion dollars is no donation
_LARGEST_ID = 2**31 - 1
_CURRENCY = re.compile(r"[a-z]{3}")


def _id(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the whole object."""
    return expandable_id(value)


def _own_id(obj: StripeObject) -> str:
    found = expandable_id(obj.get("id"))
    if found is None:
        raise MalformedEvent("the object has no usable id")
    return found


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _donation_id(metadata: Any) -> int | None:
    raw = _mapping(metadata).get("donation_id")
    text = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not (text.isascii() and text.isdigit()) or int(text) > _LARGEST_ID:
        return None
    return int(text)


def _amount(value: Any, field: str) -> int | None:
    """Minor units as Stripe sends them, or None when absent; anything absurd is malformed."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _LARGEST_AMOUNT:
        raise MalformedEvent(f"{field} is not an amount: {str(value)[:40]!r}")
    return value


def _count(value: Any, field: str) -> int:
    found = _amount(value, field)
    return found or 1


def _collected(obj: StripeObject, field: str) -> Collected | None:
    """What Stripe says it took (``amount_total``, ``amount_paid``) and in which currency."""
    amount = _amount(obj.get(field), field)
    if amount is None:
        return None
    currency = obj.get("currency")
    if not isinstance(currency, str) or not _CURRENCY.fullmatch(currency.lower()):
        raise MalformedEvent(f"{field} has no usable currency")
    return Collected(amount=amount, currency=currency.lower())


def _time(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedEvent(f"{str(value)[:40]!r} is not a time") from None


# --- Checkout ---------------------------------------------------------------------------


def checkout_completed(session: StripeObject, created: int) -> str | None:
    session_id = _own_id(session)
    donation = lock_donation(
        _donation_id(session.get("metadata")), stripe_checkout_session_id=session_id
    )
    if donation is None:
        return f"no gift of ours for checkout session {session_id}"
    donation.stripe_checkout_session_id = donation.stripe_checkout_session_id or session_id
    monthly = session.get("mode") == "subscription"
    if monthly:
        if invoice := _id(session.get("invoice")):
            donation.stripe_invoice_id = donation.stripe_invoice_id or invoice
    else:
        set_payment_intent(donation, _id(session.get("payment_intent")))
    if session.get("payment_status") in ("paid", "no_payment_required"):
        mark_paid(
            donation,
            paid_at=_time(created),
            customer_id=_id(session.get("customer")),
            collected=_collected(session, "amount_total"),
        )
    else:
        mark_unsettled(donation, DonationStatus.PROCESSING)
    if monthly and (subscription := _id(session.get("subscription"))):
        ensure_recurring_gift(subscription, donation)
    return None


def checkout_async_succeeded(session: StripeObject, created: int) -> str | None:
    return checkout_completed({**session, "payment_status": "paid"}, created)


def _settle_checkout(session: StripeObject, status: DonationStatus) -> str | None:
    session_id = _own_id(session)
    donation = lock_donation(
        _donation_id(session.get("metadata")), stripe_checkout_session_id=session_id
    )
    if donation is None:
        return f"no gift of ours for checkout session {session_id}"
    donation.stripe_checkout_session_id = donation.stripe_checkout_session_id or session_id
    mark_unsettled(donation, status)
    return None


def checkout_async_failed(session: StripeObject, created: int) -> str | None:
    return _settle_checkout(session, DonationStatus.FAILED)


def checkout_expired(session: StripeObject, created: int) -> str | None:
    return _settle_checkout(session, DonationStatus.EXPIRED)


# --- Invoices and subscriptions -----------------------------------------------------------


def _subscription_details(invoice: StripeObject) -> Mapping[str, Any]:
    return _mapping(_mapping(invoice.get("parent")).get("subscription_details"))


def _not_ours(subscription_id: str) -> str:
    return f"subscription {subscription_id} is not one of our monthly gifts"


def _invoice_outcome(invoice: StripeObject, *, paid: bool) -> InvoiceOutcome | None:
    details = _subscription_details(invoice)
    subscription = _id(details.get("subscription"))
    if subscription is None:
        return None  # not a monthly gift's invoice
    amount_paid = _amount(invoice.get("amount_paid"), "amount_paid")
    amount_due = _amount(invoice.get("amount_due"), "amount_due")
    return InvoiceOutcome(
        invoice_id=_own_id(invoice),
        subscription_id=subscription,
        donation_id=_donation_id(details.get("metadata")),
        first_payment=invoice.get("billing_reason") == "subscription_create",
        amount=amount_paid or amount_due or 0,
        payment_intent_id=_id(payment_intent_from_invoice(invoice)),
        customer_id=_id(invoice.get("customer")),
        paid_at=_time(_mapping(invoice.get("status_transitions")).get("paid_at")),
        collected=_collected(invoice, "amount_paid") if paid else None,
    )


def invoice_paid(invoice: StripeObject, created: int) -> str | None:
    outcome = _invoice_outcome(invoice, paid=True)
    if outcome is None:
        return "not a subscription's invoice"
    if record_invoice_paid(outcome) is None:
        return _not_ours(outcome.subscription_id)
    return None


def invoice_payment_failed(invoice: StripeObject, created: int) -> str | None:
    outcome = _invoice_outcome(invoice, paid=False)
    if outcome is None:
        return "not a subscription's invoice"
    if record_invoice_failed(outcome) is None:
        return _not_ours(outcome.subscription_id)
    return None


def _subscription_status(value: Any) -> str:
    try:
        RecurringStatus.from_stripe(str(value))
    except ValueError:
        raise MalformedEvent(f"{str(value)[:40]!r} is not a subscription status") from None
    return str(value)


def subscription_changed(subscription: StripeObject, created: int) -> str | None:
    subscription_id = _own_id(subscription)
    items = _mapping(subscription.get("items")).get("data")
    first = _mapping(items[0]) if isinstance(items, list) and items else {}
    price = _mapping(first.get("price"))
    amount = (_amount(price.get("unit_amount"), "unit_amount") or 0) * _count(
        first.get("quantity"), "quantity"
    )
    currency = subscription.get("currency") or price.get("currency") or ""
    state = apply_subscription_state(
        SubscriptionState(
            subscription_id=subscription_id,
            status=_subscription_status(subscription.get("status")),
            amount=_amount(amount, "amount") or 0,
            currency=str(currency)[:3],
            next_charge_at=_time(first.get("current_period_end")),
            cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
            canceled_at=_time(subscription.get("canceled_at") or subscription.get("ended_at")),
            observed_at=created,
            donation_id=_donation_id(subscription.get("metadata")),
        )
    )
    return _not_ours(subscription_id) if state is None else None


# --- Refunds and disputes ------------------------------------------------------------------


def charge_refunded(charge: StripeObject, created: int) -> str | None:
    intent = _id(charge.get("payment_intent"))
    if intent is None:
        return "the charge has no payment intent"
    record_refund(
        RefundState(
            payment_intent_id=intent,
            charge_id=_own_id(charge),
            amount_refunded=_amount(charge.get("amount_refunded"), "amount_refunded") or 0,
        )
    )
    return None


_DISPUTE_OUTCOMES = {"won": DisputeStatus.WON, "lost": DisputeStatus.LOST}


def dispute_changed(dispute: StripeObject, created: int) -> str | None:
    intent = _id(dispute.get("payment_intent"))
    charge = _id(dispute.get("charge"))
    if intent is None or charge is None:
        return "the dispute names no payment intent or charge"
    record_dispute(
        DisputeState(
            payment_intent_id=intent,
            charge_id=charge,
            status=_DISPUTE_OUTCOMES.get(str(dispute.get("status")), DisputeStatus.OPEN),
            amount=_amount(dispute.get("amount"), "amount") or 0,
            observed_at=created,
        )
    )
    return None


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    "checkout.session.async_payment_succeeded": checkout_async_succeeded,
    "checkout.session.async_payment_failed": checkout_async_failed,
    "checkout.session.expired": checkout_expired,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
    "charge.refunded": charge_refunded,
    "charge.dispute.created": dispute_changed,
    "charge.dispute.updated": dispute_changed,
    "charge.dispute.closed": dispute_changed,
}


@dataclass(frozen=True)
class Plan:
    """What an event needs before its transaction opens: an invoice to fetch from Stripe, or
    the reason it is none of our business (then nothing is fetched)."""

    fetch_invoice: str | None = None
    ignored_reason: str | None = None


def plan(event_type: str, obj: StripeObject) -> Plan:
    """Decide, reading only our own tables, whether the event needs Stripe's help.

    Webhooks leave a paid invoice's ``payments`` out, and a renewal needs its payment intent
    (refunds and disputes find the gift by it). An invoice for a subscription that isn't ours
    (the same Stripe account may sell memberships or merchandise) is ignored without a call.
    """
    if event_type != "invoice.paid" or payment_intent_from_invoice(obj) is not None:
        return Plan()
    details = _subscription_details(obj)
    subscription = _id(details.get("subscription"))
    if subscription is None:
        return Plan()  # the handler says it isn't a monthly gift's
    metadata = _mapping(details.get("metadata"))
    slug = metadata.get("campaign")
    if not knows_subscription(
        subscription, _donation_id(metadata), slug if isinstance(slug, str) else None
    ):
        return Plan(ignored_reason=_not_ours(subscription))
    return Plan(fetch_invoice=_own_id(obj))


def with_payment_intent(invoice: StripeObject, intent: str | None) -> StripeObject:
    """The invoice with the payment intent Stripe told us paid it, as if it had been expanded."""
    if intent is None:
        return invoice
    payments = {"data": [{"status": "paid", "payment": {"payment_intent": intent}}]}
    return {**invoice, "payments": payments}
