"""Signed webhooks: signing, queueing, retries with backoff, and each injected fault."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

import pytest
import stripe
from werkzeug.test import Client

from campaigns.sandbox import Sandbox, create_sandbox, webhooks
from tests.sandbox.conftest import SECRET, Receiver, donation_params
from tests.sandbox_client import pay, sdk_client


def _customer(stripe_client: stripe.StripeClient, n: int = 0) -> str:
    return stripe_client.v1.customers.create(params={"email": f"d{n}@example.org"}).id


def test_signatures_verify_with_the_sdk(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    _customer(stripe_client)
    assert bare_sandbox.flush_webhooks() == [(bare_sandbox.store.events[0]["id"], 200)]
    ((body, headers),) = receiver.received
    header = headers["Stripe-Signature"]
    assert header.startswith("t=") and ",v1=" in header
    event = stripe.Webhook.construct_event(body, header, SECRET)
    assert event.type == "customer.created"
    assert json.loads(body)["data"]["object"]["object"] == "customer"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(body, header, "whsec_other")
    expected = stripe.WebhookSignature._compute_signature("1.{}", "whsec_x")
    assert webhooks.sign(b"{}", "whsec_x", 1) == f"t=1,v1={expected}"


def test_delivered_events_have_no_pending_webhooks(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox
) -> None:
    _customer(stripe_client)
    (event,) = stripe_client.v1.events.list().data
    assert event.pending_webhooks == 1
    bare_sandbox.flush_webhooks()
    assert stripe_client.v1.events.retrieve(event.id).pending_webhooks == 0
    assert stripe_client.v1.events.list(params={"delivery_success": True}).data[0].id == event.id


def test_without_an_endpoint_nothing_is_queued() -> None:
    sandbox = create_sandbox()
    client = sdk_client(sandbox.wsgi_app)
    _customer(client)
    assert sandbox.flush_webhooks() == []
    assert client.v1.events.list().data[0].pending_webhooks == 0


def test_a_failing_receiver_is_retried(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    answers = iter([500, 503, 200])
    receiver.status = lambda event: next(answers)
    _customer(stripe_client)
    event_id = bare_sandbox.store.events[0]["id"]
    assert bare_sandbox.flush_webhooks() == [(event_id, 500), (event_id, 503), (event_id, 200)]
    assert receiver.types == ["customer.created"]


def test_a_receiver_down_for_long_is_given_up_on(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver
) -> None:
    receiver.status = lambda event: 500
    _customer(stripe_client)
    attempts = (
        bare_sandbox.flush_webhooks()
        + bare_sandbox.flush_webhooks()
        + bare_sandbox.flush_webhooks()
    )
    assert len(attempts) == webhooks.MAX_ATTEMPTS
    assert bare_sandbox.flush_webhooks() == []
    (delivery,) = bare_sandbox.dispatcher.report()
    assert delivery["state"] == "failed"


def test_a_receiver_that_raises_counts_as_a_connection_failure(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox
) -> None:
    calls: list[int] = []

    def broken(body: bytes, headers: dict[str, str]) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionRefusedError("down")
        return 204

    bare_sandbox.dispatcher.deliver = broken
    _customer(stripe_client)
    assert [status for _, status in bare_sandbox.flush_webhooks()] == [0, 204]


def test_background_delivery_retries_with_growing_backoff(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    monkeypatch.setattr(webhooks, "FIRST_RETRY", 0.05)
    answers = iter([500, 500, 500, 200])
    receiver.status = lambda event: next(answers)
    sandbox = create_sandbox(webhook_secret=SECRET, deliver=receiver, background=True)
    try:
        _customer(sdk_client(sandbox.wsgi_app))
        deadline = time.monotonic() + 5
        while not receiver.verified and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        sandbox.close()
    assert receiver.types == ["customer.created"]
    (delivery,) = sandbox.dispatcher.report()
    times = [attempt["at"] for attempt in delivery["attempts"]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 3
    assert gaps[0] >= 0.04 and gaps[1] >= 0.09 and gaps[2] >= 0.19  # 0.05 s, doubling


def _faults(web: Client, **faults: Any) -> None:
    assert web.post("/_sandbox/faults", json=faults).status_code == 200


def test_duplicate_delivers_every_event_extra_times(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, duplicate=2)
    _customer(stripe_client)
    bare_sandbox.flush_webhooks()
    assert receiver.types == ["customer.created"] * 3
    assert len({event.id for event in receiver.verified}) == 1
    web.delete("/_sandbox/faults")
    _customer(stripe_client, 1)
    bare_sandbox.flush_webhooks()
    assert len(receiver.verified) == 4


def test_reorder_delivers_the_pending_batch_newest_first(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, reorder=True)
    session = stripe_client.v1.checkout.sessions.create(params=donation_params())  # type: ignore[arg-type]
    pay(web, session.url or "")
    bare_sandbox.flush_webhooks()
    assert receiver.types == [
        "checkout.session.completed",
        "charge.succeeded",
        "payment_intent.succeeded",
        "payment_intent.created",
    ]


def test_delay_holds_deliveries_until_the_clock_has_moved(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, delay_seconds=60)
    _customer(stripe_client)
    assert bare_sandbox.flush_webhooks() == []
    bare_sandbox.clock.advance(59)
    assert bare_sandbox.flush_webhooks() == []
    bare_sandbox.clock.advance(1)
    assert len(bare_sandbox.flush_webhooks()) == 1
    assert receiver.types == ["customer.created"]


def test_a_stale_signature_is_refused_then_retried_freshly_signed(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, stale_signature=True)
    _customer(stripe_client)
    assert [status for _, status in bare_sandbox.flush_webhooks()] == [400, 200]
    assert receiver.rejected == 1
    assert receiver.types == ["customer.created"]
    (delivery,) = bare_sandbox.dispatcher.report()
    assert [a["stale_signature"] for a in delivery["attempts"]] == [True, False]


def test_dropped_events_are_never_sent_but_still_listed(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, drop=True)
    _customer(stripe_client)
    assert bare_sandbox.flush_webhooks() == []
    assert receiver.received == []
    (event,) = stripe_client.v1.events.list().data
    assert event.type == "customer.created"
    listed = web.get("/_sandbox/events").get_json()
    assert listed[0]["deliveries"][0]["state"] == "dropped"


def test_fail_deliveries_breaks_the_next_attempts(
    stripe_client: stripe.StripeClient, bare_sandbox: Sandbox, receiver: Receiver, web: Client
) -> None:
    _faults(web, fail_deliveries=2)
    _customer(stripe_client)
    assert [status for _, status in bare_sandbox.flush_webhooks()] == [0, 0, 200]
    assert len(receiver.received) == 1  # the failures never reached the receiver


def test_faults_are_checked_and_cleared(web: Client, bare_sandbox: Sandbox) -> None:
    assert web.post("/_sandbox/faults", json={"explode": True}).status_code == 400
    _faults(web, drop=True, duplicate=1)
    cleared = web.delete("/_sandbox/faults").get_json()["faults"]
    assert cleared["drop"] is False and cleared["duplicate"] == 0
    assert bare_sandbox.dispatcher.faults == webhooks.Faults()


def test_the_control_events_list_shows_every_attempt(
    stripe_client: stripe.StripeClient, receiver: Receiver, web: Client
) -> None:
    answers = iter([500, 200])
    receiver.status = lambda event: next(answers)
    _customer(stripe_client)
    flushed = web.post("/_sandbox/flush").get_json()["attempts"]
    assert [status for _, status in flushed] == [500, 200]
    (listed,) = web.get("/_sandbox/events").get_json()
    (delivery,) = listed["deliveries"]
    assert delivery["state"] == "delivered"
    assert [attempt["status"] for attempt in delivery["attempts"]] == [500, 200]
    assert web.get("/_sandbox/state").get_json()["objects"] == {"customer": 1, "event": 1}
