"""The Stripe events inbox: how far behind the worker is, what failed, and a retry for admins."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from ...models import Role, utcnow
from ...payments.inbox import retry_failed_event
from ...reports.inbox import inbox_summary
from .access import me, requires
from .blueprint import bp


@bp.get("/events")
@requires(Role.VIEWER)
def events() -> str:
    return render_template(
        "staff/events.html",
        inbox=inbox_summary(utcnow()),
        lag_warning=current_app.config["EVENT_LAG_WARNING_SECONDS"],
    )


@bp.post("/events/<event_id>/retry")
@requires(Role.ADMIN)
def retry_event(event_id: str) -> Response:
    # CSRFProtect has checked the form's token before this runs.
    if not retry_failed_event(event_id, me()):
        abort(404)
    flash(f"Event {event_id} will be tried again; later events of its object follow it.")
    return redirect(url_for("staff.events"), code=303)
