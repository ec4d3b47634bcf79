"""A donor changing their monthly gift: the request goes to Stripe, the result comes back.

Nothing here changes the local ``RecurringGift``: Stripe's ``customer.subscription.updated``
(or ``deleted``) webhook does, through the ledger, like every other change.
"""

from __future__ import annotations

from ..errors import ValidationError
from ..models import RecurringGift
from ..money import format_money
from . import stripe_api


def _check_open(gift: RecurringGift) -> None:
    if not gift.status.is_open:
        raise ValidationError({"gift": "this monthly gift has ended"})


def change_monthly_amount(gift: RecurringGift, amount: int) -> None:
    """Charge ``amount`` from the next payment on, within the campaign's limits."""
    _check_open(gift)
    campaign = gift.campaign
    low, high = campaign.min_amount, campaign.max_amount
    if not low <= amount <= high:
        raise ValidationError(
            {
                "amount": f"enter an amount from {format_money(low, gift.currency)} "
                f"to {format_money(high, gift.currency)}"
            }
        )
    if amount == gift.amount:
        return
    stripe_api.change_subscription_amount(gift.stripe_subscription_id, amount)


def cancel_monthly_gift(gift: RecurringGift, *, keep: bool = False) -> None:
    """Stop after the month already paid for; ``keep`` undoes that before the month ends."""
    _check_open(gift)
    stripe_api.set_cancel_at_period_end(gift.stripe_subscription_id, not keep)


def card_update_url(gift: RecurringGift, return_url: str) -> str:
    """Stripe's page where the donor replaces the card behind this gift."""
    _check_open(gift)
    return stripe_api.billing_portal_url(gift.stripe_subscription_id, return_url)
