"""The outbox table's operations: queue once per key, claim what is due, record the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, func, select, update

from ..db import insert_ignoring_conflict
from ..extensions import db
from ..models import EmailKind, EmailStatus, OutboxEmail, utcnow
from .compose import Composed, Envelope


def is_queued(dedupe_key: str) -> bool:
    """Whether an email with this key exists: a cheap skip before rendering a repeat."""
    return bool(db.session.scalar(select(exists().where(OutboxEmail.dedupe_key == dedupe_key))))


def enqueue(
    kind: EmailKind,
    dedupe_key: str,
    composed: Composed,
    *,
    to_address: str,
    to_name: str = "",
    donor_id: int | None = None,
    donation_id: int | None = None,
) -> bool:
    """Add the email to the current unit of work unless its key is taken; True if added.

    It commits, or rolls back, with the event that caused it; a second event with the same
    key, even a concurrent one, inserts nothing and doesn't fail.
    """
    now = utcnow()
    return insert_ignoring_conflict(
        OutboxEmail,
        {
            "kind": kind,
            "dedupe_key": dedupe_key,
            "to_address": to_address.strip(),
            "to_name": to_name.strip()[:200],
            "subject": composed.subject[:300],
            "text_body": composed.text,
            "html_body": composed.html,
            "donor_id": donor_id,
            "donation_id": donation_id,
            "status": EmailStatus.QUEUED,
            "attempts": 0,
            "next_attempt_at": now,
            "last_error": "",
            "created_at": now,
        },
        ("dedupe_key",),
    )


def find_by_key(dedupe_key: str) -> OutboxEmail | None:
    return db.session.scalar(select(OutboxEmail).where(OutboxEmail.dedupe_key == dedupe_key))


def claim_due(now: datetime, limit: int, lease: timedelta) -> list[Envelope]:
    """Take up to ``limit`` due emails for one worker, for as long as ``lease``.

    Claiming moves each email's next attempt past the lease in one statement, so another
    worker skips it (PostgreSQL's SKIP LOCKED lets two workers claim side by side without
    waiting); if this worker dies mid-send, the emails fall due again when the lease ends.
    """
    due = (
        select(OutboxEmail.id)
        .where(OutboxEmail.status == EmailStatus.QUEUED, OutboxEmail.next_attempt_at <= now)
        .order_by(OutboxEmail.next_attempt_at, OutboxEmail.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # Two statements: PostgreSQL may rescan an ``IN (… LIMIT … FOR UPDATE SKIP LOCKED)``
    # subquery once per row and so claim more than ``limit`` (a whole queue for one worker).
    ids = list(db.session.scalars(due))
    if not ids:
        return []
    claim = (
        update(OutboxEmail)
        .where(
            OutboxEmail.id.in_(ids),
            OutboxEmail.status == EmailStatus.QUEUED,
            OutboxEmail.next_attempt_at <= now,
        )
        .values(next_attempt_at=now + lease, attempts=OutboxEmail.attempts + 1)
        .returning(
            OutboxEmail.id,
            OutboxEmail.to_address,
            OutboxEmail.to_name,
            OutboxEmail.subject,
            OutboxEmail.text_body,
            OutboxEmail.html_body,
            OutboxEmail.created_at,
            OutboxEmail.attempts,
        )
        .execution_options(synchronize_session=False)
    )
    rows = db.session.execute(claim).all()
    return sorted((Envelope(*row) for row in rows), key=lambda envelope: envelope.id)


def record_sent(email_id: int, now: datetime) -> None:
    # Plain UPDATEs, writing first: on SQLite a read before the write could deadlock with
    # another worker's transaction instead of waiting for it.
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == email_id)
        .values(status=EmailStatus.SENT, sent_at=now, last_error="")
        .execution_options(synchronize_session=False)
    )


def release(email_ids: list[int], now: datetime) -> None:
    """Hand back claimed emails not attempted (a stopping worker): due now, attempt uncounted."""
    if not email_ids:
        return
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id.in_(email_ids), OutboxEmail.status == EmailStatus.QUEUED)
        .values(next_attempt_at=now, attempts=OutboxEmail.attempts - 1)
        .execution_options(synchronize_session=False)
    )


def retry_delay(attempts: int, base_seconds: int, max_seconds: int) -> timedelta:
    """Exponential backoff: base, twice that, four times … never more than ``max_seconds``."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), max_seconds))


def record_failure(
    envelope: Envelope,
    error: str,
    *,
    permanent: bool,
    now: datetime,
    max_attempts: int,
    base_seconds: int,
    max_seconds: int,
) -> EmailStatus:
    """Note a failed attempt: try again later, or keep the email as failed; the new status."""
    values: dict[str, object] = {"last_error": error[:2000]}
    if permanent or envelope.attempts >= max_attempts:
        values["status"] = status = EmailStatus.FAILED
    else:
        status = EmailStatus.QUEUED
        values["next_attempt_at"] = now + retry_delay(envelope.attempts, base_seconds, max_seconds)
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == envelope.id)
        .values(values)
        .execution_options(synchronize_session=False)
    )
    return status


def requeue_failed() -> int:
    """Give every failed email a fresh set of attempts, due now; how many."""
    result = db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.status == EmailStatus.FAILED)
        .values(status=EmailStatus.QUEUED, attempts=0, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def status_counts() -> dict[EmailStatus, int]:
    rows = db.session.execute(
        select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
    ).all()
    counts = dict.fromkeys(EmailStatus, 0)
    counts.update({status: int(count) for status, count in rows})
    return counts


def get_email(email_id: int) -> OutboxEmail | None:
    return db.session.get(OutboxEmail, email_id)


def recent_emails(limit: int = 100) -> list[OutboxEmail]:
    query = select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(limit)
    return list(db.session.scalars(query))
