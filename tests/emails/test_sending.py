"""The outbox worker against a real SMTP server on loopback: retries, backoff, failures."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from campaigns.cli.worker import run_worker
from campaigns.db import unit_of_work
from campaigns.emails import sending
from campaigns.emails.compose import Composed
from campaigns.emails.outbox import claim_due, enqueue, retry_delay
from campaigns.models import EmailKind, EmailStatus, utcnow
from tests.fixtures.mail import configured, free_port, outbox, text_of

GREETING = Composed("Grüße aus Köln", "Hallo Zoë,\n\nein Gruß.\n", "<p>Hallo Zoë</p>\n")


def queue(key: str = "test:1", to: str = "zoe@example.org", name: str = "Zoë Ångström") -> None:
    with unit_of_work():
        enqueue(EmailKind.RECEIPT, key, GREETING, to_address=to, to_name=name)


def test_a_queued_email_is_sent_once_with_both_parts(db, smtp, deliver) -> None:
    queue()
    report = deliver()
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [message] = smtp.messages
    assert message["Subject"] == "Grüße aus Köln"
    assert message["To"].addresses[0].display_name == "Zoë Ångström"
    assert message["To"].addresses[0].addr_spec == "zoe@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    assert "Hallo Zoë" in text_of(message)
    raw = smtp.envelopes[0].content
    assert raw.isascii(), "7-bit on the wire: no server on the way needs 8BITMIME"
    assert smtp.envelopes[0].mail_from == "donations@news.example.org"
    assert smtp.envelopes[0].rcpt_tos == ["zoe@example.org"]

    [stored] = outbox()
    assert stored.status is EmailStatus.SENT and stored.attempts == 1 and stored.sent_at
    # Sent means done: another run sends nothing.
    assert deliver().attempted == 0
    assert len(smtp.messages) == 1


def test_a_refusing_server_means_retry_with_backoff_and_nothing_lost(app, db, smtp, deliver):
    queue()
    smtp.reply = "451 4.3.0 Try again later"
    start = utcnow()
    report = deliver(now=start)
    assert (report.sent, report.retrying) == (0, 1)
    [email] = outbox()
    assert email.status is EmailStatus.QUEUED
    assert email.attempts == 1
    assert "451" in email.last_error and "Try again later" in email.last_error
    assert email.next_attempt_at == start + timedelta(seconds=60)

    # Not due again before the backoff runs out.
    assert deliver(now=start + timedelta(seconds=59)).attempted == 0
    report = deliver(now=start + timedelta(seconds=60))
    assert report.retrying == 1
    [email] = outbox()
    assert email.attempts == 2
    assert email.next_attempt_at == start + timedelta(seconds=60 + 120)

    smtp.reply = "250 OK"
    report = deliver(now=start + timedelta(seconds=180))
    assert report.sent == 1
    [email] = outbox()
    assert email.status is EmailStatus.SENT and email.attempts == 3 and email.last_error == ""
    assert len(smtp.messages) == 1


def test_backoff_doubles_up_to_its_ceiling() -> None:
    delays = [retry_delay(n, 60, 3600).total_seconds() for n in range(1, 9)]
    assert delays == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_no_server_listening_keeps_the_whole_batch_queued(app, db, organization, deliver):
    for n in range(3):
        queue(f"test:{n}")
    with configured(app, MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2):
        report = deliver()
    assert report.retrying == 3
    assert {e.status for e in outbox()} == {EmailStatus.QUEUED}
    assert all("ConnectionRefused" in e.last_error for e in outbox())


def test_a_permanently_refused_recipient_is_kept_as_failed(app, db, smtp, deliver) -> None:
    queue()
    smtp.reply = "550 5.1.1 No such user"
    assert deliver().failed == 1
    [email] = outbox()
    assert email.status is EmailStatus.FAILED and "550" in email.last_error


def test_out_of_attempts_the_email_is_kept_and_retry_queues_it_again(
    app, db, smtp, deliver, runner
) -> None:
    queue()
    smtp.reply = "421 4.7.0 Too busy"
    now = utcnow()
    with configured(app, MAIL_MAX_ATTEMPTS=2):
        deliver(now=now)
        assert deliver(now=now + timedelta(hours=1)).failed == 1
    [email] = outbox()
    assert email.status is EmailStatus.FAILED and email.attempts == 2

    result = runner.invoke(args=["emails", "retry"])
    assert result.exit_code == 0 and "1 failed email queued again" in result.output
    smtp.reply = "250 OK"
    result = runner.invoke(args=["emails", "send"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 0 to retry, 0 failed" in result.output
    assert len(smtp.messages) == 1


def test_a_claimed_email_is_left_alone_until_the_claim_runs_out(app, db, smtp) -> None:
    queue()
    now = utcnow()
    with unit_of_work():
        first = claim_due(now, 10, timedelta(minutes=5))
    with unit_of_work():
        second = claim_due(now, 10, timedelta(minutes=5))
    assert [e.id for e in first] and second == []
    # The worker that claimed it died: after the lease another worker sends it.
    with unit_of_work():
        again = claim_due(now + timedelta(minutes=5), 10, timedelta(minutes=5))
    assert [e.id for e in again] == [e.id for e in first]


def test_an_unusable_address_fails_without_stopping_the_rest(app, db, smtp, deliver) -> None:
    queue("test:bad", to="not an address")
    queue("test:good")
    report = deliver()
    assert (report.sent, report.failed) == (1, 1)
    assert len(smtp.messages) == 1


def test_the_send_command_reports_and_the_status_command_counts(db, smtp, runner) -> None:
    queue()
    result = runner.invoke(args=["emails", "send"])
    assert result.exit_code == 0, result.output
    assert "sent     zoe@example.org: Grüße aus Köln" in result.output
    status = runner.invoke(args=["emails", "status"])
    assert "0 queued, 1 sent, 0 failed" in status.output


def test_production_without_mail_server_refuses_to_run_and_keeps_the_queue(app, db, runner) -> None:
    queue()
    with configured(app, CAMPAIGNS_ENV="production", MAIL_SERVER=""):
        result = runner.invoke(args=["emails", "send"])
    assert result.exit_code != 0
    assert "MAIL_SERVER is not set" in result.output
    assert outbox()[0].status is EmailStatus.QUEUED


def test_production_needs_a_sender_to_send_as(app, db, smtp, runner) -> None:
    queue()
    with configured(app, CAMPAIGNS_ENV="production", MAIL_DEFAULT_SENDER=""):
        result = runner.invoke(args=["emails", "send"])
    assert result.exit_code != 0 and "MAIL_DEFAULT_SENDER is not set" in result.output
    assert smtp.messages == []


def test_the_looping_worker_outlives_an_error(app, db, monkeypatch) -> None:
    calls: list[int] = []
    stop = threading.Event()

    def flaky(transport, **kwargs) -> sending.SendReport:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))
        stop.set()
        return sending.SendReport()

    monkeypatch.setattr(sending, "send_due", flaky)
    run_worker(once=False, interval=0, stop=stop)
    assert len(calls) == 2
    with pytest.raises(OperationalError):  # a single run reports it
        calls.clear()
        run_worker(once=True)
