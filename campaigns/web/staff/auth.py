"""Signing in and out, and changing one's password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from ...errors import ValidationError
from ...extensions import limiter
from ...forms.staff import LoginForm, PasswordChangeForm
from ...staff_accounts.staff import authenticate, change_password
from ..refusals import show_errors
from .access import me, safe_next
from .blueprint import bp


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _failed(response: Response) -> bool:
    """Only failed attempts count toward the limit: a successful login redirects."""
    return response.status_code != 303


def _email_key() -> str:
    return "login-email:" + request.form.get("email", "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed, key_func=_email_key)
def login() -> Response | str | tuple[str, int]:
    form = LoginForm()
    if form.validate_on_submit():
        staff = authenticate(form.email.data, form.password.data)
        if staff is not None:
            login_user(staff)
            return redirect(safe_next(request.args.get("next")), code=303)
        form.password.errors.append("That email and password don't match an account.")
        return render_template("staff/login.html", form=form), 401
    status = 400 if request.method == "POST" else 200
    return render_template("staff/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("staff.login"), code=303)


@bp.route("/password", methods=["GET", "POST"])
def password() -> Response | str | tuple[str, int]:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        staff = me()
        try:
            change_password(staff, form.current_password.data, form.new_password.data)
        except ValidationError as exc:
            show_errors(form, exc)
            return render_template("staff/password.html", form=form), 400
        login_user(staff)  # a fresh session for the new password; others are now invalid
        flash("Your password has been changed.")
        return redirect(url_for("staff.overview"), code=303)
    return render_template("staff/password.html", form=form)
