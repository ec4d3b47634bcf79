"""``/_sandbox/``: move the clock, refund, dispute, break webhooks on purpose, look inside."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request
from werkzeug.wrappers import Response

from . import payments
from .clock import DAY
from .errors import StripeError, invalid
from .expand import render
from .webhooks import Faults

JSON = dict[str, Any]
control = Blueprint("sandbox_control", __name__, url_prefix="/_sandbox")
LOOPBACK = {"127.0.0.1", "::1", "localhost", None}  # None: called in-process, not over a socket


def _sandbox() -> Any:
    return current_app.extensions["stripe_sandbox"]


def _body() -> JSON:
    body = request.get_json(silent=True)
    if body is None and request.content_length:
        raise invalid("Send a JSON object.")
    if body is not None and not isinstance(body, dict):
        raise invalid("Send a JSON object.")
    return body or {}


def _int(body: JSON, name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(f"{name} must be an integer", name)
    return value


@control.before_request
def loopback_only() -> None:
    if request.remote_addr not in LOOPBACK:
        abort(403)


@control.errorhandler(StripeError)
def stripe_error(error: StripeError) -> tuple[JSON, int]:
    return error.body(), error.status


@control.post("/clock/advance")
def advance_clock() -> JSON:
    body = _body()
    seconds = (_int(body, "seconds") or 0) + (_int(body, "days") or 0) * DAY
    if seconds < 0:
        raise invalid("The sandbox clock only moves forward.", "seconds")
    sandbox = _sandbox()
    with sandbox.store.transaction():  # one batch of events for the whole move
        before = sandbox.renewals
        now = sandbox.clock.advance(seconds)
        return {"now": now, "renewals": sandbox.renewals - before}


@control.post("/refund")
def refund() -> JSON:
    body = _body()
    store = _sandbox().store
    with store.transaction():
        charge = payments.charge_to_refund(store, body.get("charge"), body.get("payment_intent"))
        created = payments.refund(store, charge, amount=_int(body, "amount"))
        return render(store, created)


@control.post("/dispute")
def dispute() -> JSON:
    body = _body()
    store = _sandbox().store
    with store.transaction():
        charge = store.require(str(body.get("charge", "")), "charge", "charge", "charge")
        created = payments.open_dispute(store, charge, str(body.get("reason", "fraudulent")))
        return render(store, created)


@control.post("/disputes/<dispute_id>/close")
def close_dispute(dispute_id: str) -> JSON:
    body = _body()
    store = _sandbox().store
    with store.transaction():
        found = store.require(dispute_id, "dispute", "dispute")
        return render(store, payments.close_dispute(store, found, str(body.get("status", ""))))


@control.post("/faults")
def set_faults() -> JSON:
    body = _body()
    known = set(Faults.__dataclass_fields__)
    unknown = set(body) - known
    if unknown:
        raise invalid(f"Unknown faults: {', '.join(sorted(unknown))}", sorted(unknown)[0])
    faults = Faults(
        duplicate=_int(body, "duplicate") or 0,
        reorder=bool(body.get("reorder", False)),
        delay_seconds=_int(body, "delay_seconds") or 0,
        stale_signature=bool(body.get("stale_signature", False)),
        drop=bool(body.get("drop", False)),
        fail_deliveries=_int(body, "fail_deliveries") or 0,
    )
    _sandbox().dispatcher.set_faults(faults)
    return {"faults": vars(faults)}


@control.delete("/faults")
def clear_faults() -> JSON:
    _sandbox().dispatcher.set_faults(Faults())
    return {"faults": vars(Faults())}


@control.get("/events")
def events() -> Response:
    sandbox = _sandbox()
    deliveries: dict[str, list[JSON]] = {}
    for delivery in sandbox.dispatcher.report():
        deliveries.setdefault(delivery["event"], []).append(delivery)
    with sandbox.store.lock:
        listed = [
            {
                "id": event["id"],
                "type": event["type"],
                "created": event["created"],
                "deliveries": deliveries.get(event["id"], []),
            }
            for event in sandbox.store.events
        ]
    return jsonify(listed)


@control.post("/flush")
def flush() -> JSON:
    attempts = _sandbox().flush_webhooks()
    return {"attempts": [[event_id, status] for event_id, status in attempts]}


@control.get("/state")
def state() -> JSON:
    sandbox = _sandbox()
    return {"now": sandbox.clock.now(), "objects": sandbox.store.counts()}
