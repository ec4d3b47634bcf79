"""Refunds and disputes: money that leaves after a gift was paid."""

from __future__ import annotations

from dataclasses import dataclass

from ..db import get_or_create_locked
from ..emails.receipts import queue_refund_notice
from ..models import DisputeStatus, Payment
from .gifts import lock_donation
from .totals import recount

_FINAL = {DisputeStatus.WON, DisputeStatus.LOST}


@dataclass(frozen=True)
class RefundState:
    payment_intent_id: str
    charge_id: str
    amount_refunded: int  # cumulative, as Stripe reports it on the charge


@dataclass(frozen=True)
class DisputeState:
    payment_intent_id: str
    charge_id: str
    status: DisputeStatus
    amount: int
    observed_at: int


def _payment(payment_intent_id: str, charge_id: str) -> Payment:
    payment = get_or_create_locked(
        Payment, {"stripe_payment_intent_id": payment_intent_id}, {"stripe_charge_id": charge_id}
    )
    payment.stripe_charge_id = payment.stripe_charge_id or charge_id
    return payment


def record_refund(state: RefundState) -> None:
    """Refunds only grow: the largest cumulative amount Stripe reported wins."""
    # Lock the gift before its payment, the same order every handler uses.
    donation = lock_donation(None, stripe_payment_intent_id=state.payment_intent_id)
    payment = _payment(state.payment_intent_id, state.charge_id)
    refunded_before = payment.amount_refunded
    payment.amount_refunded = max(payment.amount_refunded, state.amount_refunded)
    if donation is not None:
        recount(donation)
        queue_refund_notice(donation, refunded_before)


def record_dispute(state: DisputeState) -> None:
    """An open dispute still counts; a lost one comes off the totals, a won one doesn't."""
    donation = lock_donation(None, stripe_payment_intent_id=state.payment_intent_id)
    payment = _payment(state.payment_intent_id, state.charge_id)
    settled = payment.dispute_status in _FINAL
    if settled and state.status not in _FINAL:
        return  # an "opened" event delivered after the "closed" one
    if not settled and state.status not in _FINAL and state.observed_at < payment.dispute_event_at:
        return
    payment.dispute_status = state.status
    payment.disputed_amount = state.amount
    payment.dispute_event_at = max(payment.dispute_event_at, state.observed_at)
    if donation is not None:
        recount(donation)
