"""``flask emails send --loop``: the outbox worker as a real process, on a real database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import flask_migrate
from sqlalchemy import select

from campaigns import create_app
from campaigns.db import unit_of_work
from campaigns.emails.compose import Composed
from campaigns.emails.outbox import enqueue
from campaigns.extensions import db as _db
from campaigns.models import EmailKind, EmailStatus, OutboxEmail
from tests.databases import fresh_database


def test_the_worker_process_keeps_sending_until_told_to_stop(tmp_path) -> None:
    """`flask emails send --loop` as `make run` starts it: a real process and database."""
    url = fresh_database("worker_process")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        flask_migrate.upgrade()
        _db.engine.dispose()
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MAIL_SERVER": "",
        "CAMPAIGNS_ENV": "development",
        "PUBLIC_URL": "http://127.0.0.1:5000",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flask",
            "--app",
            "app",
            "emails",
            "send",
            "--loop",
            "--interval",
            "0.2",
        ],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with app.app_context():
            with unit_of_work():
                enqueue(
                    EmailKind.RECEIPT,
                    "process:1",
                    Composed("Your receipt", "Thank you\n", "<p>Thank you</p>\n"),
                    to_address="ann@example.org",
                )
            deadline = time.monotonic() + 20
            status = EmailStatus.QUEUED
            while status is EmailStatus.QUEUED and time.monotonic() < deadline:
                time.sleep(0.2)
                _db.session.remove()
                status = _db.session.scalar(select(OutboxEmail.status))
            _db.session.remove()
            _db.engine.dispose()
        assert status is EmailStatus.SENT
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert "emails are kept at http://127.0.0.1:5000/dev/mailbox" in output
    assert "mailbox  ann@example.org: Your receipt  http://127.0.0.1:5000/dev/mailbox/1" in output
