"""Amounts in minor units, shown and read the way people write them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

ZERO_DECIMAL = frozenset(
    {
        "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
        "pyg", "rwf", "vnd", "vuv", "xaf", "xof", "xpf",
    }
)  # fmt: skip
THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$", "jpy": "¥"}


def places(currency: str) -> int:
    """Decimal places of one major unit, as Stripe counts them."""
    code = currency.lower()
    return 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2


def format_amount(minor: int, currency: str) -> str:
    """``2500, "usd"`` -> ``$25.00``; currencies without a symbol here get their code after."""
    number = f"{minor / 10 ** places(currency):,.{places(currency)}f}"
    symbol = SYMBOLS.get(currency.lower())
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


def parse_amount(text: str, currency: str) -> int | None:
    """``"15.50"`` -> ``1550``; None unless it is a positive amount in whole minor units."""
    try:
        amount = Decimal(text.strip().lstrip("$€£¥").replace(",", ""))
    except InvalidOperation:
        return None
    minor = amount.scaleb(places(currency))
    if not amount.is_finite() or amount <= 0 or minor != minor.to_integral_value():
        return None
    return int(minor)
