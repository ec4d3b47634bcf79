"""The hosted pages in headless Chromium: usable with a keyboard and accessible to axe-core."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from campaigns.sandbox import Sandbox, create_sandbox
from tests.fixtures.browser import assert_accessible, free_port
from tests.sandbox.conftest import donation_params, monthly_params
from tests.sandbox_client import sdk_client

pytestmark = pytest.mark.browser


@pytest.fixture
def live_sandbox() -> Iterator[Sandbox]:
    port = free_port()
    sandbox = create_sandbox(public_url=f"http://127.0.0.1:{port}")
    server = make_server("127.0.0.1", port, sandbox.wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sandbox
    server.shutdown()
    sandbox.close()


def test_checkout_is_accessible_and_pays(page: Any, live_sandbox: Sandbox) -> None:
    client = sdk_client(live_sandbox.wsgi_app)
    success = f"{live_sandbox.public_url}/?paid={{CHECKOUT_SESSION_ID}}"
    session = client.v1.checkout.sessions.create(params=donation_params(success_url=success))  # type: ignore[arg-type]
    page.goto(session.url)
    assert page.get_by_text("TEST MODE", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_label("Expiration date (MM / YY)").fill("12 / 34")
    page.get_by_label("CVC").fill("123")
    page.get_by_label("Name on card").fill("Ada Lovelace")
    page.get_by_role("button", name="Donate").click()
    expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
    assert_accessible(page)
    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiration date (MM / YY)").fill("12 / 34")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Donate").click()
    page.wait_for_url(f"**/?paid={session.id}")
    assert page.console_errors == []


def test_field_errors_and_the_portal_are_accessible(page: Any, live_sandbox: Sandbox) -> None:
    client = sdk_client(live_sandbox.wsgi_app)
    success = f"{live_sandbox.public_url}/?paid={{CHECKOUT_SESSION_ID}}"
    session = client.v1.checkout.sessions.create(params=monthly_params(success_url=success))  # type: ignore[arg-type]
    page.goto(session.url)
    page.get_by_role("button", name="Donate").click()
    expect(page.get_by_text("Your card number is invalid.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Card number").fill("4242424242424242")
    page.get_by_label("Expiration date (MM / YY)").fill("1234")
    page.get_by_label("CVC").fill("123")
    page.get_by_label("Name on card").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_role("button", name="Donate").click()
    page.wait_for_url(f"**/?paid={session.id}")
    customer = client.v1.checkout.sessions.retrieve(session.id).customer
    portal = client.v1.billing_portal.sessions.create(params={"customer": str(customer)})
    page.goto(portal.url)
    expect(page.get_by_role("heading", name="Monthly gift: $10.00 / month")).to_be_visible()
    assert_accessible(page)
