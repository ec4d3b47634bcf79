"""Recording a check, cash or bank-transfer gift, and voiding one."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, Optional, ValidationError

from ..models import Campaign, PaymentMethod
from ..money import AmountError, parse_amount
from .donate import no_markup

METHODS = [
    SelectChoice(PaymentMethod.CHECK.value, "Check"),
    SelectChoice(PaymentMethod.CASH.value, "Cash"),
    SelectChoice(PaymentMethod.BANK_TRANSFER.value, "Bank transfer"),
]


class OfflineGiftForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no type hints
    campaign = SelectField("Campaign", coerce=int)
    amount = StringField("Amount", validators=[InputRequired("Enter the amount.")])
    method = SelectField("Received as", choices=METHODS)
    received_on = DateField("Received on", validators=[InputRequired("Enter the date.")])
    reference = StringField(
        "Check number or reference", validators=[Optional(), Length(max=100), no_markup]
    )
    name = StringField(
        "Donor name",
        validators=[InputRequired("Enter the donor's name."), Length(max=200), no_markup],
    )
    email = EmailField(
        "Donor email",
        validators=[
            InputRequired("Enter the donor's email."),
            Length(max=254),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
        ],
    )
    comment = TextAreaField("Note", validators=[Optional(), Length(max=1000), no_markup])

    def __init__(self, campaigns: list[Campaign], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {campaign.id: campaign for campaign in campaigns}
        self.campaign.choices = [SelectChoice(c.id, c.title) for c in campaigns]
        self.amount_minor = 0

    def validate_amount(self, field: Any) -> None:
        campaign = self.by_id.get(self.campaign.data)
        if campaign is None:
            return
        try:
            self.amount_minor = parse_amount(field.data or "", campaign.currency)
        except AmountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None


class VoidForm(FlaskForm):  # type: ignore[misc]
    reason = StringField(
        "Reason",
        validators=[InputRequired("Say why the gift is void."), Length(max=200), no_markup],
    )
