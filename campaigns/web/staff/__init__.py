"""The staff dashboard under /staff/: every page needs a signed-in account."""

from __future__ import annotations

from flask import Flask

from ...extensions import login_manager
from ...models import EventStatus, Role
from ...staff_accounts.staff import load_staff
from . import (  # noqa: F401 - they add views
    accounts,
    auth,
    campaigns,
    donors,
    events,
    exports,
    gifts,
    overview,
)
from .access import require_login
from .blueprint import bp

bp.before_request(require_login)


def register_staff(app: Flask) -> None:
    login_manager.user_loader(load_staff)
    login_manager.login_view = "staff.login"
    # "basic" marks a session from a new address or browser as not fresh; "strong" would also
    # wipe every anonymous session holding a donate form's CSRF token, on every page.
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)
    app.context_processor(lambda: {"roles": Role, "event_statuses": EventStatus})
