"""Builders of Stripe-shaped JSON for recurring gifts: subscriptions, invoices, invoice payments."""

from __future__ import annotations

from typing import Any

from .objects import list_object, plan

JSON = dict[str, Any]


def subscription_item(
    item_id: str,
    created: int,
    *,
    subscription_id: str,
    price_json: JSON,
    quantity: int,
    period_start: int,
    period_end: int,
) -> JSON:
    return {
        "id": item_id,
        "object": "subscription_item",
        "billing_thresholds": None,
        "created": created,
        "current_period_end": period_end,
        "current_period_start": period_start,
        "discounts": [],
        "metadata": {},
        "plan": plan(price_json),
        "price": price_json,
        "quantity": quantity,
        "subscription": subscription_id,
        "tax_rates": [],
    }


def subscription(
    subscription_id: str,
    created: int,
    *,
    customer_id: str,
    item: JSON,
    payment_method: str,
    description: str | None,
    metadata: dict[str, str],
) -> JSON:
    """An active subscription with one item, anchored at ``created``."""
    return {
        "id": subscription_id,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": created,
        "billing_cycle_anchor_config": None,
        "billing_mode": {
            "flexible": {"proration_discounts": "included"},
            "type": "flexible",
            "updated_at": None,
        },
        "billing_schedules": [],
        "billing_thresholds": None,
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"comment": None, "feedback": None, "reason": None},
        "collection_method": "charge_automatically",
        "created": created,
        "currency": item["price"]["currency"],
        "customer": customer_id,
        "days_until_due": None,
        "default_payment_method": payment_method,
        "default_source": None,
        "default_tax_rates": [],
        "description": description,
        "discounts": [],
        "ended_at": None,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": list_object([item], f"/v1/subscription_items?subscription={subscription_id}"),
        "latest_invoice": None,
        "livemode": False,
        "metadata": metadata,
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "off",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": created,
        "status": "active",
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def invoice_line(
    line_id: str,
    *,
    invoice_id: str,
    item: JSON,
    amount: int,
    description: str,
    period_start: int,
    period_end: int,
    proration: bool = False,
    metadata: dict[str, str] | None = None,
) -> JSON:
    """One line of a subscription invoice, for ``item``'s price over a period."""
    price_json = item["price"]
    return {
        "id": line_id,
        "object": "line_item",
        "amount": amount,
        "currency": price_json["currency"],
        "description": description,
        "discount_amounts": [],
        "discountable": not proration,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": metadata or {},
        "parent": {
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": proration,
                "proration_details": {"credited_items": None},
                "subscription": item["subscription"],
                "subscription_item": item["id"],
            },
            "type": "subscription_item_details",
        },
        "period": {"end": period_end, "start": period_start},
        "pretax_credit_amounts": [],
        "pricing": {
            "price_details": {"price": price_json["id"], "product": price_json["product"]},
            "type": "price_details",
            "unit_amount_decimal": price_json["unit_amount_decimal"],
        },
        "quantity": item["quantity"],
        "subtotal": amount,
        "taxes": [],
    }


def invoice(
    invoice_id: str,
    created: int,
    *,
    customer_json: JSON,
    subscription_json: JSON,
    lines: list[JSON],
    billing_reason: str,
    number: str,
    period_start: int,
    period_end: int,
) -> JSON:
    """A finalized subscription invoice, open until it is paid."""
    total = sum(line["amount"] for line in lines)
    due = max(total, 0)  # a credit larger than the charges goes to the customer's balance
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "account_name": "Campaigns sandbox",
        "account_tax_ids": None,
        "amount_due": due,
        "amount_overpaid": 0,
        "amount_paid": 0,
        "amount_remaining": due,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 0,
        "attempted": False,
        "auto_advance": True,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": None,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": created,
        "currency": subscription_json["currency"],
        "custom_fields": None,
        "customer": customer_json["id"],
        "customer_address": None,
        "customer_email": customer_json["email"],
        "customer_name": customer_json["name"],
        "customer_phone": None,
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": created,
        "ending_balance": total - due,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/sandbox/{invoice_id}",
        "invoice_pdf": f"https://pay.stripe.com/invoice/sandbox/{invoice_id}/pdf",
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": list_object(lines, f"/v1/invoices/{invoice_id}/lines"),
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": number,
        "on_behalf_of": None,
        "parent": {
            "quote_details": None,
            "subscription_details": {
                "metadata": dict(subscription_json["metadata"]),
                "subscription": subscription_json["id"],
            },
            "type": "subscription_details",
        },
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": period_end,
        "period_start": period_start,
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": "open",
        "status_transitions": {
            "finalized_at": created,
            "marked_uncollectible_at": None,
            "paid_at": None,
            "voided_at": None,
        },
        "subtotal": total,
        "subtotal_excluding_tax": total,
        "test_clock": None,
        "total": total,
        "total_discount_amounts": [],
        "total_excluding_tax": total,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": created,
    }


def invoice_payment(
    payment_id: str, created: int, *, invoice_json: JSON, intent_id: str, paid: bool
) -> JSON:
    """The link from an invoice to the payment intent that paid (or tried to pay) it."""
    return {
        "id": payment_id,
        "object": "invoice_payment",
        "amount_paid": invoice_json["amount_due"] if paid else None,
        "amount_requested": invoice_json["amount_due"],
        "created": created,
        "currency": invoice_json["currency"],
        "invoice": invoice_json["id"],
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": intent_id, "type": "payment_intent"},
        "status": "paid" if paid else "open",
        "status_transitions": {"canceled_at": None, "paid_at": created if paid else None},
    }
