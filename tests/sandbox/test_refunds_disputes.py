"""Refunds add up on the charge; disputes open and close."""

from __future__ import annotations

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from tests.sandbox.conftest import Receiver, donation_params
from tests.sandbox_client import pay


def _paid_charge(
    stripe_client: stripe.StripeClient, web: Client, card: str = "4242424242424242"
) -> stripe.Charge:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params(amount=3000))  # type: ignore[arg-type]
    pay(web, session.url or "", card)
    intent = stripe_client.v1.payment_intents.retrieve(
        str(stripe_client.v1.checkout.sessions.retrieve(session.id).payment_intent)
    )
    return stripe_client.v1.charges.retrieve(str(intent.latest_charge))


def test_partial_then_full_refunds_add_up(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    charge = _paid_charge(stripe_client, web)
    bare_sandbox.flush_webhooks()
    receiver.verified.clear()
    first = stripe_client.v1.refunds.create(params={"charge": charge.id, "amount": 1000})
    assert (first.object, first.amount, first.status, first.charge) == (
        "refund",
        1000,
        "succeeded",
        charge.id,
    )
    assert first.payment_intent == charge.payment_intent
    partly = stripe_client.v1.charges.retrieve(charge.id)
    assert (partly.amount_refunded, partly.refunded) == (1000, False)
    rest = stripe_client.v1.refunds.create(
        params={"payment_intent": str(charge.payment_intent), "reason": "requested_by_customer"}
    )
    assert rest.amount == 2000
    full = stripe_client.v1.charges.retrieve(charge.id)
    assert (full.amount_refunded, full.refunded) == (3000, True)
    assert stripe_client.v1.refunds.retrieve(rest.id).reason == "requested_by_customer"
    bare_sandbox.flush_webhooks()
    assert receiver.types == ["charge.refunded", "refund.created"] * 2
    refunded = [event.data.object for event in receiver.of_type("charge.refunded")]
    assert [(c["amount_refunded"], c["refunded"]) for c in refunded] == [
        (1000, False),
        (3000, True),
    ]
    previous = receiver.of_type("charge.refunded")[1].data.previous_attributes
    assert previous is not None and previous["amount_refunded"] == 1000
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"charge": charge.id})
    assert caught.value.code == "charge_already_refunded"


def test_refunding_more_than_is_left_is_refused(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    charge = _paid_charge(stripe_client, web)
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"charge": charge.id, "amount": 3001})
    assert (caught.value.code, caught.value.param) == ("amount_too_large", "amount")
    with pytest.raises(stripe.InvalidRequestError) as missing:
        stripe_client.v1.refunds.create(params={})
    assert missing.value.code == "parameter_missing"


def test_the_control_endpoint_refunds_like_the_api(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    charge = _paid_charge(stripe_client, web)
    refund = web.post(
        "/_sandbox/refund", json={"payment_intent": charge.payment_intent, "amount": 500}
    )
    assert refund.get_json()["amount"] == 500
    assert stripe_client.v1.charges.retrieve(charge.id).amount_refunded == 500
    assert web.post("/_sandbox/refund", json={"charge": "ch_nope"}).status_code == 404


@pytest.mark.parametrize("outcome", ["won", "lost"])
def test_a_dispute_opens_and_closes(
    stripe_client: stripe.StripeClient,
    web: Client,
    bare_sandbox: Sandbox,
    receiver: Receiver,
    outcome: str,
) -> None:
    charge = _paid_charge(stripe_client, web)
    opened = web.post("/_sandbox/dispute", json={"charge": charge.id}).get_json()
    assert (opened["object"], opened["status"], opened["reason"]) == (
        "dispute",
        "needs_response",
        "fraudulent",
    )
    assert opened["payment_intent"] == charge.payment_intent
    with pytest.raises(stripe.InvalidRequestError) as blocked:
        stripe_client.v1.refunds.create(params={"charge": charge.id})
    assert blocked.value.code == "charge_disputed"
    closed = web.post(f"/_sandbox/disputes/{opened['id']}/close", json={"status": outcome})
    assert closed.get_json()["status"] == outcome
    assert (
        web.post(f"/_sandbox/disputes/{opened['id']}/close", json={"status": outcome}).status_code
        == 400
    )
    bare_sandbox.flush_webhooks()
    assert receiver.types[-2:] == ["charge.dispute.created", "charge.dispute.closed"]
    assert receiver.of_type("charge.dispute.closed")[0].data.object["status"] == outcome
    assert stripe_client.v1.disputes.retrieve(opened["id"]).status == outcome


def test_disputes_need_a_paid_charge(web: Client) -> None:
    assert web.post("/_sandbox/dispute", json={"charge": "ch_nope"}).status_code == 404
    assert web.post("/_sandbox/disputes/dp_nope/close", json={"status": "won"}).status_code == 404
