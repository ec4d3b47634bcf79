"""Creating staff accounts, checking passwords and loading the signed-in account."""

from __future__ import annotations

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ValidationError
from ..extensions import db
from ..models import Role, Staff, utcnow
from .audit import record

MIN_PASSWORD = 10
# A real hash to compare against when the email is unknown, so a wrong email takes as long
# to refuse as a wrong password and timing doesn't reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not a real password")


def _password_problem(password: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"use at least {MIN_PASSWORD} characters"
    if len(password) > 200:
        return "use at most 200 characters"
    return None


def find_staff(email: str) -> Staff | None:
    return db.session.scalar(select(Staff).where(func.lower(Staff.email) == email.strip().lower()))


def create_staff(
    email: str, password: str, role: Role, name: str = "", actor: Staff | None = None
) -> Staff:
    """Add an account; raises ``ValidationError`` for a taken email or a weak password."""
    errors: dict[str, str] = {}
    cleaned = email.strip().lower()
    if "@" not in cleaned or len(cleaned) > 254:
        errors["email"] = "enter an email address"
    elif find_staff(cleaned) is not None:
        errors["email"] = f"an account for {cleaned} already exists"
    if problem := _password_problem(password):
        errors["password"] = problem
    if errors:
        raise ValidationError(errors)
    staff = Staff(
        email=cleaned, name=name.strip(), role=role, password_hash=generate_password_hash(password)
    )
    db.session.add(staff)
    db.session.flush()
    record("staff.created", f"staff:{staff.id}", {"email": cleaned, "role": role.value}, actor)
    return staff


def authenticate(email: str, password: str) -> Staff | None:
    """The active account with this email and password, or None (same work either way)."""
    staff = find_staff(email)
    if staff is None or not staff.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(staff.password_hash, password):
        return None
    staff.last_login_at = utcnow()
    return staff


def change_password(staff: Staff, current: str, new: str) -> None:
    """Replace the password; other sessions of this account stop working."""
    errors: dict[str, str] = {}
    if not check_password_hash(staff.password_hash, current):
        errors["current_password"] = "that is not your current password"  # noqa: S105
    if problem := _password_problem(new):
        errors["new_password"] = problem
    if errors:
        raise ValidationError(errors)
    staff.password_hash = generate_password_hash(new)
    staff.session_version += 1
    record("staff.password_changed", f"staff:{staff.id}", {}, staff)


def get_staff(staff_id: int) -> Staff | None:
    return db.session.get(Staff, staff_id)


def set_role(staff: Staff, role: Role, active: bool, actor: Staff) -> None:
    """Change what an account may do, or switch it off (accounts are never deleted).

    Admins can't remove their own admin access, so the dashboard always keeps one admin who
    can undo a mistake.
    """
    if staff.id == actor.id and (role is not Role.ADMIN or not active):
        raise ValidationError({"role": "you can't remove your own admin access; ask another admin"})
    before = {"role": staff.role.value, "active": staff.active}
    staff.role, staff.active = role, active
    staff.session_version += 1
    record(
        "staff.updated",
        f"staff:{staff.id}",
        {"before": before, "after": {"role": role.value, "active": active}},
        actor,
    )


def load_staff(user_id: str) -> Staff | None:
    """The account behind a session id ``"<id>:<version>"``, unless the version is stale."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit() or not version.isdigit():
        return None
    staff = db.session.get(Staff, int(raw_id))
    if staff is None or not staff.active or staff.session_version != int(version):
        return None
    return staff


def list_staff() -> list[Staff]:
    return list(db.session.scalars(select(Staff).order_by(Staff.email)))
