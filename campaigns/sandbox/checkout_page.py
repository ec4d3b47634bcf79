"""The hosted Checkout page: ``GET`` shows the form, ``POST`` pays with a test card."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template_string, request
from werkzeug.wrappers import Response

from . import pages
from .amounts import format_amount
from .cards import read_card_form
from .checkout import complete_session
from .endpoint import current_store

JSON = dict[str, Any]
checkout_page = Blueprint("checkout_page", __name__)
BUTTONS = {"pay": "Pay", "book": "Book", "subscribe": "Subscribe"}
INTERVAL_NAMES = {"day": "day", "week": "week", "month": "month", "year": "year"}


def message_page(heading: str, message: str, status: int, link: str | None = None) -> Response:
    html = render_template_string(
        pages.MESSAGE,
        title=heading,
        style=pages.STYLE,
        heading=heading,
        message=message,
        link=link,
        link_text="Return to the site",
        back_url=None,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _interval(price: JSON) -> str | None:
    recurring = price["recurring"]
    if recurring is None:
        return None
    name = INTERVAL_NAMES.get(recurring["interval"], recurring["interval"])
    count = recurring["interval_count"]
    return name if count == 1 else f"{count} {name}s"


def _render(
    session: JSON, values: dict[str, str], errors: dict[str, str], error: str | None, status: int
) -> Response:
    items = current_store().session_items[session["id"]]
    currency = session["currency"]
    html = render_template_string(
        pages.CHECKOUT,
        title=f"Checkout: {items[0]['description']}",
        style=pages.STYLE,
        back_url=session["cancel_url"],
        heading=", ".join(item["description"] for item in items),
        amount=format_amount(session["amount_total"], currency),
        interval=_interval(items[0]["price"]),
        lines=[
            {
                "name": item["description"],
                "amount": format_amount(item["amount_total"], currency),
            }
            for item in items
        ],
        button=BUTTONS.get(session["submit_type"] or "", "Donate"),
        values=values,
        errors=errors,
        error=error,
    )
    return Response(html, status=status, content_type="text/html; charset=utf-8")


def _closed(session: JSON) -> Response:
    if session["status"] == "complete":
        return message_page(
            "Payment complete", "This Checkout Session is paid. Thank you!", 200, _success(session)
        )
    return message_page(
        "Session expired",
        "This Checkout Session has expired. Please go back and start again.",
        410,
        session["cancel_url"],
    )


def _success(session: JSON) -> str | None:
    url = session["success_url"]
    return url.replace("{CHECKOUT_SESSION_ID}", session["id"]) if url else None


def _prefill(session: JSON) -> dict[str, str]:
    email = session["customer_email"]
    if session["customer"]:
        email = current_store().objects[session["customer"]]["email"] or email
    return {"email": email or ""}


@checkout_page.get("/checkout/<session_id>")
def show(session_id: str) -> Response:
    with current_store().lock:
        session = current_store().get(session_id, "checkout.session")
        if session is None:
            return message_page("Page not found", "There is no such Checkout Session.", 404)
        if session["status"] != "open":
            return _closed(session)
        return _render(session, _prefill(session), {}, None, 200)


@checkout_page.post("/checkout/<session_id>")
def pay(session_id: str) -> Response:
    store = current_store()
    typed = {key: request.form.get(key, "") for key in ("email", "billingName")}
    with store.transaction():
        session = store.get(session_id, "checkout.session")
        if session is None:
            return message_page("Page not found", "There is no such Checkout Session.", 404)
        if session["status"] != "open":
            return _closed(session)
        form, errors = read_card_form(request.form.to_dict(), store.clock.now())
        # The form comes back with 200, as Checkout's own page does, so browsers log no error.
        if form is None:
            return _render(session, typed, errors, None, 200)
        declined = complete_session(store, session, form)
        if declined is not None:
            return _render(session, typed, {}, declined, 200)
        target = _success(session)
        if target is None:  # no success_url: Stripe shows its own confirmation
            return _closed(session)
    response: Response = redirect(target, 303)
    return response
