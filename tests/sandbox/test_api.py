"""The /v1 API through the real stripe SDK: sessions, idempotency, errors, customers, events."""

from __future__ import annotations

from typing import Any

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from tests.sandbox.conftest import CANCEL_URL, Receiver, donation_params, monthly_params
from tests.sandbox_client import pay, sdk_client

AUTH = {"Authorization": "Bearer sk_test_raw"}


def test_a_payment_session_starts_open_and_unpaid(stripe_client: stripe.StripeClient) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    assert session.id.startswith("cs_test_")
    assert session.object == "checkout.session"
    assert session.url == f"http://127.0.0.1:12111/checkout/{session.id}"
    assert (session.status, session.payment_status, session.mode) == ("open", "unpaid", "payment")
    assert (session.amount_total, session.amount_subtotal, session.currency) == (2500, 2500, "usd")
    assert session.expires_at == session.created + 24 * 3600
    assert session.submit_type == "donate"
    assert session.customer_email == "ada@example.org"
    assert session.client_reference_id == "donation-7"
    assert session.metadata is not None
    assert session.metadata.to_dict() == {"donation_id": "7", "campaign": "eoy"}
    assert session.cancel_url == CANCEL_URL
    assert session.customer is None and session.payment_intent is None
    assert session.customer_creation == "if_required"
    assert session.livemode is False
    assert "line_items" not in session


def test_a_subscription_session_totals_the_recurring_price(
    stripe_client: stripe.StripeClient,
) -> None:
    session = stripe_client.v1.checkout.sessions.create(
        params=monthly_params(amount=1500)  # type: ignore[arg-type]
    )
    assert (session.mode, session.amount_total, session.customer_creation) == (
        "subscription",
        1500,
        None,
    )
    items = stripe_client.v1.checkout.sessions.line_items.list(session.id)
    assert items.data[0].price is not None
    assert items.data[0].price.recurring is not None
    assert items.data[0].price.recurring.interval == "month"
    assert items.data[0].price.type == "recurring"


def test_retrieve_expands_line_items_and_the_payment_intent(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    created = stripe_client.v1.checkout.sessions.create(
        params=donation_params(
            line_items=[
                {
                    "quantity": 2,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 1000,
                        "product_data": {"name": "Gift"},
                    },
                },
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "usd",
                        "unit_amount": 300,
                        "product_data": {"name": "Cover the fees"},
                    },
                },
            ]
        )  # type: ignore[arg-type]
    )
    assert created.amount_total == 2300
    pay(web, created.url or "")
    session = stripe_client.v1.checkout.sessions.retrieve(
        created.id, params={"expand": ["line_items", "payment_intent.latest_charge"]}
    )
    assert session.line_items is not None
    assert [item.description for item in session.line_items.data] == ["Gift", "Cover the fees"]
    assert [item.amount_total for item in session.line_items.data] == [2000, 300]
    intent: Any = session.payment_intent
    assert intent.status == "succeeded"
    assert intent.metadata.to_dict() == {"donation_id": "7"}
    assert intent.latest_charge.paid is True
    page = stripe_client.v1.checkout.sessions.line_items.list(created.id, params={"limit": 1})
    assert (len(page.data), page.has_more) == (1, True)
    rest = stripe_client.v1.checkout.sessions.line_items.list(
        created.id, params={"limit": 1, "starting_after": page.data[0].id}
    )
    assert [item.description for item in rest.data] == ["Cover the fees"]
    assert rest.has_more is False


def test_expire_closes_an_open_session_once(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    expired = stripe_client.v1.checkout.sessions.expire(session.id)
    assert (expired.status, expired.url) == ("expired", None)
    with pytest.raises(stripe.InvalidRequestError, match='status of "expired"'):
        stripe_client.v1.checkout.sessions.expire(session.id)
    bare_sandbox.flush_webhooks()
    assert receiver.types == ["checkout.session.expired"]


def test_sessions_expire_by_themselves_after_a_day(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    web.post("/_sandbox/clock/advance", json={"days": 1})
    assert stripe_client.v1.checkout.sessions.retrieve(session.id).status == "expired"
    bare_sandbox.flush_webhooks()
    (event,) = receiver.of_type("checkout.session.expired")
    assert event.created == session.expires_at


def test_an_idempotency_key_replays_the_first_response(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    params = donation_params()
    first = stripe_client.v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": "donation-7"},
    )
    again = stripe_client.v1.checkout.sessions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": "donation-7"},
    )
    assert again.id == first.id
    assert again.last_response is not None
    assert again.last_response.headers.get("idempotent-replayed") == "true"
    with pytest.raises(stripe.IdempotencyError, match="same parameters"):
        stripe_client.v1.checkout.sessions.create(
            params=donation_params(amount=5000),  # type: ignore[arg-type]
            options={"idempotency_key": "donation-7"},
        )


def test_idempotent_errors_are_replayed_but_validation_failures_are_not(web: Client) -> None:
    headers = {**AUTH, "Idempotency-Key": "refund-1"}
    first = web.post("/v1/refunds", data={"charge": "ch_missing"}, headers=headers)
    again = web.post("/v1/refunds", data={"charge": "ch_missing"}, headers=headers)
    assert first.status_code == again.status_code == 404
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.get_data() == again.get_data()
    bad = web.post(
        "/v1/refunds",
        data={"charge": "x", "amount": "lots"},
        headers={**AUTH, "Idempotency-Key": "k2"},
    )
    assert bad.status_code == 400
    retried = web.post(
        "/v1/refunds",
        data={"charge": "x", "amount": "lots"},
        headers={**AUTH, "Idempotency-Key": "k2"},
    )
    assert "Idempotent-Replayed" not in retried.headers


@pytest.mark.parametrize(
    ("params", "param"),
    [
        (
            donation_params(shipping_address_collection={"allowed_countries": ["US"]}),
            "shipping_address_collection",
        ),
        (
            donation_params(payment_intent_data={"capture_method": "manual"}),
            "payment_intent_data[capture_method]",
        ),
        (donation_params(colour="red"), "colour"),
    ],
)
def test_parameters_beyond_the_allow_list_are_refused(
    stripe_client: stripe.StripeClient, params: dict[str, Any], param: str
) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]
    assert (caught.value.code, caught.value.param, caught.value.http_status) == (
        "parameter_unknown",
        param,
        400,
    )


def test_missing_and_malformed_parameters_are_named(web: Client) -> None:
    missing = web.post("/v1/checkout/sessions", data={"mode": "payment"}, headers=AUTH)
    assert missing.status_code == 400
    assert missing.get_json()["error"]["code"] == "parameter_missing"
    malformed = web.post(
        "/v1/checkout/sessions",
        data={"mode": "payment", "line_items[0][quantity]": "one"},
        headers=AUTH,
    )
    error = malformed.get_json()["error"]
    assert (error["code"], error["param"]) == (
        "parameter_invalid_integer",
        "line_items[0][quantity]",
    )
    assert error["type"] == "invalid_request_error"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "subscription"}, "recurring price"),
        ({"subscription_data": {"description": "x"}}, "subscription_data"),
        ({"customer": "cus_nobody"}, "No such customer"),
    ],
)
def test_sessions_that_stripe_would_refuse_are_refused(
    stripe_client: stripe.StripeClient, changes: dict[str, Any], message: str
) -> None:
    params = donation_params(**changes)
    params = {key: value for key, value in params.items() if value is not None}
    if changes.get("mode") == "subscription":
        params.pop("payment_intent_data")
        params.pop("submit_type")
    with pytest.raises(stripe.InvalidRequestError, match=message):
        stripe_client.v1.checkout.sessions.create(params=params)  # type: ignore[arg-type]


def test_requests_without_a_test_key_are_unauthorized(bare_sandbox: Sandbox, web: Client) -> None:
    live = sdk_client(bare_sandbox.wsgi_app, api_key="sk_live_123456789")
    with pytest.raises(stripe.AuthenticationError):
        live.v1.customers.create(params={"email": "a@example.org"})
    response = web.get("/v1/customers/cus_x")
    assert response.status_code == 401
    assert response.get_json()["error"]["type"] == "invalid_request_error"


def test_unknown_ids_are_resource_missing(stripe_client: stripe.StripeClient) -> None:
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.checkout.sessions.retrieve("cs_test_nope")
    assert (caught.value.code, caught.value.http_status) == ("resource_missing", 404)
    customer = stripe_client.v1.customers.create(params={"email": "a@example.org"})
    with pytest.raises(stripe.InvalidRequestError, match="No such payment_intent"):
        stripe_client.v1.payment_intents.retrieve(customer.id)


def test_unknown_routes_answer_in_stripes_shape(web: Client) -> None:
    response = web.get("/v1/payouts", headers=AUTH)
    assert response.status_code == 404
    assert "Unrecognized request URL" in response.get_json()["error"]["message"]


def test_customers_are_created_and_retrieved(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    created = stripe_client.v1.customers.create(
        params={"email": "ada@example.org", "name": "Ada", "metadata": {"donor_id": "5"}}
    )
    fetched = stripe_client.v1.customers.retrieve(created.id)
    assert fetched.metadata is not None
    assert (fetched.email, fetched.name, fetched.metadata.to_dict()) == (
        "ada@example.org",
        "Ada",
        {"donor_id": "5"},
    )
    assert fetched.id.startswith("cus_")
    bare_sandbox.flush_webhooks()
    assert receiver.types == ["customer.created"]


def _make_events(stripe_client: stripe.StripeClient, count: int) -> list[str]:
    return [
        stripe_client.v1.customers.create(params={"email": f"d{i}@example.org"}).id
        for i in range(count)
    ]


def test_events_list_newest_first_with_pagination(stripe_client: stripe.StripeClient) -> None:
    _make_events(stripe_client, 5)
    first = stripe_client.v1.events.list(params={"limit": 2})
    assert (first.to_dict()["object"], first.url, first.has_more, len(first.data)) == (
        "list",
        "/v1/events",
        True,
        2,
    )
    everything = [event.id for event in stripe_client.v1.events.list(params={"limit": 100}).data]
    assert len(everything) == 5
    assert [event.id for event in first.data] == everything[:2]
    after = stripe_client.v1.events.list(params={"limit": 2, "starting_after": everything[1]})
    assert [event.id for event in after.data] == everything[2:4]
    before = stripe_client.v1.events.list(params={"limit": 2, "ending_before": everything[4]})
    assert [event.id for event in before.data] == everything[2:4]
    paged = [e.id for e in stripe_client.v1.events.list(params={"limit": 2}).auto_paging_iter()]
    assert paged == everything
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.events.list(params={"limit": 101})


def test_events_filter_by_type_and_time(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox
) -> None:
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    start = bare_sandbox.clock.now()
    web.post("/_sandbox/clock/advance", json={"seconds": 100})
    pay(web, session.url or "")
    _make_events(stripe_client, 1)
    only = stripe_client.v1.events.list(params={"type": "checkout.session.completed"})
    assert [event.type for event in only.data] == ["checkout.session.completed"]
    assert only.data[0].data.object["id"] == session.id
    wildcard = stripe_client.v1.events.list(params={"type": "payment_intent.*"})
    assert {event.type for event in wildcard.data} == {
        "payment_intent.created",
        "payment_intent.succeeded",
    }
    several = stripe_client.v1.events.list(
        params={"types": ["customer.created", "charge.succeeded"]}
    )
    assert sorted(event.type for event in several.data) == ["charge.succeeded", "customer.created"]
    assert stripe_client.v1.events.list(params={"created": {"lt": start}}).data == []
    recent = stripe_client.v1.events.list(params={"created": {"gte": start + 100}, "limit": 100})
    assert len(recent.data) == 5
    fetched = stripe_client.v1.events.retrieve(only.data[0].id)
    assert fetched.api_version == "2026-10-28.endive"
    assert fetched.request is not None


def test_events_record_the_request_that_caused_them(
    stripe_client: stripe.StripeClient, receiver: Receiver, bare_sandbox: Sandbox
) -> None:
    stripe_client.v1.customers.create(
        params={"email": "a@example.org"}, options={"idempotency_key": "customer-1"}
    )
    bare_sandbox.flush_webhooks()
    (event,) = receiver.verified
    assert event.request is not None
    assert event.request.idempotency_key == "customer-1"
    assert (event.request.id or "").startswith("req_")
