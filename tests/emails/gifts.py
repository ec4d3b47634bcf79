"""Donating through the donate form and the sandbox's hosted Checkout, for email tests."""

from __future__ import annotations

import re
from typing import Any

from tests.payments.test_checkout_flow import start_checkout
from tests.sandbox_client import pay


def donate(
    client,
    browser,
    *,
    amount: str = "25",
    frequency: str = "one_time",
    name: str = "Ann Example",
    email: str = "ann@example.org",
    card: str = "4242424242424242",
    **form: Any,
) -> str:
    """Fill in the donate form and pay on the sandbox's Checkout page; the session's URL."""
    url = start_checkout(client, amount=amount, frequency=frequency, name=name, email=email, **form)
    pay(browser, url, card=card, name=name, email=email)
    return url


def advance(browser, sandbox, days: int) -> None:
    """Move the sandbox's clock (renewing monthly gifts) and deliver what that sent."""
    response = browser.post("/_sandbox/clock/advance", json={"days": days})
    assert response.status_code == 200, response.get_data(as_text=True)
    sandbox.flush_webhooks()


def link_in(text: str, prefix: str = "/my-giving/") -> str:
    """The path of the first link on PUBLIC_URL under ``prefix`` in an email's text."""
    match = re.search(rf"http://donate\.example\.org({re.escape(prefix)}\S+)", text)
    assert match, f"no {prefix} link in:\n{text}"
    return match.group(1)
