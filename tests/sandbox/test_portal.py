"""The customer portal: donors cancel a monthly gift or change its amount."""

from __future__ import annotations

import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox
from tests.sandbox.conftest import Receiver, monthly_params
from tests.sandbox.sdk_shapes import check_object
from tests.sandbox_client import pay

RETURN_URL = "https://donate.example.org/account"


def _portal(stripe_client: stripe.StripeClient, web: Client) -> tuple[str, str, str]:
    session = stripe_client.v1.checkout.sessions.create(params=monthly_params())  # type: ignore[arg-type]
    pay(web, session.url or "")
    done = stripe_client.v1.checkout.sessions.retrieve(session.id)
    portal = stripe_client.v1.billing_portal.sessions.create(
        params={"customer": str(done.customer), "return_url": RETURN_URL}
    )
    assert check_object(portal.to_dict(), stripe.billing_portal.Session) == []
    assert portal.url.endswith(f"/billing_portal/{portal.id}")
    return portal.url, portal.id, str(done.subscription)


def test_the_portal_lists_the_gift_and_links_back(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    url, _, _ = _portal(stripe_client, web)
    html = web.get(url.removeprefix("http://127.0.0.1:12111")).get_data(as_text=True)
    assert "Monthly gift: $10.00 / month" in html
    assert f'href="{RETURN_URL}"' in html
    assert "Cancel my gift" in html


def test_cancelling_in_the_portal_ends_the_gift_at_the_period_end(
    stripe_client: stripe.StripeClient, web: Client, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    _, portal_id, subscription_id = _portal(stripe_client, web)
    response = web.post(f"/billing_portal/{portal_id}/subscriptions/{subscription_id}/cancel")
    assert response.status_code == 303
    assert stripe_client.v1.subscriptions.retrieve(subscription_id).cancel_at_period_end is True
    page = web.get(f"/billing_portal/{portal_id}").get_data(as_text=True)
    assert "Keep my gift" in page
    web.post(
        f"/billing_portal/{portal_id}/subscriptions/{subscription_id}/cancel", data={"keep": "1"}
    )
    assert stripe_client.v1.subscriptions.retrieve(subscription_id).cancel_at_period_end is False
    bare_sandbox.flush_webhooks()
    assert receiver.types[-2:] == ["customer.subscription.updated"] * 2


def test_changing_the_amount_applies_from_the_next_payment(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    _, portal_id, subscription_id = _portal(stripe_client, web)
    action = f"/billing_portal/{portal_id}/subscriptions/{subscription_id}/amount"
    refused = web.post(action, data={f"amount-{subscription_id}": "ten"})
    assert refused.status_code == 200
    assert "Enter an amount" in refused.get_data(as_text=True)
    assert web.post(action, data={f"amount-{subscription_id}": "15.50"}).status_code == 303
    subscription = stripe_client.v1.subscriptions.retrieve(subscription_id)
    assert subscription["items"].data[0].price.unit_amount == 1550
    web.post("/_sandbox/clock/advance", json={"days": 32})
    renewed = stripe_client.v1.subscriptions.retrieve(subscription_id)
    assert stripe_client.v1.invoices.retrieve(str(renewed.latest_invoice)).amount_paid == 1550


def test_unknown_portal_sessions_and_gifts_are_not_found(
    stripe_client: stripe.StripeClient, web: Client
) -> None:
    _, portal_id, _ = _portal(stripe_client, web)
    assert web.get("/billing_portal/bps_nope").status_code == 404
    assert web.post(f"/billing_portal/{portal_id}/subscriptions/sub_nope/cancel").status_code == 404
    with_no_customer = web.post(
        "/v1/billing_portal/sessions",
        data={"customer": "cus_nope"},
        headers={"Authorization": "Bearer sk_test_x"},
    )
    assert with_no_customer.status_code == 404
