"""Builders of Stripe-shaped JSON for money moving: payment intents, charges, refunds, disputes."""

from __future__ import annotations

from typing import Any

from .store import Card

JSON = dict[str, Any]

DISPUTE_RESPONSE_WINDOW = 7 * 24 * 3600


def card_details(card: Card) -> JSON:
    """``payment_method_details`` of a card charge."""
    return {
        "card": {
            "amount_authorized": None,
            "authorization_code": None,
            "brand": "visa",
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": None,
                "cvc_check": "pass",
            },
            "country": "US",
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "fingerprint": f"fp{card.number[-8:]}",
            "funding": "credit",
            "last4": card.last4,
            "network": "visa",
            "three_d_secure": None,
            "wallet": None,
        },
        "type": "card",
    }


def payment_intent(
    intent_id: str,
    created: int,
    *,
    amount: int,
    currency: str,
    customer: str | None,
    description: str | None,
    metadata: dict[str, str],
    receipt_email: str | None = None,
) -> JSON:
    """A payment intent waiting for a card."""
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": None,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": "automatic_async",
        "client_secret": f"{intent_id}_secret_{intent_id[-10:]}",
        "confirmation_method": "automatic",
        "created": created,
        "currency": currency,
        "customer": customer,
        "description": description,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": metadata,
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": ["card"],
        "processing": None,
        "receipt_email": receipt_email,
        "review": None,
        "setup_future_usage": None,
        "shipping": None,
        "source": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": None,
    }


def payment_error(decline_code: str, message: str, charge_id: str, card: Card) -> JSON:
    """``last_payment_error`` after a decline."""
    return {
        "charge": charge_id,
        "code": "card_declined",
        "decline_code": decline_code,
        "doc_url": "https://stripe.com/docs/error-codes/card-declined",
        "message": message,
        "param": None,
        "payment_method_type": "card",
        "type": "card_error",
    }


def charge(
    charge_id: str,
    created: int,
    *,
    intent: JSON,
    card: Card,
    decline_code: str | None = None,
    message: str | None = None,
) -> JSON:
    """The charge a payment intent made with ``card``: paid, or failed with ``decline_code``."""
    failed = decline_code is not None
    amount = intent["amount"]
    outcome: JSON = {
        "advice_code": None,
        "network_advice_code": None,
        "network_decline_code": None,
        "network_status": "declined_by_network" if failed else "approved_by_network",
        "reason": decline_code,
        "risk_level": "normal",
        "risk_score": 32,
        "seller_message": "The bank did not return any further details with this decline."
        if failed
        else "Payment complete.",
        "type": "issuer_declined" if failed else "authorized",
    }
    return {
        "id": charge_id,
        "object": "charge",
        "amount": amount,
        "amount_captured": 0 if failed else amount,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": None if failed else f"txn_{charge_id[3:]}",
        "billing_details": {
            "address": {
                "city": None,
                "country": None,
                "line1": None,
                "line2": None,
                "postal_code": None,
                "state": None,
            },
            "email": card.email,
            "name": card.name,
            "phone": None,
            "tax_id": None,
        },
        "calculated_statement_descriptor": "CAMPAIGNS SANDBOX",
        "captured": not failed,
        "created": created,
        "currency": intent["currency"],
        "customer": intent["customer"],
        "description": intent["description"],
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": "card_declined" if failed else None,
        "failure_message": message,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(intent["metadata"]),
        "on_behalf_of": None,
        "outcome": outcome,
        "paid": not failed,
        "payment_intent": intent["id"],
        "payment_method": card.payment_method,
        "payment_method_details": card_details(card),
        "receipt_email": intent["receipt_email"],
        "receipt_number": None,
        "receipt_url": None if failed else f"https://pay.stripe.com/receipts/sandbox/{charge_id}",
        "refunded": False,
        "review": None,
        "shipping": None,
        "source": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "failed" if failed else "succeeded",
        "transfer_data": None,
        "transfer_group": None,
    }


def refund(
    refund_id: str,
    created: int,
    *,
    charge_json: JSON,
    amount: int,
    reason: str | None,
    metadata: dict[str, str],
) -> JSON:
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": f"txn_{refund_id[3:]}",
        "charge": charge_json["id"],
        "created": created,
        "currency": charge_json["currency"],
        "destination_details": {
            "card": {
                "reference": None,
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": metadata,
        "payment_intent": charge_json["payment_intent"],
        "reason": reason,
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }


def dispute(dispute_id: str, created: int, *, charge_json: JSON, reason: str) -> JSON:
    """A dispute the cardholder's bank just opened, waiting for evidence."""
    evidence: JSON = {
        name: None
        for name in (
            "access_activity_log",
            "billing_address",
            "cancellation_policy",
            "cancellation_policy_disclosure",
            "cancellation_rebuttal",
            "customer_communication",
            "customer_email_address",
            "customer_name",
            "customer_purchase_ip",
            "customer_signature",
            "duplicate_charge_documentation",
            "duplicate_charge_explanation",
            "duplicate_charge_id",
            "product_description",
            "receipt",
            "refund_policy",
            "refund_policy_disclosure",
            "refund_refusal_explanation",
            "service_date",
            "service_documentation",
            "shipping_address",
            "shipping_carrier",
            "shipping_date",
            "shipping_documentation",
            "shipping_tracking_number",
            "uncategorized_file",
            "uncategorized_text",
        )
    }
    evidence["enhanced_evidence"] = {}
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": charge_json["amount"],
        "balance_transactions": [],
        "charge": charge_json["id"],
        "created": created,
        "currency": charge_json["currency"],
        "enhanced_eligibility_types": [],
        "evidence": evidence,
        "evidence_details": {
            "due_by": created + DISPUTE_RESPONSE_WINDOW,
            "enhanced_eligibility": {},
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
            "submission_method": "not_submitted",
        },
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "network_reason_code": "10.4",
        "payment_intent": charge_json["payment_intent"],
        "payment_method_details": {
            "card": {
                "brand": "visa",
                "case_type": "chargeback",
                "network": "visa",
                "network_reason_code": "10.4",
            },
            "type": "card",
        },
        "reason": reason,
        "status": "needs_response",
    }
