"""``POST /stripe/webhook``: the only way money enters the ledger.

The event is stored in the inbox and acknowledged at once; the worker applies it. Stripe
asks for exactly that: answer fast, process asynchronously.
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.wrappers import Response

from ..extensions import csrf
from ..payments.webhooks import RejectedWebhook, receive_webhook

bp = Blueprint("webhooks", __name__)


@bp.post("/stripe/webhook")
def stripe_webhook() -> tuple[Response, int]:
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    if not secret:
        return jsonify(error="webhooks are not configured"), 503
    try:  # the request's unit of work commits the one INSERT after this returns
        outcome = receive_webhook(
            request.get_data(), request.headers.get("Stripe-Signature"), secret
        )
    except RejectedWebhook:
        return jsonify(error="invalid signature or payload"), 400
    return jsonify(received=True, outcome=outcome), 200


# Stripe can't send a CSRF token; the signature authenticates the request instead.
csrf.exempt(stripe_webhook)
