"""HTTP: blueprints, template filters and error pages."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import formatting
from .api import bp as api_bp
from .checkout import bp as checkout_bp
from .framing import deny_framing
from .mailbox import register_mailbox
from .my_giving import bp as my_giving_bp
from .public import bp as public_bp
from .public_urls import register_public_urls
from .sessions import PublicAwareSessionInterface
from .staff import receipts as _staff_receipts  # noqa: F401 - adds the resend view
from .staff import register_staff
from .webhooks import bp as webhooks_bp
from .widget import bp as widget_bp


def _render_error(error: HTTPException) -> tuple[str, int]:
    csrf = isinstance(error, CSRFError)
    return render_template("error.html", error=error, csrf=csrf), error.code or 500


def register_web(app: Flask) -> None:
    register_public_urls(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(checkout_bp)
    app.register_blueprint(webhooks_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(widget_bp)
    app.register_blueprint(my_giving_bp)
    register_mailbox(app)
    app.after_request(deny_framing)
    app.session_interface = PublicAwareSessionInterface()
    register_staff(app)
    formatting.register(app)
    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, _render_error)
