"""The development mailbox: what `make run` shows a newcomer, and never in production."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import flask_migrate
import pytest
from sqlalchemy import select

from campaigns import create_app
from campaigns.db import unit_of_work
from campaigns.demo import devserver
from campaigns.emails.compose import Composed
from campaigns.emails.outbox import enqueue
from campaigns.extensions import db as _db
from campaigns.models import EmailKind, EmailStatus, OutboxEmail
from tests.databases import fresh_database
from tests.donating import donate
from tests.fixtures.mail import outbox
from tests.web.forms import submit


def test_the_receipt_of_a_donation_is_readable_in_the_mailbox(
    app, client, db, campaign, sandbox, sandbox_browser, runner
) -> None:
    assert not app.config["MAIL_SERVER"]
    donate(client, sandbox_browser, name="Zoë Ångström")
    sandbox.flush_webhooks()
    result = runner.invoke(args=["emails", "send"])
    assert result.exit_code == 0, result.output
    assert "emails are kept at http://donate.example.org/dev/mailbox" in result.output
    [receipt] = outbox(EmailKind.RECEIPT)
    assert receipt.status is EmailStatus.SENT
    assert f"http://donate.example.org/dev/mailbox/{receipt.id}" in result.output

    inbox = client.get("/dev/mailbox").get_data(as_text=True)
    assert "Your receipt from Independent Media: $25.00" in inbox
    page = client.get(f"/dev/mailbox/{receipt.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Zoë Ångström" in html
    assert "No goods or services were provided in exchange for this contribution." in html
    assert re.search(r'<iframe [^>]*sandbox srcdoc="&lt;!doctype html&gt;', html)


def test_links_in_an_email_can_be_followed_from_the_mailbox(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    donate(client, sandbox_browser)
    sandbox.flush_webhooks()
    submit(client, "/my-giving", {"email": "ann@example.org"})
    [link_email] = outbox(EmailKind.GIVING_LINK)
    html = client.get(f"/dev/mailbox/{link_email.id}").get_data(as_text=True)
    assert re.search(r'<a href="http://donate\.example\.org/my-giving/[^"]+">', html)


def test_the_mailbox_answers_only_this_machine(client, db) -> None:
    assert client.get("/dev/mailbox").status_code == 200
    remote = client.get("/dev/mailbox", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.status_code == 404


@pytest.mark.parametrize(
    "settings",
    [
        {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s3cret"},
        {"MAIL_SERVER": "smtp.example.org"},
    ],
    ids=["production", "smtp-configured"],
)
def test_there_is_no_mailbox_in_production_or_with_a_real_server(settings) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dev")]
    assert app.test_client().get("/dev/mailbox").status_code == 404


def test_the_run_command_starts_the_email_worker(monkeypatch, capsys) -> None:
    started: list[tuple[str, ...]] = []

    class Child:
        def __init__(self, args: tuple[str, ...]) -> None:
            self.args = args

        def wait(self, timeout: float | None = None) -> int:
            return 0

        def poll(self) -> int:
            return 0

    def spawn(*args: str) -> Child:
        started.append(args)
        return Child(args)

    monkeypatch.setattr(devserver, "_spawn", spawn)
    monkeypatch.setattr(devserver.signal, "signal", lambda *args: None)  # keep pytest's own
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    assert devserver.main() == 0
    assert ("-m", "flask", "--app", "app", "emails", "send", "--loop", "--interval", "2") in started
    assert "emails are kept at http://127.0.0.1:5000/dev/mailbox" in capsys.readouterr().out


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
