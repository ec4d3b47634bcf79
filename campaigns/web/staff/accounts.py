"""Staff accounts and the audit log: admins only."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ...errors import ValidationError
from ...forms.staff import StaffAccountForm, StaffRoleForm
from ...models import Role
from ...staff_accounts.audit import recent_entries
from ...staff_accounts.staff import create_staff, get_staff, list_staff, set_role
from ..refusals import flash_errors, show_errors
from .access import me, requires
from .blueprint import bp


@bp.route("/accounts", methods=["GET", "POST"])
@requires(Role.ADMIN)
def accounts() -> Response | str | tuple[str, int]:
    form = StaffAccountForm()
    if form.validate_on_submit():
        try:
            create_staff(
                form.email.data,
                form.password.data,
                Role(form.role.data),
                form.name.data or "",
                actor=me(),
            )
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            flash(f"Account for {form.email.data} created.")
            return redirect(url_for("staff.accounts"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/accounts.html", form=form, accounts=list_staff(), role_choices=list(Role)
    ), status


@bp.post("/accounts/<int:staff_id>")
@requires(Role.ADMIN)
def update_account(staff_id: int) -> Response:
    form = StaffRoleForm()
    account = get_staff(staff_id)
    if account is None:
        abort(404)
    if not form.validate_on_submit():
        abort(400)
    try:
        set_role(account, Role(form.role.data), bool(form.active.data), me())
    except ValidationError as exc:
        flash_errors(exc)
    else:
        flash(f"{account.email} updated.")
    return redirect(url_for("staff.accounts"), code=303)


@bp.get("/audit")
@requires(Role.ADMIN)
def audit() -> str:
    return render_template("staff/audit.html", entries=recent_entries())
