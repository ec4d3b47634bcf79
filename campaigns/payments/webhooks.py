"""Stripe events in: a verified event is stored in the inbox, and the worker applies it."""

from __future__ import annotations

from .events import InvalidEvent, parse_event
from .inbox import Stored, store_event
from .stripe_api import SignatureVerificationError, verify_webhook


class RejectedWebhook(ValueError):
    """A delivery that isn't a signed Stripe event: answered 400, stored nowhere."""


def receive_webhook(payload: bytes, signature: str | None, secret: str) -> Stored:
    """Verify the signature and store the event under its id: one INSERT, no handler work."""
    try:
        event = parse_event(verify_webhook(payload, signature, secret))
    except (SignatureVerificationError, InvalidEvent, ValueError) as exc:
        raise RejectedWebhook(str(exc)) from exc
    return store_event(event, payload.decode("utf-8"), via="webhook")
