"""The Stripe sandbox plugged into the SDK in-process, its webhooks posted to the real endpoint."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from werkzeug.test import Client

from campaigns.sandbox import Sandbox, create_sandbox
from tests.payments.stripe_events import WEBHOOK_SECRET
from tests.sandbox_client import SANDBOX_BASE, SandboxHTTPClient

STRIPE_CLIENT_KEY = "campaigns.stripe_client"


@pytest.fixture
def sandbox(app, client) -> Iterator[Sandbox]:
    def deliver(body: bytes, headers: dict[str, str]) -> int:
        response = client.post(
            "/stripe/webhook", data=body, headers=headers, content_type="application/json"
        )
        return response.status_code

    instance = create_sandbox(
        webhook_secret=WEBHOOK_SECRET, deliver=deliver, public_url=SANDBOX_BASE
    )
    saved = {key: app.config.get(key) for key in ("STRIPE_HTTP_CLIENT", "STRIPE_API_BASE")}
    app.config.update(
        STRIPE_HTTP_CLIENT=SandboxHTTPClient(instance.wsgi_app), STRIPE_API_BASE=SANDBOX_BASE
    )
    app.extensions[STRIPE_CLIENT_KEY] = None
    yield instance
    app.config.update(saved)
    app.extensions[STRIPE_CLIENT_KEY] = None
    instance.close()


@pytest.fixture
def sandbox_browser(sandbox) -> Client:
    """A donor's browser on the sandbox's hosted pages."""
    return Client(sandbox.wsgi_app)
