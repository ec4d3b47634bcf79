"""Stripe's test cards and the checks the hosted page makes on what people type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True)
class Behaviour:
    """What happens when a test card is charged."""

    decline_code: str | None = None  # set: the first charge is declined with this code
    message: str | None = None
    disputes: bool = False  # the first charge succeeds, then the cardholder disputes it
    fails_later: bool = False  # the first charge succeeds, every later charge is declined


DECLINED = "Your card was declined."
TEST_CARDS: dict[str, Behaviour] = {
    "4242424242424242": Behaviour(),
    "4000000000000002": Behaviour(decline_code="generic_decline", message=DECLINED),
    "4000000000009995": Behaviour(
        decline_code="insufficient_funds", message="Your card has insufficient funds."
    ),
    "4000000000000259": Behaviour(disputes=True),
    "4000000000000341": Behaviour(fails_later=True),
}


@dataclass(frozen=True)
class CardForm:
    """The hosted page's fields once they pass the checks."""

    number: str
    exp_month: int
    exp_year: int
    email: str
    name: str

    @property
    def behaviour(self) -> Behaviour:
        return TEST_CARDS[self.number]


def read_card_form(form: dict[str, str], now: int) -> tuple[CardForm | None, dict[str, str]]:
    """The card in ``form``, or the error to show beside each field that is wrong."""
    errors: dict[str, str] = {}
    email = form.get("email", "").strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        errors["email"] = "Your email address is incomplete."
    number = re.sub(r"[\s-]", "", form.get("cardNumber", ""))
    if number not in TEST_CARDS:
        errors["cardNumber"] = "Your card number is invalid."
    exp_month, exp_year = _read_expiry(form.get("cardExpiry", ""))
    if exp_month is None or exp_year is None:
        errors["cardExpiry"] = "Your card's expiration date is incomplete."
    elif _expired(exp_month, exp_year, now):
        errors["cardExpiry"] = "Your card's expiration date is in the past."
    if not re.fullmatch(r"\d{3,4}", form.get("cardCvc", "").strip()):
        errors["cardCvc"] = "Your card's security code is incomplete."
    name = " ".join(form.get("billingName", "").split())
    if not name:
        errors["billingName"] = "Enter the name on your card."
    if errors or exp_month is None or exp_year is None:
        return None, errors
    return CardForm(number, exp_month, exp_year, email, name), {}


def _read_expiry(text: str) -> tuple[int | None, int | None]:
    match = re.fullmatch(r"\s*(\d{1,2})\s*/?\s*(\d{2}|\d{4})\s*", text)
    if match is None:
        return None, None
    month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None, None
    return month, year + 2000 if year < 100 else year


def _expired(month: int, year: int, now: int) -> bool:
    today = datetime.fromtimestamp(now, UTC)
    return (year, month) < (today.year, today.month)
