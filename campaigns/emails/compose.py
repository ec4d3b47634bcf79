"""Rendering emails from templates; copies in EMAIL_TEMPLATE_DIR win over the shipped ones.

Each email is ``templates/emails/<name>.txt`` (its first line is ``Subject: …``) and
``templates/emails/<name>.html``. Staff change one by copying it to
``<EMAIL_TEMPLATE_DIR>/emails/<name>.txt`` (default: the instance folder's ``templates``) and
editing the copy; an edited file is picked up on the next email, without a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from flask import current_app
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)

from ..money import format_money

LOCALE = "en_US"
_ENVIRONMENT_KEY = "campaigns.email_templates"
# Non-ASCII text goes out quoted-printable: no server on the way needs to speak 8BITMIME.
MAIL_POLICY = SMTP.clone(cte_type="7bit")


class TemplateProblem(RuntimeError):
    """An email template can't be used as it is (a staff edit went wrong, say)."""


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def money(minor: int, currency: str) -> str:
    return format_money(minor, currency, LOCALE)


def local_date(value: datetime, zone: str = "UTC") -> str:
    """``December 1, 2026``: the day as it was where the gift was made."""
    return str(format_date(value.astimezone(ZoneInfo(zone)).date(), "long", locale=LOCALE))


def _environment(*, overrides: bool = True) -> Environment:
    """The Jinja environment for emails, built once per app (and override folder)."""
    app = current_app
    folder = str(app.config["EMAIL_TEMPLATE_DIR"]) if overrides else ""
    cache: dict[str, Environment] = app.extensions.setdefault(_ENVIRONMENT_KEY, {})
    if folder in cache:
        return cache[folder]
    loaders: list[BaseLoader] = [FileSystemLoader(folder)] if folder else []
    if app.jinja_loader is not None:
        loaders.append(app.jinja_loader)
    environment = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"], default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    environment.filters["money"] = money
    environment.filters["local_date"] = local_date
    cache[folder] = environment
    return environment


def organization() -> dict[str, Any]:
    """Who the emails come from, as the settings describe it."""
    config = current_app.config
    address = str(config["ORGANIZATION_ADDRESS"]).replace("\\n", "\n")
    return {
        "name": config["ORGANIZATION_NAME"],
        "address_lines": [line.strip() for line in address.splitlines() if line.strip()],
        "tax_id": config["ORGANIZATION_TAX_ID"],
    }


def _render(environment: Environment, template: str, values: dict[str, Any]) -> Composed:
    text = environment.get_template(f"emails/{template}.txt").render(values)
    html = environment.get_template(f"emails/{template}.html").render(values)
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise TemplateProblem(f"emails/{template}.txt must start with a 'Subject: …' line")
    subject = " ".join(first.removeprefix("Subject:").split())
    return Composed(subject=subject, text=body.lstrip("\n"), html=html)


def compose(template: str, /, **context: Any) -> Composed:
    """Render ``emails/<template>.txt`` and ``.html`` with ``context`` and the organisation.

    A staff copy that doesn't render (a typo, an unknown variable) is logged and the shipped
    template used instead: emails are queued inside webhooks, which a template must not fail.
    """
    values = {
        "org": organization(),
        "public_url": current_app.config["PUBLIC_URL"],
        **context,
    }
    try:
        return _render(_environment(), template, values)
    except (TemplateError, TemplateProblem):
        current_app.logger.exception("email template %s failed; using the shipped one", template)
        return _render(_environment(overrides=False), template, values)


@dataclass(frozen=True)
class Envelope:
    """An outbox email as the sender needs it, detached from the database session."""

    id: int
    to_address: str
    to_name: str
    subject: str
    text: str
    html: str
    created_at: datetime
    attempts: int  # this one included


def build_message(envelope: Envelope, sender: str) -> EmailMessage:
    """The MIME message: plain text and HTML alternatives, UTF-8 throughout.

    The Message-ID comes from the outbox row, so a retry after an uncertain attempt carries
    the same id and the receiving side can tell it is the same email.
    """
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = envelope.subject
    message["From"] = sender
    message["To"] = Address(display_name=envelope.to_name, addr_spec=envelope.to_address)
    message["Date"] = format_datetime(envelope.created_at)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    stamp = int(envelope.created_at.timestamp())
    message["Message-ID"] = f"<outbox.{envelope.id}.{stamp}@{domain}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies
    message.set_content(envelope.text)
    message.add_alternative(envelope.html, subtype="html")
    return message
