"""Money as integer minor units plus a lowercase ISO 4217 code: parsing and formatting."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision, list_currencies

# Currencies whose minor unit Stripe counts differently from ISO 4217: Stripe treats these
# as two-decimal for API amounts even though ISO says zero (see Stripe's currency docs).
_STRIPE_EXPONENT_OVERRIDES = {"isk": 2, "ugx": 2}

_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_CURRENCY_SIGNS = "$€£¥₹₩₽₪₫₴₦₱₲₵₡₭₮₸฿"


class AmountError(ValueError):
    """An amount someone typed could not be understood as money."""


def is_known_currency(code: str) -> bool:
    """Whether ``code`` is an ISO 4217 currency (any case)."""
    return code.upper() in list_currencies() and len(code) == 3


def normalize_currency(code: str) -> str:
    """Return the lowercase code, as Stripe writes it, or raise ``AmountError``."""
    cleaned = code.strip()
    if not is_known_currency(cleaned):
        raise AmountError(f"unknown currency {code!r}: use an ISO 4217 code such as usd or eur")
    return cleaned.lower()


def exponent(currency: str) -> int:
    """Number of decimal places in one major unit of ``currency``."""
    code = currency.lower()
    if code in _STRIPE_EXPONENT_OVERRIDES:
        return _STRIPE_EXPONENT_OVERRIDES[code]
    return int(get_currency_precision(code.upper()))


def to_minor(amount: Decimal, currency: str) -> int:
    """Convert an exact major-unit amount to minor units, refusing sub-minor precision."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        places = exponent(currency)
        raise AmountError(
            f"use at most {places} decimal places" if places else "use a whole amount"
        )
    return int(scaled)


def to_major(minor: int, currency: str) -> Decimal:
    """Convert minor units back to an exact ``Decimal`` of major units."""
    return Decimal(minor).scaleb(-exponent(currency))


def major_text(minor: int, currency: str) -> str:
    """Minor units as a plain number for a form field or link: 2500 -> "25", 2550 -> "25.50"."""
    value = to_major(minor, currency)
    return str(int(value)) if value == value.to_integral_value() else f"{value:f}"


def parse_amount(text: str, currency: str) -> int:
    """Read an amount as people type it ("25", "25.5", "1,000", "$25") into minor units.

    Only positive amounts are accepted; limits beyond that are the caller's business.
    """
    cleaned = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    cleaned = cleaned.lstrip(_CURRENCY_SIGNS)
    if cleaned.upper().startswith(currency.upper()):
        cleaned = cleaned[len(currency) :]
    if not cleaned:
        raise AmountError("enter an amount")
    if cleaned.startswith("-"):
        raise AmountError("enter an amount greater than zero")
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise AmountError("enter an amount as a number, such as 25 or 25.50")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the regex already rules this out
        raise AmountError("enter an amount as a number, such as 25 or 25.50") from exc
    minor = to_minor(value, currency)
    if minor <= 0:
        raise AmountError("enter an amount greater than zero")
    return minor


def format_money(
    minor: int, currency: str, locale: str = "en_US", *, drop_zero_cents: bool = False
) -> str:
    """Format minor units for people, e.g. ``format_money(2575, "usd") == "$25.75"``."""
    value = to_major(minor, currency)
    code = currency.upper()
    if drop_zero_cents and value == value.to_integral_value():
        return str(
            format_currency(value, code, format="¤#,##0", locale=locale, currency_digits=False)
        )
    return str(format_currency(value, code, locale=locale))
