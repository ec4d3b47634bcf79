"""Forms for the staff side: signing in and account settings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, InputRequired, Length

from ..models import Role

ROLE_CHOICES = [SelectChoice(role.value, role.value.capitalize()) for role in Role]


class LoginForm(FlaskForm):  # type: ignore[misc]  # flask_wtf ships no type hints
    email = EmailField(
        "Email",
        validators=[InputRequired("Enter your email."), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):  # type: ignore[misc]
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[InputRequired("Enter a new password."), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class StaffAccountForm(FlaskForm):  # type: ignore[misc]
    email = EmailField(
        "Email",
        validators=[
            InputRequired("Enter an email."),
            Email(check_deliverability=False),
            Length(max=254),
        ],
    )
    name = StringField("Name", validators=[Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES)
    password = PasswordField(
        "Initial password",
        validators=[InputRequired(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class StaffRoleForm(FlaskForm):  # type: ignore[misc]
    role = SelectField("Role", choices=ROLE_CHOICES)
    active = BooleanField("Can sign in")
