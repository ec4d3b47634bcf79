"""The donate form: what a donor may send, and the messages when it's not right."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, Optional, Regexp, ValidationError

from ..fundraising.gifts import GiftRequest
from ..models import Campaign, Frequency
from ..money import AmountError, format_money, parse_amount


def no_markup(form: Any, field: Any) -> None:
    """Names and notes end up on dashboards and banners: refuse markup rather than store it."""
    if field.data and any(char in field.data for char in "<>"):
        raise ValidationError("Please leave out the < and > characters.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


TRACKING = Regexp(r"^[A-Za-z0-9_-]{0,32}$", message="Invalid tracking code.")


class DonateForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no type hints
    amount = StringField(
        "Amount",
        validators=[InputRequired("Choose or enter an amount.")],
        filters=[_strip],
        render_kw={"inputmode": "decimal", "autocomplete": "transaction-amount"},
    )
    frequency = RadioField(
        "How often",
        choices=[
            SelectChoice(Frequency.ONE_TIME.value, "One time"),
            SelectChoice(Frequency.MONTHLY.value, "Monthly"),
        ],
        validators=[InputRequired("Choose one time or monthly.")],
    )
    cover_fees = BooleanField("Cover the processing fee")
    name = StringField(
        "Full name",
        validators=[InputRequired("Enter your name."), Length(max=200), no_markup],
        filters=[_strip],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        "Email",
        validators=[
            InputRequired("Enter your email address; your receipt goes there."),
            Length(max=254),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )
    anonymous = BooleanField("Keep my name off public lists")
    dedication = StringField(
        "In honor or memory of (optional)",
        validators=[Optional(), Length(max=200), no_markup],
        filters=[_strip],
    )
    comment = TextAreaField(
        "Comment (optional)",
        validators=[Optional(), Length(max=1000), no_markup],
        filters=[_strip],
    )
    newsletter = BooleanField("Send me the daily digest")
    source = HiddenField(validators=[TRACKING], filters=[_strip])
    variant = HiddenField(validators=[TRACKING], filters=[_strip])

    def __init__(self, campaign: Campaign, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.amount_minor: int | None = None

    def validate_amount(self, field: Any) -> None:
        campaign = self.campaign
        try:
            amount = parse_amount(field.data or "", campaign.currency)
        except AmountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None
        low, high = campaign.min_amount, campaign.max_amount
        if not low <= amount <= high:
            raise ValidationError(
                f"Give between {format_money(low, campaign.currency)} and "
                f"{format_money(high, campaign.currency)}."
            )
        self.amount_minor = amount

    def gift_request(self) -> GiftRequest:
        """The validated form as the domain's request; call only after ``validate_on_submit``."""
        assert self.amount_minor is not None
        return GiftRequest(
            amount=self.amount_minor,
            frequency=Frequency(self.frequency.data),
            cover_fees=bool(self.cover_fees.data),
            name=self.name.data,
            email=self.email.data,
            anonymous=bool(self.anonymous.data),
            dedication=self.dedication.data or "",
            comment=self.comment.data or "",
            newsletter=bool(self.newsletter.data),
            source=self.source.data or "",
            variant=self.variant.data or "",
        )

    def validate_amount_quietly(self) -> None:
        """Work out a prefilled amount for the button label, without showing errors yet."""
        try:
            self.validate_amount(self.amount)
        except ValidationError:
            self.amount_minor = None
