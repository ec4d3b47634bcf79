"""The processing fee a donor may choose to cover."""

from __future__ import annotations

from ..models import Campaign

BASIS_POINTS = 10_000


def fee_to_cover(amount: int, basis_points: int, fixed: int) -> int:
    """The smallest extra charge after which the processor's cut leaves ``amount`` in full.

    Stripe takes ``rate * total + fixed`` from the total, so the total must be
    ``(amount + fixed) / (1 - rate)``, rounded up to a whole minor unit.
    """
    numerator = (amount + fixed) * BASIS_POINTS
    denominator = BASIS_POINTS - basis_points
    total = -(-numerator // denominator)
    return total - amount


def campaign_fee(campaign: Campaign, amount: int) -> int:
    return fee_to_cover(amount, campaign.fee_basis_points, campaign.fee_fixed_amount)
