"""Builders of Stripe-shaped JSON: customers, products, prices, Checkout Sessions, lists."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]

CHECKOUT_LIFETIME = 24 * 3600


def list_object(data: list[JSON], url: str, has_more: bool = False) -> JSON:
    return {"object": "list", "data": data, "has_more": has_more, "url": url}


def customer(
    customer_id: str,
    created: int,
    *,
    email: str | None,
    name: str | None,
    description: str | None = None,
    metadata: dict[str, str] | None = None,
) -> JSON:
    return {
        "id": customer_id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": created,
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": description,
        "discount": None,
        "email": email,
        "invoice_prefix": customer_id[-8:].upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": metadata or {},
        "name": name,
        "next_invoice_sequence": 1,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def product(
    product_id: str, created: int, name: str, description: str | None, metadata: dict[str, str]
) -> JSON:
    return {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": created,
        "default_price": None,
        "description": description,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": metadata,
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


def recurring(interval: str, interval_count: int) -> JSON:
    return {
        "interval": interval,
        "interval_count": interval_count,
        "meter": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def price(
    price_id: str,
    created: int,
    *,
    product_id: str,
    currency: str,
    unit_amount: int,
    interval: str | None,
    interval_count: int = 1,
) -> JSON:
    """A price made inline from ``price_data`` (Stripe keeps those inactive)."""
    return {
        "id": price_id,
        "object": "price",
        "active": False,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": None,
        "product": product_id,
        "recurring": recurring(interval, interval_count) if interval else None,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if interval else "one_time",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def plan(price_json: JSON) -> JSON:
    """The legacy ``plan`` twin of a recurring price, still sent on subscription items."""
    recurring_part = price_json["recurring"]
    return {
        "id": price_json["id"],
        "object": "plan",
        "active": price_json["active"],
        "amount": price_json["unit_amount"],
        "amount_decimal": price_json["unit_amount_decimal"],
        "billing_scheme": "per_unit",
        "created": price_json["created"],
        "currency": price_json["currency"],
        "interval": recurring_part["interval"],
        "interval_count": recurring_part["interval_count"],
        "livemode": False,
        "metadata": {},
        "meter": None,
        "nickname": None,
        "product": price_json["product"],
        "tiers_mode": None,
        "transform_usage": None,
        "trial_period_days": None,
        "usage_type": "licensed",
    }


def checkout_line_item(item_id: str, price_json: JSON, quantity: int, name: str) -> JSON:
    amount = price_json["unit_amount"] * quantity
    return {
        "id": item_id,
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": price_json["currency"],
        "description": name,
        "metadata": {},
        "price": price_json,
        "quantity": quantity,
    }


def checkout_session(
    session_id: str,
    created: int,
    *,
    mode: str,
    url: str,
    currency: str,
    amount: int,
    params: JSON,
) -> JSON:
    """A new, open Checkout Session built from the create parameters."""
    subscription_mode = mode == "subscription"
    customer_creation = None
    if not subscription_mode and not params.get("customer"):
        customer_creation = params.get("customer_creation", "if_required")
    invoice_creation = None
    if not subscription_mode:
        invoice_creation = {
            "enabled": False,
            "invoice_data": {
                "account_tax_ids": None,
                "custom_fields": None,
                "description": None,
                "footer": None,
                "issuer": None,
                "metadata": {},
                "rendering_options": None,
            },
        }
    return {
        "id": session_id,
        "object": "checkout.session",
        "adaptive_pricing": {"enabled": False},
        "after_expiration": None,
        "allow_promotion_codes": None,
        "amount_subtotal": amount,
        "amount_total": amount,
        "automatic_tax": {"enabled": False, "liability": None, "provider": None, "status": None},
        "billing_address_collection": None,
        "cancel_url": params.get("cancel_url"),
        "client_reference_id": params.get("client_reference_id"),
        "client_secret": None,
        "collected_information": None,
        "consent": None,
        "consent_collection": None,
        "created": created,
        "currency": currency,
        "currency_conversion": None,
        "custom_fields": [],
        "custom_text": {
            "after_submit": None,
            "shipping_address": None,
            "submit": None,
            "terms_of_service_acceptance": None,
        },
        "customer": params.get("customer"),
        "customer_creation": customer_creation,
        "customer_details": None,
        "customer_email": params.get("customer_email"),
        "discounts": [],
        "expires_at": created + CHECKOUT_LIFETIME,
        "invoice": None,
        "invoice_creation": invoice_creation,
        "livemode": False,
        "locale": params.get("locale"),
        "metadata": params.get("metadata", {}),
        "mode": mode,
        "payment_intent": None,
        "payment_link": None,
        "payment_method_collection": "always" if subscription_mode else "if_required",
        "payment_method_configuration_details": None,
        "payment_method_options": {"card": {"request_three_d_secure": "automatic"}},
        "payment_method_types": ["card"],
        "payment_status": "unpaid",
        "phone_number_collection": {"enabled": False},
        "recovered_from": None,
        "saved_payment_method_options": None,
        "setup_intent": None,
        "shipping_address_collection": None,
        "shipping_cost": None,
        "shipping_options": [],
        "status": "open",
        "submit_type": params.get("submit_type"),
        "subscription": None,
        "success_url": params.get("success_url"),
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "hosted_page",
        "url": url,
        "wallet_options": None,
    }


def customer_details(email: str, name: str) -> JSON:
    return {
        "address": {
            "city": None,
            "country": "US",
            "line1": None,
            "line2": None,
            "postal_code": None,
            "state": None,
        },
        "business_name": None,
        "email": email,
        "individual_name": None,
        "name": name,
        "phone": None,
        "tax_exempt": "none",
        "tax_ids": [],
    }


def billing_portal_session(
    session_id: str, created: int, *, customer_id: str, return_url: str | None, url: str
) -> JSON:
    return {
        "id": session_id,
        "object": "billing_portal.session",
        "configuration": "bpc_sandbox_default",
        "created": created,
        "customer": customer_id,
        "flow": None,
        "livemode": False,
        "locale": None,
        "on_behalf_of": None,
        "return_url": return_url,
        "url": url,
    }
