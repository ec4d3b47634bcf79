from decimal import Decimal

import pytest

from campaigns.money import (
    AmountError,
    exponent,
    format_money,
    normalize_currency,
    parse_amount,
    to_major,
)


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("25", 2500),
        ("25.5", 2550),
        ("25.50", 2550),
        ("1,000", 100000),
        ("$25", 2500),
        (" 1,234,567.89 ", 123456789),
        ("USD 40", 4000),
        ("0.01", 1),
    ],
)
def test_parse_amount_reads_what_people_type(typed: str, minor: int) -> None:
    assert parse_amount(typed, "usd") == minor


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "greater than zero"),
        ("-5", "greater than zero"),
        ("0.001", "at most 2 decimal places"),
        ("1e12", "as a number"),
        ("abc", "as a number"),
        ("", "enter an amount"),
        ("1,00", "as a number"),
        ("12.", "as a number"),
        ("NaN", "as a number"),
        ("Infinity", "as a number"),
    ],
)
def test_parse_amount_refuses_what_is_not_money(typed: str, message: str) -> None:
    with pytest.raises(AmountError, match=message):
        parse_amount(typed, "usd")


def test_zero_decimal_currencies_take_whole_amounts() -> None:
    assert exponent("jpy") == 0
    assert parse_amount("5000", "jpy") == 5000
    with pytest.raises(AmountError, match="whole amount"):
        parse_amount("50.5", "jpy")


def test_three_decimal_currencies() -> None:
    assert parse_amount("1.234", "bhd") == 1234
    assert to_major(1234, "bhd") == Decimal("1.234")


def test_format_money_uses_babel_for_the_currency_and_locale() -> None:
    assert format_money(2575, "usd") == "$25.75"
    assert format_money(5_000_000, "usd", drop_zero_cents=True) == "$50,000"
    assert format_money(5_000_050, "usd", drop_zero_cents=True) == "$50,000.50"
    assert format_money(5_000_000, "eur", "de_DE") == "50.000,00\xa0€"
    assert format_money(500, "jpy") == "¥500"


def test_normalize_currency() -> None:
    assert normalize_currency(" USD ") == "usd"
    for bad in ("xyz", "dollars", "", "us"):
        with pytest.raises(AmountError, match="unknown currency"):
            normalize_currency(bad)
