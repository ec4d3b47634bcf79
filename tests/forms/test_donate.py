"""The donate form: what donors type is checked, and nothing is written or sent for bad input."""

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from campaigns.models import Donation, Donor
from tests.web.forms import submit

URL = "/campaigns/eoy-test/donate"
VALID = {
    "amount": "25",
    "frequency": "one_time",
    "name": "Ann Example",
    "email": "ann@example.org",
}


def donations(db) -> int:
    return db.scalar(select(func.count()).select_from(Donation))


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', html, re.S)
    return unescape(match.group(1)) if match else ""


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "Enter an amount greater than zero."),
        ("-5", "Enter an amount greater than zero."),
        ("0.001", "Use at most 2 decimal places."),
        ("1e12", "Enter an amount as a number, such as 25 or 25.50."),
        ("abc", "Enter an amount as a number, such as 25 or 25.50."),
        ("", "Choose or enter an amount."),
        ("0.50", "Give between $1.00 and $100,000.00."),
        ("100,000.01", "Give between $1.00 and $100,000.00."),
    ],
)
def test_bad_amounts_are_refused_next_to_the_field(client, db, campaign, typed, message) -> None:
    response = submit(client, URL, {**VALID, "amount": typed})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "amount") == message
    assert donations(db) == 0


@pytest.mark.parametrize("typed", ["25", "25.5", "1,000", "$25", " 25 "])
def test_amounts_as_people_type_them_pass_validation(client, db, campaign, typed) -> None:
    # Stripe is unreachable in this test, so a valid form ends at the friendly retry message.
    response = submit(client, URL, {**VALID, "amount": typed})
    assert response.status_code == 503
    assert "couldn't reach our payment processor" in response.get_data(as_text=True)
    assert field_error(response.get_data(as_text=True), "amount") == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter an email address like name@example.org."),
        ("email", "", "Enter your email address; your receipt goes there."),
        ("name", "", "Enter your name."),
        ("name", "x" * 201, "Field cannot be longer than 200 characters."),
        ("dedication", "y" * 201, "Field cannot be longer than 200 characters."),
        ("comment", "z" * 1001, "Field cannot be longer than 1000 characters."),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_written(
    client, db, campaign, field, value, message
) -> None:
    response = submit(client, URL, {**VALID, field: value})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), field) == message
    assert donations(db) == 0
    assert db.scalar(select(func.count()).select_from(Donor)) == 0


@pytest.mark.parametrize("field", ["name", "dedication", "comment"])
def test_markup_in_text_fields_is_refused(client, db, campaign, field) -> None:
    payload = '<script>alert("x")</script>'
    response = submit(client, URL, {**VALID, field: payload})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, field) == "Please leave out the < and > characters."
    assert "<script>alert" not in html
    assert donations(db) == 0


def test_hidden_tracking_fields_are_checked(client, db, campaign) -> None:
    response = submit(client, URL, {**VALID, "source": 'banner"><script>'})
    assert response.status_code == 400
    assert "<script>" not in response.get_data(as_text=True)
    assert donations(db) == 0


def test_frequency_must_be_one_of_the_two(client, db, campaign) -> None:
    response = submit(client, URL, {**VALID, "frequency": "weekly"})
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert donations(db) == 0
