"""Receipts for paid gifts and notices of refunds, queued in the ledger's own transaction.

A receipt is rendered when the gift is paid and stored as sent: it records what was true
then, as a tax document should, and a later change of template or of the gift doesn't
rewrite it. Staff resending one send the stored receipt again.
"""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from ..errors import ValidationError
from ..models import Donation, EmailKind, Frequency, PaymentMethod, Staff
from ..staff_accounts.audit import record
from .compose import Composed, compose, money
from .outbox import enqueue, find_by_key, is_queued

ACKNOWLEDGEMENT = "No goods or services were provided in exchange for this contribution."


def receipt_key(donation_id: int) -> str:
    return f"receipt:donation:{donation_id}"


def payment_reference(donation: Donation) -> str:
    """How the payment can be found again: Stripe's id, or the check or transfer reference."""
    if donation.method is not PaymentMethod.CARD:
        method = donation.method.value.replace("_", " ")
        return f"{method} {donation.reference}".strip()
    return (
        donation.stripe_payment_intent_id
        or donation.stripe_invoice_id
        or donation.stripe_checkout_session_id
        or f"gift {donation.id}"
    )


def receipt_context(donation: Donation) -> dict[str, Any]:
    assert donation.paid_at is not None
    return {
        "name": donation.name,
        "email": donation.email,
        "receipt_number": donation.id,
        "amount": money(donation.total_amount, donation.currency),
        "fee": money(donation.fee_amount, donation.currency) if donation.fee_amount else "",
        "currency": donation.currency.upper(),
        "paid_at": donation.paid_at,
        "zone": donation.campaign.timezone,
        "campaign": donation.campaign.title,
        "reference": payment_reference(donation),
        "monthly": donation.frequency is Frequency.MONTHLY,
        "acknowledgement": ACKNOWLEDGEMENT,
    }


def queue_receipt(donation: Donation) -> None:
    """The receipt of a paid gift, queued once however often its payment is reported."""
    if not donation.has_receipt:
        return
    key = receipt_key(donation.id)
    if is_queued(key):  # the usual repeat; the unique key still settles a race
        return
    enqueue(
        EmailKind.RECEIPT,
        key,
        compose("receipt", **receipt_context(donation)),
        to_address=donation.email,
        to_name=donation.name,
        donor_id=donation.donor_id,
        donation_id=donation.id,
    )


def queue_refund_notice(donation: Donation, refunded_before: int) -> None:
    """Tell the donor money went back, once per cumulative refunded amount Stripe reports."""
    refunded = donation.amount_refunded
    if refunded <= refunded_before or not donation.email or donation.paid_at is None:
        return
    key = f"refund:donation:{donation.id}:{refunded}"
    if is_queued(key):
        return
    currency = donation.currency
    composed = compose(
        "refund",
        **receipt_context(donation),
        refund=money(refunded - refunded_before, currency),
        refunded_total=money(refunded, currency),
        remaining=money(max(donation.total_amount - refunded, 0), currency),
        full=refunded >= donation.total_amount,
    )
    enqueue(
        EmailKind.REFUND,
        key,
        composed,
        to_address=donation.email,
        to_name=donation.name,
        donor_id=donation.donor_id,
        donation_id=donation.id,
    )


def receipt_html(donation: Donation) -> str:
    """The receipt as the donor got it, or as it would be now if none went out."""
    stored = find_by_key(receipt_key(donation.id))
    if stored is not None:
        return stored.html_body
    return compose("receipt", **receipt_context(donation)).html


def resend_receipt(donation: Donation, actor: Staff) -> None:
    """Queue the gift's receipt again, word for word (the first one, if it never went out)."""
    if not donation.has_receipt:
        raise ValidationError({"donation": "only a paid gift with an email address has a receipt"})
    original = find_by_key(receipt_key(donation.id))
    if original is None:
        queue_receipt(donation)
    else:
        enqueue(
            EmailKind.RECEIPT,
            f"{receipt_key(donation.id)}:resend:{uuid4().hex}",
            Composed(original.subject, original.text_body, original.html_body),
            to_address=donation.email,
            to_name=donation.name,
            donor_id=donation.donor_id,
            donation_id=donation.id,
        )
    record("receipt.resent", f"donation:{donation.id}", {"to": donation.email}, actor)
