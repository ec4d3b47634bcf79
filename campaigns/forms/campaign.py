"""Creating and editing a campaign from the dashboard."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DecimalField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..fundraising.schedule import load_zone, parse_local_datetime
from ..models import Campaign, CampaignStatus, Frequency
from ..money import AmountError, normalize_currency, parse_amount
from .donate import no_markup


class CampaignForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no type hints
    slug = StringField("URL name", validators=[InputRequired(), Length(max=64)])
    title = StringField("Title", validators=[InputRequired(), Length(max=200), no_markup])
    description = TextAreaField(
        "Description (plain text; blank lines make paragraphs)",
        validators=[Optional(), Length(max=20000), no_markup],
    )
    goal = StringField("Goal", validators=[InputRequired("Enter the goal.")])
    currency = StringField("Currency", default="usd", validators=[InputRequired(), Length(max=3)])
    timezone = StringField(
        "Time zone", default="America/New_York", validators=[InputRequired(), Length(max=64)]
    )
    starts = StringField("Starts (local time, YYYY-MM-DD HH:MM)", validators=[InputRequired()])
    ends = StringField("Ends (local time, YYYY-MM-DD HH:MM)", validators=[InputRequired()])
    presets = StringField("Preset amounts", default="25, 50, 100, 250")
    default_frequency = SelectField(
        "Selected by default",
        choices=[
            SelectChoice(Frequency.ONE_TIME.value, "One time"),
            SelectChoice(Frequency.MONTHLY.value, "Monthly"),
        ],
    )
    urgent_days = DecimalField(
        "Urgent stage (days before the end)",
        default=7,
        validators=[InputRequired(), NumberRange(min=0.01, max=365)],
    )
    final_hours = DecimalField(
        "Final stage (hours before the end)",
        default=48,
        validators=[InputRequired(), NumberRange(min=0.01, max=8760)],
    )
    status = SelectField(
        "Status", choices=[SelectChoice(s.value, s.value.capitalize()) for s in CampaignStatus]
    )
    previous = SelectField("Last year's campaign (for the charts)", coerce=int)

    def __init__(self, others: list[Campaign], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.previous.choices = [SelectChoice(0, "None")] + [
            SelectChoice(c.id, c.title) for c in others
        ]
        self.parsed: dict[str, Any] = {}

    def validate_currency(self, field: Any) -> None:
        try:
            self.parsed["currency"] = normalize_currency(field.data or "")
        except AmountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None

    def validate_timezone(self, field: Any) -> None:
        try:
            self.parsed["zone"] = load_zone(field.data or "")
        except ValueError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None

    def _money(self, text: str) -> int:
        return parse_amount(text, self.parsed.get("currency", self.currency.data or "usd"))

    def validate_goal(self, field: Any) -> None:
        try:
            self.parsed["goal"] = self._money(field.data or "")
        except AmountError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None

    def validate_presets(self, field: Any) -> None:
        try:
            self.parsed["presets"] = [
                self._money(part) for part in (field.data or "").split(",") if part.strip()
            ]
        except AmountError as exc:
            raise ValidationError(f"Each preset: {exc}.") from None

    def _when(self, field: Any, end_of_day: bool) -> Any:
        zone = self.parsed.get("zone")
        if zone is None:
            return None
        try:
            return parse_local_datetime(
                (field.data or "").replace(" ", "T"), zone, end_of_day=end_of_day
            )
        except ValueError as exc:
            raise ValidationError(str(exc).capitalize() + ".") from None

    def validate_starts(self, field: Any) -> None:
        self.parsed["starts"] = self._when(field, end_of_day=False)

    def validate_ends(self, field: Any) -> None:
        self.parsed["ends"] = self._when(field, end_of_day=True)
