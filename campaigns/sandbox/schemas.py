"""Allow-lists of the request parameters the sandbox supports, per endpoint.

Each key names the stripe SDK's request TypedDict under ``stripe.params`` that the endpoint
takes, so a test can check that every parameter listed here still exists in the SDK.
"""

from __future__ import annotations

from .params import Bool, Int, ListOf, Map, Obj, Range, Spec, Str

INTERVALS = ("day", "week", "month", "year")
EXPAND: dict[str, Spec] = {"expand": ListOf(Str())}
PAGE: dict[str, Spec] = {
    "limit": Int(minimum=1),
    "starting_after": Str(),
    "ending_before": Str(),
}


def _expand_only() -> Obj:
    return Obj(dict(EXPAND))


_RECURRING = Obj(
    {"interval": Str(INTERVALS), "interval_count": Int(minimum=1)}, frozenset({"interval"})
)

CHECKOUT_SESSION_CREATE = Obj(
    {
        **EXPAND,
        "mode": Str(("payment", "subscription")),
        "line_items": ListOf(
            Obj(
                {
                    "price": Str(),
                    "price_data": Obj(
                        {
                            "currency": Str(),
                            "unit_amount": Int(minimum=0),
                            "product": Str(),
                            "product_data": Obj(
                                {"name": Str(), "description": Str(), "metadata": Map()},
                                frozenset({"name"}),
                            ),
                            "recurring": _RECURRING,
                        },
                        frozenset({"currency", "unit_amount"}),
                    ),
                    "quantity": Int(minimum=1),
                },
                frozenset({"quantity"}),
            )
        ),
        "submit_type": Str(("auto", "book", "donate", "pay", "subscribe")),
        "customer": Str(),
        "customer_email": Str(),
        "customer_creation": Str(("always", "if_required")),
        "success_url": Str(),
        "cancel_url": Str(),
        "client_reference_id": Str(),
        "locale": Str(),
        "metadata": Map(),
        "payment_intent_data": Obj(
            {"metadata": Map(), "description": Str(), "receipt_email": Str()}
        ),
        "subscription_data": Obj({"metadata": Map(), "description": Str()}),
    },
    frozenset({"mode", "line_items"}),
)

SUBSCRIPTION_UPDATE = Obj(
    {
        **EXPAND,
        "cancel_at_period_end": Bool(),
        "metadata": Map(),
        "description": Str(),
        "proration_behavior": Str(("always_invoice", "create_prorations", "none")),
        "items": ListOf(
            Obj(
                {
                    "id": Str(),
                    "price": Str(),
                    "price_data": Obj(
                        {
                            "currency": Str(),
                            "product": Str(),
                            "unit_amount": Int(minimum=0),
                            "recurring": _RECURRING,
                        },
                        frozenset({"currency", "product", "recurring", "unit_amount"}),
                    ),
                    "quantity": Int(minimum=1),
                }
            )
        ),
    }
)

SCHEMAS: dict[str, Obj] = {
    "checkout.SessionCreateParams": CHECKOUT_SESSION_CREATE,
    "checkout.SessionRetrieveParams": _expand_only(),
    "checkout.SessionExpireParams": _expand_only(),
    "checkout.SessionLineItemListParams": Obj({**EXPAND, **PAGE}),
    "CustomerCreateParams": Obj(
        {**EXPAND, "email": Str(), "name": Str(), "description": Str(), "metadata": Map()}
    ),
    "CustomerRetrieveParams": _expand_only(),
    "PaymentIntentRetrieveParams": _expand_only(),
    "ChargeRetrieveParams": _expand_only(),
    "DisputeRetrieveParams": _expand_only(),
    "RefundCreateParams": Obj(
        {
            **EXPAND,
            "charge": Str(),
            "payment_intent": Str(),
            "amount": Int(minimum=1),
            "reason": Str(("duplicate", "fraudulent", "requested_by_customer")),
            "metadata": Map(),
        }
    ),
    "RefundRetrieveParams": _expand_only(),
    "SubscriptionRetrieveParams": _expand_only(),
    "SubscriptionUpdateParams": SUBSCRIPTION_UPDATE,
    "SubscriptionCancelParams": Obj(
        {**EXPAND, "cancellation_details": Obj({"comment": Str(), "feedback": Str()})}
    ),
    "InvoiceRetrieveParams": _expand_only(),
    "ProductRetrieveParams": _expand_only(),
    "PriceRetrieveParams": _expand_only(),
    "EventListParams": Obj(
        {
            **EXPAND,
            **PAGE,
            "type": Str(),
            "types": ListOf(Str()),
            "created": Range(),
            "delivery_success": Bool(),
        }
    ),
    "EventRetrieveParams": _expand_only(),
    "billing_portal.SessionCreateParams": Obj(
        {**EXPAND, "customer": Str(), "return_url": Str()}, frozenset({"customer"})
    ),
}
