"""Money movements: charging a test card through a payment intent, refunds and disputes."""

from __future__ import annotations

from typing import Any

from . import payment_objects
from .cards import DECLINED, TEST_CARDS, CardForm
from .errors import StripeError, invalid
from .store import Card, Store

JSON = dict[str, Any]
OPEN_DISPUTE = ("needs_response", "under_review", "warning_needs_response", "warning_under_review")


def register_card(store: Store, form: CardForm) -> Card:
    """Keep the typed card behind a new ``pm_…`` id."""
    card = Card(
        payment_method=store.new_id("pm"),
        number=form.number,
        exp_month=form.exp_month,
        exp_year=form.exp_year,
        name=form.name,
        email=form.email,
    )
    store.cards[card.payment_method] = card
    return card


def decline_for(card: Card, *, first: bool) -> tuple[str, str] | None:
    """The decline code and message charging ``card`` meets, if any."""
    behaviour = TEST_CARDS[card.number]
    if behaviour.decline_code and behaviour.message:
        return behaviour.decline_code, behaviour.message
    if behaviour.fails_later and not first:
        return "generic_decline", DECLINED
    return None


def create_intent(
    store: Store,
    *,
    amount: int,
    currency: str,
    customer: str | None,
    description: str | None,
    metadata: dict[str, str],
    at: int,
    receipt_email: str | None = None,
) -> JSON:
    intent = payment_objects.payment_intent(
        store.new_id("pi"),
        at,
        amount=amount,
        currency=currency,
        customer=customer,
        description=description,
        metadata=metadata,
        receipt_email=receipt_email,
    )
    store.add(intent)
    store.emit("payment_intent.created", intent, at=at)
    return intent


def attempt(store: Store, intent: JSON, card: Card, *, first: bool, at: int) -> JSON:
    """Charge ``card`` for ``intent``; the charge comes back paid or failed, with its events."""
    decline = decline_for(card, first=first)
    charge_id = store.new_id("ch")
    code, message = decline if decline else (None, None)
    charge = payment_objects.charge(
        charge_id, at, intent=intent, card=card, decline_code=code, message=message
    )
    store.add(charge)
    intent["latest_charge"] = charge_id
    intent["payment_method"] = card.payment_method
    if decline is None:
        intent.update(status="succeeded", amount_received=intent["amount"], last_payment_error=None)
        store.emit("payment_intent.succeeded", intent, at=at)
        store.emit("charge.succeeded", charge, at=at)
    else:
        intent["status"] = "requires_payment_method"
        intent["last_payment_error"] = payment_objects.payment_error(
            decline[0], decline[1], charge_id, card
        )
        store.emit("charge.failed", charge, at=at)
        store.emit("payment_intent.payment_failed", intent, at=at)
    return charge


def charge_to_refund(store: Store, charge_id: str | None, intent_id: str | None) -> JSON:
    """The charge a refund request points at, directly or through its payment intent."""
    if charge_id and intent_id:
        raise invalid("You can only specify one of `charge` or `payment_intent`.", "charge")
    if intent_id:
        intent = store.require(intent_id, "payment_intent", "payment_intent", "payment_intent")
        if intent["status"] != "succeeded" or not intent["latest_charge"]:
            raise invalid(
                f"PaymentIntent {intent_id} does not have a successful charge to refund.",
                "payment_intent",
            )
        charge_id = intent["latest_charge"]
    if not charge_id:
        raise StripeError(
            "One of the following params should be provided for this request: "
            "payment_intent or charge.",
            code="parameter_missing",
            param="charge",
        )
    return store.require(charge_id, "charge", "charge", "charge")


def refund(
    store: Store,
    charge: JSON,
    *,
    amount: int | None,
    reason: str | None = None,
    metadata: dict[str, str] | None = None,
) -> JSON:
    """Refund part or all of what is left on ``charge``; amounts add up on the charge."""
    if not charge["paid"]:
        raise invalid(f"Charge {charge['id']} has not been paid, so it cannot be refunded.")
    dispute = _open_dispute(store, charge["id"])
    if dispute is not None:
        raise invalid(
            f"Charge {charge['id']} has been charged back; cannot issue a refund.",
            code="charge_disputed",
        )
    left = charge["amount"] - charge["amount_refunded"]
    if left <= 0:
        raise invalid(
            f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded"
        )
    amount = left if amount is None else amount
    if amount > left:
        raise invalid(
            f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
            "amount",
            code="amount_too_large",
        )
    now = store.clock.now()
    created = payment_objects.refund(
        store.new_id("re"),
        now,
        charge_json=charge,
        amount=amount,
        reason=reason,
        metadata=metadata or {},
    )
    store.add(created)
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    store.emit("charge.refunded", charge, previous)
    store.emit("refund.created", created)
    return created


def _open_dispute(store: Store, charge_id: str) -> JSON | None:
    for obj in store.objects.values():
        if (
            obj["object"] == "dispute"
            and obj["charge"] == charge_id
            and obj["status"] in OPEN_DISPUTE
        ):
            return obj
    return None


def open_dispute(store: Store, charge: JSON, reason: str = "fraudulent") -> JSON:
    """The cardholder's bank disputes ``charge``."""
    if not charge["paid"]:
        raise invalid(f"Charge {charge['id']} was not paid, so it cannot be disputed.", "charge")
    if _open_dispute(store, charge["id"]) is not None:
        raise invalid(f"Charge {charge['id']} already has an open dispute.", "charge")
    created = payment_objects.dispute(
        store.new_id("dp"), store.clock.now(), charge_json=charge, reason=reason
    )
    store.add(created)
    charge["disputed"] = True
    store.emit("charge.dispute.created", created)
    return created


def close_dispute(store: Store, dispute: JSON, status: str) -> JSON:
    """The bank decides: the dispute is ``won`` or ``lost``."""
    if status not in ("won", "lost"):
        raise invalid("status must be won or lost", "status")
    if dispute["status"] not in OPEN_DISPUTE:
        raise invalid(f"Dispute {dispute['id']} is already closed ({dispute['status']}).")
    previous = {"status": dispute["status"]}
    dispute["status"] = status
    dispute["evidence_details"]["due_by"] = None
    store.emit("charge.dispute.closed", dispute, previous)
    return dispute
