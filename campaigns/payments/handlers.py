"""One function per Stripe event type, turning Stripe's objects into ledger calls.

Each handler is idempotent by state: it describes what Stripe says is true now, and the
ledger moves only what differs, so any order or number of deliveries ends the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..fundraising.adjustments import DisputeState, RefundState, record_dispute, record_refund
from ..fundraising.gifts import lock_donation, mark_paid, mark_unsettled, set_payment_intent
from ..fundraising.recurring import (
    InvoiceOutcome,
    SubscriptionState,
    apply_subscription_state,
    ensure_recurring_gift,
    record_invoice_failed,
    record_invoice_paid,
)
from ..models import DisputeStatus, DonationStatus
from .stripe_api import invoice_payment_intent, payment_intent_from_invoice

StripeObject = Mapping[str, Any]
Handler = Callable[[StripeObject, int], None]


def _id(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the whole object."""
    if isinstance(value, Mapping):
        return str(value["id"])
    return str(value) if value else None


def _donation_id(metadata: Mapping[str, Any] | None) -> int | None:
    raw = (metadata or {}).get("donation_id")
    return int(raw) if raw and str(raw).isdigit() else None


def _time(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value else None


# --- Checkout ---------------------------------------------------------------------------


def checkout_completed(session: StripeObject, created: int) -> None:
    donation = lock_donation(
        _donation_id(session.get("metadata")), stripe_checkout_session_id=_id(session["id"])
    )
    if donation is None:
        return  # a session some other integration opened on this account
    donation.stripe_checkout_session_id = donation.stripe_checkout_session_id or session["id"]
    monthly = session.get("mode") == "subscription"
    if monthly:
        if invoice := _id(session.get("invoice")):
            donation.stripe_invoice_id = donation.stripe_invoice_id or invoice
    else:
        set_payment_intent(donation, _id(session.get("payment_intent")))
    if session.get("payment_status") in ("paid", "no_payment_required"):
        mark_paid(donation, paid_at=_time(created), customer_id=_id(session.get("customer")))
    else:
        mark_unsettled(donation, DonationStatus.PROCESSING)
    if monthly and (subscription := _id(session.get("subscription"))):
        ensure_recurring_gift(subscription, donation)


def checkout_async_succeeded(session: StripeObject, created: int) -> None:
    checkout_completed({**session, "payment_status": "paid"}, created)


def _settle_checkout(session: StripeObject, status: DonationStatus) -> None:
    donation = lock_donation(
        _donation_id(session.get("metadata")), stripe_checkout_session_id=_id(session["id"])
    )
    if donation is not None:
        donation.stripe_checkout_session_id = donation.stripe_checkout_session_id or session["id"]
        mark_unsettled(donation, status)


def checkout_async_failed(session: StripeObject, created: int) -> None:
    _settle_checkout(session, DonationStatus.FAILED)


def checkout_expired(session: StripeObject, created: int) -> None:
    _settle_checkout(session, DonationStatus.EXPIRED)


# --- Invoices and subscriptions -----------------------------------------------------------


def _subscription_details(invoice: StripeObject) -> Mapping[str, Any]:
    parent = invoice.get("parent") or {}
    return parent.get("subscription_details") or {}


def _invoice_outcome(invoice: StripeObject) -> InvoiceOutcome | None:
    details = _subscription_details(invoice)
    subscription = _id(details.get("subscription"))
    if subscription is None:
        return None  # not a monthly gift's invoice
    return InvoiceOutcome(
        invoice_id=str(invoice["id"]),
        subscription_id=subscription,
        donation_id=_donation_id(details.get("metadata")),
        first_payment=invoice.get("billing_reason") == "subscription_create",
        amount=int(invoice.get("amount_paid") or invoice.get("amount_due") or 0),
        payment_intent_id=payment_intent_from_invoice(invoice),
        customer_id=_id(invoice.get("customer")),
        paid_at=_time((invoice.get("status_transitions") or {}).get("paid_at")),
    )


def invoice_paid(invoice: StripeObject, created: int) -> None:
    outcome = _invoice_outcome(invoice)
    if outcome is not None:
        record_invoice_paid(outcome)


def invoice_payment_failed(invoice: StripeObject, created: int) -> None:
    outcome = _invoice_outcome(invoice)
    if outcome is not None:
        record_invoice_failed(outcome)


def subscription_changed(subscription: StripeObject, created: int) -> None:
    items = (subscription.get("items") or {}).get("data") or []
    first = items[0] if items else {}
    price = first.get("price") or {}
    amount = int(price.get("unit_amount") or 0) * int(first.get("quantity") or 1)
    apply_subscription_state(
        SubscriptionState(
            subscription_id=str(subscription["id"]),
            status=str(subscription["status"]),
            amount=amount,
            currency=str(subscription.get("currency") or price.get("currency") or ""),
            next_charge_at=_time(first.get("current_period_end")),
            cancel_at_period_end=bool(subscription.get("cancel_at_period_end")),
            canceled_at=_time(subscription.get("canceled_at") or subscription.get("ended_at")),
            observed_at=created,
            donation_id=_donation_id(subscription.get("metadata")),
        )
    )


# --- Refunds and disputes ------------------------------------------------------------------


def charge_refunded(charge: StripeObject, created: int) -> None:
    intent = _id(charge.get("payment_intent"))
    if intent is None:
        return
    record_refund(
        RefundState(
            payment_intent_id=intent,
            charge_id=str(charge["id"]),
            amount_refunded=int(charge.get("amount_refunded") or 0),
        )
    )


_DISPUTE_OUTCOMES = {"won": DisputeStatus.WON, "lost": DisputeStatus.LOST}


def dispute_changed(dispute: StripeObject, created: int) -> None:
    intent = _id(dispute.get("payment_intent"))
    charge = _id(dispute.get("charge"))
    if intent is None or charge is None:
        return
    record_dispute(
        DisputeState(
            payment_intent_id=intent,
            charge_id=charge,
            status=_DISPUTE_OUTCOMES.get(str(dispute.get("status")), DisputeStatus.OPEN),
            amount=int(dispute.get("amount") or 0),
            observed_at=created,
        )
    )


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


def prepare(event_type: str, obj: StripeObject) -> StripeObject:
    """Fetch, before the transaction opens, what an event leaves out and its handler needs."""
    needs_intent = (
        event_type == "invoice.paid"
        and bool(_subscription_details(obj))
        and payment_intent_from_invoice(obj) is None
    )
    if not needs_intent:
        return obj
    intent = invoice_payment_intent(str(obj["id"]))
    if intent is None:
        return obj
    payments = {"data": [{"status": "paid", "payment": {"payment_intent": intent}}]}
    return {**obj, "payments": payments}
