"""A TERM signal to the worker while a slow SMTP server takes a batch: the email in hand is
finished and the rest of the batch is handed back at once, not after its claim runs out."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import flask_migrate
from sqlalchemy import select

from campaigns import create_app
from campaigns.db import unit_of_work
from campaigns.emails.compose import Composed
from campaigns.emails.outbox import enqueue
from campaigns.extensions import db
from campaigns.models import EmailKind, EmailStatus, OutboxEmail, utcnow
from tests.databases import fresh_database
from tests.fixtures.browser import ROOT, free_port
from tests.fixtures.mail import Mailbox

SLOW = 1.5


class SlowMailbox(Mailbox):
    def __init__(self) -> None:
        super().__init__()
        self.started = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.started.set()
        await asyncio.sleep(SLOW)
        return await super().handle_DATA(server, session, envelope)


def test_term_sends_the_email_in_hand_and_hands_back_the_batch() -> None:
    from aiosmtpd.controller import Controller

    url = fresh_database("worker_stop")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        with unit_of_work():
            for n in range(5):
                enqueue(
                    EmailKind.RECEIPT,
                    f"stop:{n}",
                    Composed(f"Receipt {n}", "Thank you\n", "<p>Thank you</p>\n"),
                    to_address=f"donor{n}@example.org",
                )
        db.session.remove()
    mailbox, port = SlowMailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_DEFAULT_SENDER": "Giving <giving@example.org>",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert mailbox.started.wait(30), "the worker never sent"
        signalled = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=15)
        took = time.monotonic() - signalled
    finally:
        if worker.poll() is None:
            worker.kill()
        controller.stop()
    assert worker.returncode == 0, output
    # Sooner than the four emails left would take (the counts below say which it sent); loose,
    # as a loaded machine slows the process start and the signal's delivery.
    assert took < SLOW * 4, f"took {took:.1f} s to stop"
    assert len(mailbox.messages) == 1
    with app.app_context():
        emails = list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))
        assert [e.status for e in emails].count(EmailStatus.SENT) == 1
        waiting = [e for e in emails if e.status is EmailStatus.QUEUED]
        assert len(waiting) == 4
        assert all(e.attempts == 0 and e.next_attempt_at <= utcnow() for e in waiting)
        db.session.remove()
        db.engine.dispose()
