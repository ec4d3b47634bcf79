"""The customer portal: ``POST /v1/billing_portal/sessions`` and a page to change or cancel gifts.

It behaves like a portal configured to cancel at the end of the period and to apply a new amount
from the next period on (no prorations).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, redirect, render_template_string, request
from werkzeug.wrappers import Response

from . import billing, objects, pages
from .amounts import format_amount, parse_amount
from .checkout_page import message_page
from .endpoint import current_store, endpoint
from .errors import StripeError
from .expand import render
from .store import Store

JSON = dict[str, Any]
portal_api = Blueprint("billing_portal_api", __name__, url_prefix="/v1")
portal_page = Blueprint("billing_portal_page", __name__)


@portal_api.post("/billing_portal/sessions")
@endpoint("billing_portal.SessionCreateParams")
def create_portal_session(params: JSON) -> JSON:
    store = current_store()
    customer = store.require(params["customer"], "customer", "customer", "customer")
    session_id = store.new_id("bps")
    public_url = current_app.extensions["stripe_sandbox"].public_url
    session = objects.billing_portal_session(
        session_id,
        store.clock.now(),
        customer_id=customer["id"],
        return_url=params.get("return_url"),
        url=f"{public_url}/billing_portal/{session_id}",
    )
    return render(store, store.add(session), params.get("expand"))


def _gifts(store: Store, session: JSON) -> list[JSON]:
    gifts = []
    for sub in store.objects.values():
        if sub["object"] != "subscription" or sub["customer"] != session["customer"]:
            continue
        if sub["status"] not in billing.RENEWING:
            continue
        item = sub["items"]["data"][0]
        price = item["price"]
        product = store.objects.get(price["product"], {})
        end = datetime.fromtimestamp(item["current_period_end"], UTC).strftime("%d %B %Y")
        if sub["cancel_at_period_end"]:
            status_text = f"Ends on {end}; nothing more will be charged."
        elif sub["status"] == "past_due":
            status_text = "The last payment failed."
        else:
            status_text = f"Next payment on {end}."
        gifts.append(
            {
                "id": sub["id"],
                "name": product.get("name", "Gift"),
                "amount": format_amount(price["unit_amount"] * item["quantity"], price["currency"]),
                "currency": price["currency"].upper(),
                "interval": price["recurring"]["interval"],
                "status_text": status_text,
                "canceling": sub["cancel_at_period_end"],
                "change_url": f"/billing_portal/{session['id']}/subscriptions/{sub['id']}/amount",
                "cancel_url": f"/billing_portal/{session['id']}/subscriptions/{sub['id']}/cancel",
            }
        )
    return gifts


def _render(session: JSON, errors: dict[str, str], status: int) -> Response:
    store = current_store()
    customer = store.objects[session["customer"]]
    html = render_template_string(
        pages.PORTAL,
        title="Manage your gifts",
        style=pages.STYLE,
        back_url=session["return_url"],
        email=customer["email"],
        gifts=_gifts(store, session),
        values=dict(request.form) if request.method == "POST" else {},
        errors=errors,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _find(session_id: str, subscription_id: str | None = None) -> tuple[JSON, JSON | None]:
    store = current_store()
    session = store.get(session_id, "billing_portal.session")
    if session is None:
        raise StripeError("There is no such portal session.", status=404)
    if subscription_id is None:
        return session, None
    sub = store.get(subscription_id, "subscription")
    if sub is None or sub["customer"] != session["customer"]:
        raise StripeError("There is no such gift.", status=404)
    return session, sub


@portal_page.get("/billing_portal/<session_id>")
def show(session_id: str) -> Response:
    with current_store().lock:
        try:
            session, _ = _find(session_id)
        except StripeError as error:
            return message_page("Page not found", error.message, 404)
        return _render(session, {}, 200)


@portal_page.post("/billing_portal/<session_id>/subscriptions/<subscription_id>/<action>")
def change(session_id: str, subscription_id: str, action: str) -> Response:
    store = current_store()
    with store.transaction():
        try:
            session, sub = _find(session_id, subscription_id)
        except StripeError as error:
            return message_page("Page not found", error.message, 404)
        assert sub is not None
        if action == "cancel":
            billing.update(store, sub, {"cancel_at_period_end": not request.form.get("keep")})
        elif action == "amount":
            item = sub["items"]["data"][0]
            field = f"amount-{sub['id']}"
            amount = parse_amount(request.form.get(field, ""), sub["currency"])
            if amount is None:
                message = "Enter an amount greater than zero, such as 15 or 15.50."
                return _render(session, {field: message}, 200)
            recurring = item["price"]["recurring"]
            price_data = {
                "currency": sub["currency"],
                "product": item["price"]["product"],
                "unit_amount": amount,
                "recurring": {
                    "interval": recurring["interval"],
                    "interval_count": recurring["interval_count"],
                },
            }
            billing.update(
                store,
                sub,
                {
                    "items": [{"id": item["id"], "price_data": price_data}],
                    "proration_behavior": "none",
                },
            )
        else:
            return message_page("Page not found", "There is no such action.", 404)
    response: Response = redirect(f"/billing_portal/{session_id}", 303)
    return response
