"""A real SMTP server on loopback (aiosmtpd), the app pointed at it, and outbox helpers."""

from __future__ import annotations

import email
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from campaigns.emails.sending import SendReport, send_due, transport_for
from campaigns.extensions import db
from campaigns.models import EmailKind, OutboxEmail

# Fixtures shared with other test packages: the in-process Stripe sandbox and staff sign-in.
from tests.payments.conftest import sandbox, sandbox_browser  # noqa: F401
from tests.staff.conftest import sign_in  # noqa: F401


@dataclass
class Mailbox:
    """What an SMTP server received, and how it answers DATA ("250 OK" or a refusal)."""

    reply: str = "250 OK"
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.reply.startswith("250"):
            return self.reply
        self.envelopes.append(envelope)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return self.reply


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_on_loopback() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@contextmanager
def configured(app, **settings: Any) -> Iterator[None]:
    """Change app settings for one test (the app object lives for the whole run)."""
    saved = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(saved)


@pytest.fixture
def organization(app) -> Iterator[None]:
    with configured(
        app,
        ORGANIZATION_NAME="Independent Media",
        ORGANIZATION_ADDRESS="12 Press Lane\\nSpringfield, IL 62701",
        ORGANIZATION_TAX_ID="EIN 12-3456789",
        MAIL_DEFAULT_SENDER="Independent Media <donations@news.example.org>",
    ):
        yield


@pytest.fixture
def smtp(app, organization) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 that the app sends to."""
    with (
        smtp_on_loopback() as (mailbox, port),
        configured(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT=5),
    ):
        yield mailbox


@pytest.fixture
def deliver(app) -> Callable[..., SendReport]:
    """Run the outbox worker once, as ``flask emails send`` does, at ``now`` if given."""

    def run(**kwargs: Any) -> SendReport:
        return send_due(transport_for(app.config), **kwargs)

    return run


def outbox(kind: EmailKind | None = None) -> list[OutboxEmail]:
    db.session.expire_all()
    query = select(OutboxEmail).order_by(OutboxEmail.id)
    if kind is not None:
        query = query.where(OutboxEmail.kind == kind)
    return list(db.session.scalars(query))


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
