"""Forms donors use on /my-giving: asking for a link, changing a monthly amount."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField
from wtforms.validators import Email, InputRequired, Length


def _strip(value: str | None) -> str | None:
    return value.strip() if value else value


class LinkRequestForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no type hints
    email = EmailField(
        "Email address",
        validators=[
            InputRequired("Enter the email address you gave with."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
            Length(max=254),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )


class AmountForm(FlaskForm):  # type: ignore[misc]
    amount = StringField(
        "New monthly amount",
        validators=[InputRequired("Enter an amount."), Length(max=32)],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class ButtonForm(FlaskForm):  # type: ignore[misc]
    """A button that changes something: only its CSRF token."""
