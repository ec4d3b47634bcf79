"""The hosted Checkout page and what each test card sets in motion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from tests.sandbox.conftest import CANCEL_URL, Receiver, donation_params, monthly_params
from tests.sandbox_client import pay

FIELDS = ("email", "cardNumber", "cardExpiry", "cardCvc", "billingName")


class _Form(HTMLParser):
    """Inputs (name, id) and the ids that labels point at."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.label_for: set[str] = set()
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "input" and named.get("name"):
            self.inputs[str(named["name"])] = named
        if tag == "label" and named.get("for"):
            self.label_for.add(str(named["for"]))
        if tag == "html":
            self.html_lang = named.get("lang")


def _page(web: Client, session_id: str) -> tuple[int, str, _Form]:
    response = web.get(f"/checkout/{session_id}")
    html = response.get_data(as_text=True)
    form = _Form()
    form.feed(html)
    return response.status_code, html, form


def _submit(web: Client, session_id: str, **fields: str) -> tuple[int, str]:
    data = {
        "email": "ada@example.org",
        "cardNumber": "4242 4242 4242 4242",
        "cardExpiry": "12 / 34",
        "cardCvc": "123",
        "billingName": "Ada Lovelace",
        **fields,
    }
    response = web.post(f"/checkout/{session_id}", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_the_page_looks_like_checkout_in_test_mode(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    status, html, form = _page(web, session.id)
    assert status == 200
    assert "TEST MODE" in html
    assert "Gift to Keep independent media alive" in html
    assert "$25.00" in html
    assert ">Donate</button>" in html
    assert f'href="{CANCEL_URL}"' in html
    assert form.html_lang == "en"
    for name in FIELDS:
        assert form.inputs[name]["id"] == name
        assert name in form.label_for, f"{name} has no label"
    assert form.inputs["email"]["value"] == "ada@example.org"


def test_a_subscription_page_shows_the_interval(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    _, html, _ = _page(web, session.id)
    assert "$10.00" in html
    assert "/ month" in html
    assert ">Donate</button>" in html


def test_paying_with_4242_completes_a_one_time_gift(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    location = pay(web, session.url or "", "4242 4242 4242 4242", name="Ada Lovelace")
    assert location == f"https://donate.example.org/thanks?session_id={session.id}"
    assert receiver.received == []  # queued, never sent inside the request
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "payment_intent.created",
        "payment_intent.succeeded",
        "charge.succeeded",
        "checkout.session.completed",
    ]
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    assert done.customer is None  # payment mode creates customers only when asked to
    assert done.customer_details is not None
    assert (done.customer_details.email, done.customer_details.name) == (
        "ada@example.org",
        "Ada Lovelace",
    )
    intent = stripe_client.v1.payment_intents.retrieve(str(done.payment_intent))
    assert (intent.status, intent.amount_received, intent.description) == (
        "succeeded",
        2500,
        "Gift",
    )
    assert intent.metadata.to_dict() == {"donation_id": "7"}
    charge = stripe_client.v1.charges.retrieve(str(intent.latest_charge))
    assert (charge.paid, charge.captured, charge.status, charge.amount_refunded) == (
        True,
        True,
        "succeeded",
        0,
    )
    assert charge.payment_intent == intent.id
    assert charge.billing_details.name == "Ada Lovelace"
    assert charge.payment_method_details is not None
    assert charge.payment_method_details.card is not None
    assert charge.payment_method_details.card.last4 == "4242"
    completed = receiver.of_type("checkout.session.completed")[0]
    assert completed.data.object["payment_intent"] == intent.id


def test_customer_creation_always_makes_a_customer(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(
        params=donation_params(customer_creation="always")  # type: ignore[arg-type]
    )
    pay(web, session.url or "")
    bare_sandbox.flush_webhooks()
    assert receiver.types[0] == "customer.created"
    done = stripe_client.v1.checkout.sessions.retrieve(session.id, params={"expand": ["customer"]})
    customer: stripe.Customer = done.customer  # type: ignore[assignment]
    assert (customer.email, customer.name) == ("ada@example.org", "Ada Lovelace")
    intent = stripe_client.v1.payment_intents.retrieve(str(done.payment_intent))
    assert intent.customer == customer.id


@pytest.mark.parametrize(
    ("card", "message", "decline_code"),
    [
        ("4000000000000002", "Your card was declined.", "generic_decline"),
        ("4000 0000 0000 9995", "Your card has insufficient funds.", "insufficient_funds"),
    ],
)
def test_declined_cards_leave_the_session_open(
    stripe_client: stripe.StripeClient,
    web: Client,
    bare_sandbox: Sandbox,
    receiver: Receiver,
    card: str,
    message: str,
    decline_code: str,
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    status, html = _submit(web, session.id, cardNumber=card)
    assert status == 200
    assert message in html
    assert 'role="alert"' in html
    still = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert (still.status, still.payment_status) == ("open", "unpaid")
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
    ]
    failed = receiver.of_type("payment_intent.payment_failed")[0].data.object
    assert failed["last_payment_error"]["decline_code"] == decline_code
    # A second try with a good card pays the same payment intent.
    pay(web, session.id)
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert done.payment_intent == failed["id"]
    assert done.status == "complete"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cardNumber": "4111111111111111"}, "Your card number is invalid."),
        ({"cardExpiry": "01 / 20"}, "Your card&#39;s expiration date is in the past."),
        ({"cardExpiry": "13 / 40"}, "Your card&#39;s expiration date is incomplete."),
        ({"cardCvc": "12"}, "Your card&#39;s security code is incomplete."),
        ({"email": "not-an-address"}, "Your email address is incomplete."),
        ({"billingName": "  "}, "Enter the name on your card."),
    ],
)
def test_fields_are_checked_before_anything_is_charged(
    stripe_client: stripe.StripeClient,
    web: Client,
    bare_sandbox: Sandbox,
    fields: dict[str, str],
    message: str,
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    status, html = _submit(web, session.id, **fields)
    assert status == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    assert bare_sandbox.store.events == []


def test_the_expiry_is_judged_by_the_sandbox_clock(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    soon = datetime.fromtimestamp(bare_sandbox.clock.now(), UTC) + timedelta(days=62)
    bare_sandbox.clock.advance(400 * 86400)
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    status, html = _submit(web, session.id, cardExpiry=soon.strftime("%m / %y"))
    assert status == 200
    assert "in the past" in html


def test_card_0259_succeeds_then_is_disputed(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    pay(web, session.url or "", "4000000000000259")
    bare_sandbox.flush_webhooks()
    assert receiver.types[-2:] == ["checkout.session.completed", "charge.dispute.created"]
    dispute = receiver.of_type("charge.dispute.created")[0].data.object
    assert (dispute["status"], dispute["reason"], dispute["amount"]) == (
        "needs_response",
        "fraudulent",
        2500,
    )
    charge = stripe_client.v1.charges.retrieve(dispute["charge"])
    assert charge.disputed is True
    assert stripe_client.v1.disputes.retrieve(dispute["id"]).status == "needs_response"


def test_a_monthly_gift_starts_a_paid_subscription(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    pay(web, session.url or "", name="Grace Hopper", email="grace@example.org")
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "customer.created",
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "payment_intent.created",
        "payment_intent.succeeded",
        "charge.succeeded",
        "invoice_payment.paid",
        "invoice.paid",
        "invoice.payment_succeeded",
        "checkout.session.completed",
    ]
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    assert (done.status, done.payment_status) == ("complete", "paid")
    subscription = stripe_client.v1.subscriptions.retrieve(str(done.subscription))
    assert subscription.status == "active"
    assert subscription.metadata.to_dict() == {"recurring_id": "3"}
    assert subscription.description == "Monthly gift"
    assert subscription.customer == done.customer
    assert subscription.latest_invoice == done.invoice
    (item,) = subscription["items"].data
    assert item.price.unit_amount == 1000
    assert item.current_period_start == subscription.start_date
    assert 28 * 86400 <= item.current_period_end - item.current_period_start <= 31 * 86400
    customer = stripe_client.v1.customers.retrieve(str(done.customer))
    assert customer.invoice_settings is not None
    assert customer.invoice_settings.default_payment_method == subscription.default_payment_method
    invoice = stripe_client.v1.invoices.retrieve(str(done.invoice))
    assert (invoice.status, invoice.billing_reason, invoice.amount_paid) == (
        "paid",
        "subscription_create",
        1000,
    )
    assert invoice.parent is not None
    assert invoice.parent.type == "subscription_details"
    assert invoice.parent.subscription_details is not None
    assert invoice.parent.subscription_details.subscription == subscription.id
    assert invoice.parent.subscription_details.metadata is not None
    assert invoice.parent.subscription_details.metadata.to_dict() == {"recurring_id": "3"}
    assert invoice.status_transitions.paid_at is not None
    assert invoice.lines.data[0].period.end == item.current_period_end
    assert invoice.customer_email == "grace@example.org"


def test_a_declined_monthly_gift_creates_nothing(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    status, html = _submit(web, session.id, cardNumber="4000000000000002")
    assert status == 200
    assert "Your card was declined." in html
    assert bare_sandbox.store.counts().get("subscription") is None
    assert bare_sandbox.store.events == []


def test_closed_sessions_show_a_message(stripe_client: stripe.StripeClient, web: Client) -> None:
    paid = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    pay(web, paid.url or "")
    status, html, _ = _page(web, paid.id)
    assert (status, "Payment complete" in html) == (200, True)
    assert _submit(web, paid.id)[0] == 200  # paying twice charges nothing
    expired = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    stripe_client.v1.checkout.sessions.expire(expired.id)
    assert _page(web, expired.id)[0] == 410
    assert _page(web, "cs_test_unknown")[0] == 404


def test_a_declined_try_then_a_good_card_makes_one_customer(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    session = stripe_client.v1.checkout.sessions.create(
        params=donation_params(customer_creation="always")  # type: ignore[arg-type]
    )
    _submit(web, session.id, cardNumber="4000000000000002")
    assert bare_sandbox.store.counts().get("customer") is None
    pay(web, session.id)
    assert bare_sandbox.store.counts()["customer"] == 1
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    intent = stripe_client.v1.payment_intents.retrieve(str(done.payment_intent))
    assert intent.customer == done.customer
