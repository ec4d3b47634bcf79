"""The sandbox as a real process: plain HTTP in, signed webhooks out to a real socket."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
import stripe

from tests.fixtures.browser import ROOT, free_port, wait_for_http
from tests.sandbox.conftest import SECRET


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[bytes, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture
def receiver_url() -> Iterator[str]:
    _Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/stripe/webhook"
    server.shutdown()
    server.server_close()


def _post(url: str, data: dict[str, str], headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode(), headers=headers or {}, method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_a_payment_over_plain_http_sends_a_signed_webhook(receiver_url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "campaigns.sandbox",
            "--port",
            str(port),
            "--webhook-url",
            receiver_url,
            "--webhook-secret",
            SECRET,
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(base + "/", process, timeout=20)
        status, _, body = _post(
            base + "/v1/checkout/sessions",
            {
                "mode": "payment",
                "line_items[0][quantity]": "1",
                "line_items[0][price_data][currency]": "usd",
                "line_items[0][price_data][unit_amount]": "1500",
                "line_items[0][price_data][product_data][name]": "Gift",
                "success_url": "http://127.0.0.1:5000/thanks?session_id={CHECKOUT_SESSION_ID}",
                "metadata[donation_id]": "9",
            },
            {"Authorization": "Bearer sk_test_process"},
        )
        assert status == 200
        session = json.loads(body)
        assert session["url"] == f"{base}/checkout/{session['id']}"
        status, headers, _ = _post(
            session["url"],
            {
                "email": "ada@example.org",
                "cardNumber": "4242 4242 4242 4242",
                "cardExpiry": "12 / 34",
                "cardCvc": "123",
                "billingName": "Ada Lovelace",
            },
        )
        assert status == 303
        assert headers["Location"].endswith(f"session_id={session['id']}")
        deadline = time.monotonic() + 10
        while len(_Receiver.received) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        events = [
            stripe.Webhook.construct_event(payload, signature, SECRET)
            for payload, signature in _Receiver.received
        ]
        assert events[-1].type == "checkout.session.completed"
        assert events[-1].data.object["metadata"]["donation_id"] == "9"
    finally:
        process.terminate()
        process.wait(timeout=10)
