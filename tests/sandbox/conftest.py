"""Fixtures for the Stripe sandbox: a fresh sandbox per test, the SDK wired to it, a receiver."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox, create_sandbox
from tests.sandbox_client import sdk_client

SECRET = "whsec_test_sandbox"
SUCCESS_URL = "https://donate.example.org/thanks?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://donate.example.org/campaigns/eoy/donate"


@dataclass
class Receiver:
    """Stands in for the app's webhook endpoint: verifies, records, answers ``status``."""

    status: Callable[[dict[str, Any]], int] = lambda event: 200
    received: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    verified: list[stripe.Event] = field(default_factory=list)
    rejected: int = 0

    def __call__(self, body: bytes, headers: dict[str, str]) -> int:
        self.received.append((body, headers))
        try:
            event = stripe.Webhook.construct_event(body, headers["Stripe-Signature"], SECRET)
        except stripe.SignatureVerificationError:
            self.rejected += 1
            return 400
        status = self.status(json.loads(body))
        if 200 <= status < 300:
            self.verified.append(event)
        return status

    @property
    def types(self) -> list[str]:
        return [event.type for event in self.verified]

    def of_type(self, event_type: str) -> list[stripe.Event]:
        return [event for event in self.verified if event.type == event_type]


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
def bare_sandbox(receiver: Receiver) -> Iterator[Sandbox]:
    """A sandbox on its own, not wired to the app (that is ``sandbox``): webhooks go to
    ``receiver``."""
    instance = create_sandbox(webhook_secret=SECRET, deliver=receiver)
    yield instance
    instance.close()


@pytest.fixture
def stripe_client(bare_sandbox: Sandbox) -> stripe.StripeClient:
    return sdk_client(bare_sandbox.wsgi_app)


@pytest.fixture
def web(bare_sandbox: Sandbox) -> Client:
    """A browser stand-in for the hosted pages and the control endpoints."""
    return Client(bare_sandbox.wsgi_app)


def donation_params(amount: int = 2500, **extra: Any) -> dict[str, Any]:
    """Checkout Session parameters as the donate form sends them for a one-time gift."""
    return {
        "mode": "payment",
        "submit_type": "donate",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": amount,
                    "product_data": {"name": "Gift to Keep independent media alive"},
                },
            }
        ],
        "customer_email": "ada@example.org",
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "client_reference_id": "donation-7",
        "metadata": {"donation_id": "7", "campaign": "eoy"},
        "payment_intent_data": {"metadata": {"donation_id": "7"}, "description": "Gift"},
        **extra,
    }


def monthly_params(amount: int = 1000, **extra: Any) -> dict[str, Any]:
    """Checkout Session parameters for a monthly gift."""
    return {
        "mode": "subscription",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": "usd",
                    "unit_amount": amount,
                    "recurring": {"interval": "month"},
                    "product_data": {"name": "Monthly gift"},
                },
            }
        ],
        "customer_email": "grace@example.org",
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "metadata": {"recurring_id": "3"},
        "subscription_data": {"metadata": {"recurring_id": "3"}, "description": "Monthly gift"},
        **extra,
    }
