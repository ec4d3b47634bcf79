"""``POST /stripe/webhook``: the only way money enters the ledger."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from ..extensions import csrf
from ..payments.stripe_api import PaymentServiceError, SignatureVerificationError, verify_webhook
from ..payments.webhooks import apply_event

bp = Blueprint("webhooks", __name__)


@bp.post("/stripe/webhook")
def stripe_webhook() -> tuple[Response, int]:
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not secret:
        return jsonify(error="webhooks are not configured"), 503
    try:
        event = verify_webhook(request.get_data(), request.headers.get("Stripe-Signature"), secret)
    except (SignatureVerificationError, ValueError):
        return jsonify(error="invalid signature or payload"), 400
    try:
        outcome = apply_event(event)
    except PaymentServiceError:
        # Stripe retries a non-2xx delivery later, when the API may answer again.
        current_app.logger.warning("event %s deferred: Stripe API unreachable", event.get("id"))
        return jsonify(error="temporarily unable to process"), 503
    return jsonify(received=True, outcome=outcome), 200


# Stripe can't send a CSRF token; the signature authenticates the request instead.
csrf.exempt(stripe_webhook)
