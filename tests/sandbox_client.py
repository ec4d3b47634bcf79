"""The stripe SDK wired to the Stripe sandbox in-process, and helpers to pay on its hosted page."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import stripe
from werkzeug.test import Client

SANDBOX_BASE = "http://127.0.0.1:12111"
TEST_KEY = "sk_test_sandbox"


class SandboxHTTPClient(stripe.HTTPClient):
    """Hands the SDK's HTTP requests straight to a WSGI app instead of the network."""

    name = "sandbox-wsgi"

    def __init__(self, wsgi_app: Any) -> None:
        super().__init__()
        self._client = Client(wsgi_app)

    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        data = post_data.encode() if isinstance(post_data, str) else post_data
        response = self._client.open(
            url, method=method.upper(), headers=dict(headers or {}), data=data
        )
        # Lowercased, as the SDK's own urllib client hands them over.
        lowered = {key.lower(): value for key, value in response.headers.items()}
        return response.get_data(as_text=True), response.status_code, lowered

    def request_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Mapping[str, str]]:
        body, status, lowered = self.request(method, url, headers, post_data)
        return io.BytesIO(body.encode()), status, lowered

    def close(self) -> None:
        """Nothing to release: no sockets are opened."""


def sdk_client(wsgi_app: Any, api_key: str = TEST_KEY) -> stripe.StripeClient:
    """A ``StripeClient`` whose every request is served by the sandbox ``wsgi_app``."""
    return stripe.StripeClient(
        api_key,
        http_client=SandboxHTTPClient(wsgi_app),
        base_addresses={"api": SANDBOX_BASE},
        max_network_retries=0,
    )


def session_path(session_url_or_id: str) -> str:
    """``/checkout/<id>`` from a session's ``url`` or from its id."""
    if session_url_or_id.startswith("cs_"):
        return f"/checkout/{session_url_or_id}"
    return urlsplit(session_url_or_id).path


def pay(
    client: Client,
    session_url_or_id: str,
    card: str = "4242424242424242",
    *,
    name: str = "Ada Lovelace",
    email: str = "ada@example.org",
    expiry: str = "12 / 34",
    cvc: str = "123",
) -> str:
    """Fill in and submit the hosted page; the redirect target, or AssertionError with the page."""
    response = client.post(
        session_path(session_url_or_id),
        data={
            "email": email,
            "cardNumber": card,
            "cardExpiry": expiry,
            "cardCvc": cvc,
            "billingName": name,
        },
    )
    if response.status_code != 303:
        text = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
        raise AssertionError(f"payment refused ({response.status_code}): {' '.join(text.split())}")
    return str(response.headers["Location"])
