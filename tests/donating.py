"""Donating through the donate form and the sandbox's hosted Checkout."""

from __future__ import annotations

from typing import Any

from tests.sandbox_client import pay
from tests.web.forms import submit

DONATE = "/campaigns/eoy-test/donate"
FORM = {
    "amount": "25",
    "frequency": "one_time",
    "name": "Ann Example",
    "email": "ann@example.org",
    "source": "banner",
    "variant": "b",
}


def start_checkout(client, **changes):
    response = submit(client, DONATE, {**FORM, **changes})
    assert response.status_code == 303, response.get_data(as_text=True)
    return response.headers["Location"]


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
