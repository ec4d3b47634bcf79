"""Monthly gifts after Checkout: renewals as the clock moves, failures, changes, cancelling."""

from __future__ import annotations

from typing import Any

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from campaigns.sandbox.clock import add_interval
from tests.sandbox.conftest import Receiver, monthly_params
from tests.sandbox_client import pay

DAY = 86_400


def _subscribe(
    stripe_client: stripe.StripeClient, web: Client, card: str = "4242424242424242"
) -> stripe.Subscription:
    session = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    pay(web, session.url or "", card)
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    return stripe_client.v1.subscriptions.retrieve(str(done.subscription))


def _period(subscription: stripe.Subscription) -> tuple[int, int]:
    item = subscription["items"].data[0]
    return item.current_period_start, item.current_period_end


def test_months_are_added_the_way_stripe_anchors_them() -> None:
    jan_31 = 1_801_699_200  # 2027-01-31 00:00 UTC
    assert add_interval(jan_31, "month", 1) == jan_31 + 28 * DAY  # 2027-02-28
    assert add_interval(jan_31, "month", 2) == jan_31 + 59 * DAY  # 2027-03-31
    assert add_interval(jan_31, "year", 1) == jan_31 + 365 * DAY
    assert add_interval(jan_31, "week", 2) == jan_31 + 14 * DAY


def test_a_renewal_bills_the_next_month(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web)
    start, end = _period(subscription)
    bare_sandbox.flush_webhooks()
    receiver.verified.clear()
    moved = web.post("/_sandbox/clock/advance", json={"seconds": end - bare_sandbox.clock.now()})
    assert moved.get_json()["renewals"] == 1
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "payment_intent.succeeded",
        "charge.succeeded",
        "invoice_payment.paid",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]
    renewed = stripe_client.v1.subscriptions.retrieve(subscription.id)
    assert _period(renewed) == (end, add_interval(end, "month", 1))
    invoice = stripe_client.v1.invoices.retrieve(str(renewed.latest_invoice))
    assert (invoice.billing_reason, invoice.status, invoice.amount_paid) == (
        "subscription_cycle",
        "paid",
        1000,
    )
    assert (invoice.period_start, invoice.period_end) == (start, end)
    assert invoice.lines.data[0].period.start == end
    updated = receiver.of_type("customer.subscription.updated")[0]
    previous: Any = updated.data.previous_attributes
    assert previous["items"]["data"][0]["current_period_end"] == end
    assert previous["latest_invoice"] == subscription.latest_invoice


def test_several_months_renew_several_times(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web)
    moved = web.post("/_sandbox/clock/advance", json={"days": 95})
    assert moved.get_json()["renewals"] == 3
    bare_sandbox.flush_webhooks()
    cycles = [
        event.data.object["billing_reason"]
        for event in receiver.of_type("invoice.paid")
        if event.data.object["parent"]["subscription_details"]["subscription"] == subscription.id
    ]
    assert cycles == ["subscription_create"] + ["subscription_cycle"] * 3
    paid_at = [event.created for event in receiver.of_type("invoice.paid")]
    assert paid_at == sorted(paid_at)


def test_card_0341_pays_once_then_fails_every_renewal(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web, "4000000000000341")
    assert subscription.status == "active"
    bare_sandbox.flush_webhooks()
    receiver.verified.clear()
    web.post("/_sandbox/clock/advance", json={"days": 32})
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
        "invoice.payment_failed",
        "customer.subscription.updated",
    ]
    failed = receiver.of_type("invoice.payment_failed")[0].data.object
    assert (failed["status"], failed["attempt_count"], failed["amount_paid"]) == ("open", 1, 0)
    assert failed["billing_reason"] == "subscription_cycle"
    updated = receiver.of_type("customer.subscription.updated")[0]
    assert updated.data.object["status"] == "past_due"
    assert updated.data.previous_attributes is not None
    assert updated.data.previous_attributes["status"] == "active"
    assert stripe_client.v1.subscriptions.retrieve(subscription.id).status == "past_due"
    web.post("/_sandbox/clock/advance", json={"days": 31})
    assert stripe_client.v1.subscriptions.retrieve(subscription.id).status == "past_due"


def test_invoices_link_to_payments_only_when_expanded(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    subscription = _subscribe(stripe_client, web)
    plain = stripe_client.v1.invoices.retrieve(str(subscription.latest_invoice))
    assert "payments" not in plain
    invoice = stripe_client.v1.invoices.retrieve(
        str(subscription.latest_invoice), params={"expand": ["payments"]}
    )
    assert invoice.payments is not None
    (payment,) = invoice.payments.data
    assert (payment.object, payment.status, payment.is_default) == ("invoice_payment", "paid", True)
    assert payment.payment.type == "payment_intent"
    intent = stripe_client.v1.payment_intents.retrieve(str(payment.payment.payment_intent))
    assert (intent.status, intent.amount, intent.customer) == (
        "succeeded",
        1000,
        subscription.customer,
    )
    deeper = stripe_client.v1.invoices.retrieve(
        str(subscription.latest_invoice),
        params={"expand": ["payments.data.payment.payment_intent.latest_charge"]},
    )
    assert deeper.payments is not None
    expanded: Any = deeper.payments.data[0].payment.payment_intent
    assert expanded.latest_charge.paid is True


def test_cancel_at_period_end_then_the_period_ends(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web)
    _, end = _period(subscription)
    bare_sandbox.flush_webhooks()
    receiver.verified.clear()
    updated = stripe_client.v1.subscriptions.update(
        subscription.id, params={"cancel_at_period_end": True}
    )
    assert (updated.cancel_at_period_end, updated.cancel_at, updated.status) == (
        True,
        end,
        "active",
    )
    web.post("/_sandbox/clock/advance", json={"days": 40})
    bare_sandbox.flush_webhooks()
    assert receiver.types == ["customer.subscription.updated", "customer.subscription.deleted"]
    previous: Any = receiver.verified[0].data.previous_attributes
    assert previous["cancel_at_period_end"] is False
    ended = stripe_client.v1.subscriptions.retrieve(subscription.id)
    assert (ended.status, ended.ended_at) == ("canceled", end)


def test_cancelling_now(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web)
    canceled = stripe_client.v1.subscriptions.cancel(
        subscription.id, params={"cancellation_details": {"comment": "moving away"}}
    )
    assert canceled.status == "canceled"
    assert canceled.cancellation_details is not None
    assert canceled.cancellation_details.comment == "moving away"
    bare_sandbox.flush_webhooks()
    assert receiver.types[-1] == "customer.subscription.deleted"
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.subscriptions.cancel(subscription.id)
    assert web.post("/_sandbox/clock/advance", json={"days": 40}).get_json()["renewals"] == 0


def _new_amount(
    stripe_client: stripe.StripeClient, subscription: stripe.Subscription, amount: int, **extra: Any
) -> stripe.Subscription:
    item = subscription["items"].data[0]
    return stripe_client.v1.subscriptions.update(
        subscription.id,
        params={  # type: ignore[arg-type]
            "items": [
                {
                    "id": item.id,
                    "price_data": {
                        "currency": "usd",
                        "product": str(item.price.product),
                        "unit_amount": amount,
                        "recurring": {"interval": "month"},
                    },
                }
            ],
            **extra,
        },
    )


def test_a_new_monthly_amount_without_proration_bills_from_next_month(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    subscription = _subscribe(stripe_client, web)
    changed = _new_amount(stripe_client, subscription, 2500, proration_behavior="none")
    assert changed["items"].data[0].price.unit_amount == 2500
    assert changed["items"].data[0].plan.amount == 2500
    web.post("/_sandbox/clock/advance", json={"days": 32})
    renewed = stripe_client.v1.subscriptions.retrieve(subscription.id)
    invoice = stripe_client.v1.invoices.retrieve(str(renewed.latest_invoice))
    assert invoice.amount_paid == 2500
    assert len(invoice.lines.data) == 1


def test_a_new_monthly_amount_with_prorations_adds_lines_to_the_next_invoice(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    subscription = _subscribe(stripe_client, web)
    start, end = _period(subscription)
    bare_sandbox.clock.advance((end - start) // 2)
    _new_amount(stripe_client, subscription, 2000)
    web.post("/_sandbox/clock/advance", json={"days": 20})
    renewed = stripe_client.v1.subscriptions.retrieve(subscription.id)
    invoice = stripe_client.v1.invoices.retrieve(str(renewed.latest_invoice))
    amounts = sorted(line.amount for line in invoice.lines.data)
    assert len(amounts) == 3
    assert amounts[0] < 0 < amounts[1] < amounts[2] == 2000
    assert -amounts[0] == pytest.approx(500, abs=20) and amounts[1] == pytest.approx(1000, abs=40)
    assert invoice.amount_paid == sum(amounts)


def test_metadata_updates_merge_and_unset(stripe_client: stripe.StripeClient, web: Client) -> None:
    subscription = _subscribe(stripe_client, web)
    updated = stripe_client.v1.subscriptions.update(
        subscription.id, params={"metadata": {"note": "thanks", "recurring_id": ""}}
    )
    assert updated.metadata.to_dict() == {"note": "thanks"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {
                "items": [
                    {
                        "price_data": {
                            "currency": "usd",
                            "product": "prod_x",
                            "unit_amount": 5,
                            "recurring": {"interval": "month"},
                        }
                    }
                ]
            },
            "items\\[0\\]\\[id\\]",
        ),
        ({"proration_behavior": "always_invoice"}, "always_invoice"),
    ],
)
def test_unsupported_changes_are_refused_clearly(
    stripe_client: stripe.StripeClient, web: Client, params: dict[str, Any], message: str
) -> None:
    subscription = _subscribe(stripe_client, web)
    with pytest.raises(stripe.InvalidRequestError, match=message):
        stripe_client.v1.subscriptions.update(subscription.id, params=params)  # type: ignore[arg-type]


def test_renewals_keep_the_anchor_day(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    subscription = _subscribe(stripe_client, web)
    web.post("/_sandbox/clock/advance", json={"days": 100})
    renewed = stripe_client.v1.subscriptions.retrieve(subscription.id)
    anchor = subscription.billing_cycle_anchor
    assert _period(renewed) == (
        add_interval(anchor, "month", 3),
        add_interval(anchor, "month", 4),
    )


def test_a_credit_larger_than_the_next_charge_leaves_nothing_to_pay(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    subscription = _subscribe(stripe_client, web)
    start, end = _period(subscription)
    bare_sandbox.clock.advance((end - start) // 4)
    _new_amount(stripe_client, subscription, 100)
    web.post("/_sandbox/clock/advance", json={"days": 32})
    renewed = stripe_client.v1.subscriptions.retrieve(subscription.id)
    invoice = stripe_client.v1.invoices.retrieve(
        str(renewed.latest_invoice), params={"expand": ["payments"]}
    )
    assert (invoice.status, invoice.amount_due, invoice.amount_paid) == ("paid", 0, 0)
    assert invoice.total < 0
    assert invoice.ending_balance == invoice.total
    assert invoice.payments is not None and invoice.payments.data == []
    assert renewed.status == "active"
