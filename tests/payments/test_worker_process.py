"""``flask --app app worker`` as a real process: a TERM finishes the item in hand and hands back
the rest; a killed worker's claim runs out and another worker applies it. Nothing is lost."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import flask_migrate
import pytest
from sqlalchemy import select

from campaigns import create_app
from campaigns.extensions import db
from campaigns.models import Campaign, EventStatus, Frequency, StripeEvent, utcnow
from tests.databases import fresh_database
from tests.factories import make_campaign, start_gift
from tests.fixtures.browser import ROOT
from tests.payments import stripe_events as se

EVENTS = 5
SLOW = 1.5  # seconds Stripe takes to answer each invoice


class SlowStripe(BaseHTTPRequestHandler):
    """Answers ``GET /v1/invoices/<id>`` with the invoice's payment, slowly."""

    delay: ClassVar[float] = SLOW
    requests: ClassVar[list[str]] = []
    first: ClassVar[threading.Event] = threading.Event()

    def do_GET(self) -> None:
        invoice_id = self.path.split("?")[0].rsplit("/", 1)[1]
        type(self).requests.append(invoice_id)
        type(self).first.set()
        time.sleep(type(self).delay)
        body = json.dumps(
            {
                "id": invoice_id,
                "object": "invoice",
                "payments": {
                    "object": "list",
                    "data": [
                        {
                            "object": "invoice_payment",
                            "status": "paid",
                            "payment": {
                                "type": "payment_intent",
                                "payment_intent": f"pi_{invoice_id}",
                            },
                        }
                    ],
                },
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def slow_stripe() -> Iterator[str]:
    SlowStripe.delay, SlowStripe.requests, SlowStripe.first = SLOW, [], threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowStripe)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def inbox_app(slow_stripe):
    """A database with five first payments of monthly gifts in the inbox, each of which needs
    its payment intent from (slow) Stripe."""
    url = fresh_database("worker_process")
    settings = {
        "SQLALCHEMY_DATABASE_URI": url,
        "STRIPE_SECRET_KEY": "sk_test_process",
        "STRIPE_API_BASE": slow_stripe,
        "STRIPE_WEBHOOK_SECRET": se.WEBHOOK_SECRET,
        "STRIPE_MAX_NETWORK_RETRIES": 0,
    }
    app = create_app(settings)
    with app.app_context():
        flask_migrate.upgrade()
        campaign = make_campaign(slug="process")
        client = app.test_client()
        for n in range(EVENTS):
            gift = start_gift(
                campaign, 1000 + n, frequency=Frequency.MONTHLY, email=f"m{n}@example.org"
            )
            invoice = se.invoice(
                gift.id,
                f"sub_p{n}",
                gift.amount,
                billing_reason="subscription_create",
                payment_intent=None,
                invoice_id=f"in_p{n}",
            )
            invoice["parent"]["subscription_details"]["metadata"]["campaign"] = "process"
            assert se.post_event(client, se.event("invoice.paid", invoice)).status_code == 200
        db.session.remove()
        db.engine.dispose()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CAMPAIGNS_ENV": "development",
        "MAIL_SERVER": "",
        "STRIPE_SECRET_KEY": "sk_test_process",
        "STRIPE_API_BASE": slow_stripe,
        "STRIPE_WEBHOOK_SECRET": se.WEBHOOK_SECRET,
        "STRIPE_MAX_NETWORK_RETRIES": "0",
    }
    yield app, env
    with app.app_context():
        db.engine.dispose()


def start_worker(env: dict[str, str], **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env={**env, **extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def events(app) -> list[StripeEvent]:
    with app.app_context():
        found = list(db.session.scalars(select(StripeEvent).order_by(StripeEvent.id)))
        db.session.remove()
        return found


def raised(app) -> tuple[int, int]:
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "process"))
        figures = (campaign.raised_amount, campaign.donation_count)
        db.session.remove()
        return figures


def test_term_finishes_the_event_in_hand_and_hands_back_the_rest(inbox_app) -> None:
    app, env = inbox_app
    worker = start_worker(env)
    try:
        assert SlowStripe.first.wait(30), "the worker never asked Stripe"
        signalled = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=15)
        took = time.monotonic() - signalled
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    # Sooner than the events left would take (the requests below say which it finished);
    # loose, as a loaded machine slows the process start and the signal's delivery.
    assert took < SLOW * (EVENTS - 1), f"took {took:.1f} s to stop"
    # It finished the one it was applying and started no other.
    assert SlowStripe.requests == ["in_p0"]
    assert "applied  evt_" in output and output.count("applied") == 1, output
    stored = events(app)
    assert [e.status for e in stored].count(EventStatus.APPLIED) == 1
    waiting = [e for e in stored if e.status is EventStatus.RECEIVED]
    assert len(waiting) == EVENTS - 1
    # Handed back: due now, no claim on them, and the attempt not counted.
    assert all(e.lease_token is None and e.attempts == 0 for e in waiting)
    assert all(e.next_attempt_at <= utcnow() for e in waiting)
    assert raised(app) == (1000, 1)

    SlowStripe.delay = 0
    again = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "4 events applied, 0 ignored, 0 to retry, 0 failed" in again.stdout
    assert {e.status for e in events(app)} == {EventStatus.APPLIED}
    assert raised(app) == (sum(1000 + n for n in range(EVENTS)), EVENTS)


def test_a_killed_workers_events_are_applied_after_its_lease(inbox_app) -> None:
    app, env = inbox_app
    worker = start_worker(env, EVENT_LEASE_SECONDS="2")
    try:
        assert SlowStripe.first.wait(30), "the worker never asked Stripe"
        worker.kill()  # no chance to hand anything back
        worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    claimed = [e for e in events(app) if e.lease_token is not None]
    assert len(claimed) == EVENTS  # the whole batch was in its hands
    assert raised(app) == (0, 0)

    SlowStripe.delay = 0
    time.sleep(2.2)  # the lease runs out
    again = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--once"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{EVENTS} events applied" in again.stdout
    stored = events(app)
    assert {e.status for e in stored} == {EventStatus.APPLIED}
    assert {e.attempts for e in stored} == {2}  # the killed worker's attempt counts
    assert raised(app) == (sum(1000 + n for n in range(EVENTS)), EVENTS)
