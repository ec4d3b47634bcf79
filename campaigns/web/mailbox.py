"""/dev/mailbox: the outbox, readable in the browser, in development without MAIL_SERVER.

It is registered only then: in production, or whenever a real SMTP server is set, the
route doesn't exist at all. It also answers only requests from this machine.
"""

from __future__ import annotations

import re
from ipaddress import ip_address

from flask import Blueprint, Flask, abort, current_app, render_template, request

from ..emails.outbox import get_email, recent_emails
from ..emails.sending import mailbox_enabled, sender_for

bp = Blueprint("mailbox", __name__, url_prefix="/dev/mailbox")

_LINK = re.compile(r"https?://[^\s<>\"]+")


@bp.before_request
def _local_only() -> None:
    try:
        local = ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local:
        abort(404)


@bp.get("")
def inbox() -> str:
    return render_template("dev/mailbox.html", emails=recent_emails())


@bp.get("/<int:email_id>")
def message(email_id: int) -> str:
    email = get_email(email_id)
    if email is None:
        abort(404)
    # The HTML part is shown in a sandboxed frame; its links are listed to follow them here.
    links = list(dict.fromkeys(_LINK.findall(email.text_body)))
    return render_template(
        "dev/mailbox_message.html", email=email, links=links, sender=sender_for(current_app.config)
    )


def register_mailbox(app: Flask) -> None:
    if mailbox_enabled(app.config):
        app.register_blueprint(bp)
