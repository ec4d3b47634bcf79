"""Against a real database with real commits: concurrent events and concurrent workers."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from types import TracebackType

from sqlalchemy import select

from campaigns.db import unit_of_work
from campaigns.emails.compose import Composed
from campaigns.emails.outbox import enqueue
from campaigns.emails.sending import send_due
from campaigns.extensions import db
from campaigns.models import EmailKind, EmailStatus, OutboxEmail
from tests.factories import make_campaign, start_gift
from tests.payments import stripe_events as se

THREADS = 8


def test_concurrent_reports_of_one_payment_queue_one_receipt(committing_app) -> None:
    with committing_app.app_context():
        gift = start_gift(make_campaign(slug="receipt-race"), 2500)
        session = se.checkout_session(gift.id, 2500, payment_intent="pi_receipt_race")
        gift_id = gift.id
    # Different event ids for the same payment (a completed and an async-succeeded event,
    # say): the event table lets each through, so the receipt's own key must hold.
    payloads = [se.event("checkout.session.completed", session) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def post(payload) -> int:
        client = committing_app.test_client()
        barrier.wait()
        return se.post_event(client, payload).status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        assert set(pool.map(post, payloads)) == {200}
    assert se.drain(committing_app).applied == THREADS
    with committing_app.app_context():
        receipts = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.kind == EmailKind.RECEIPT)
        ).all()
        assert [r.donation_id for r in receipts] == [gift_id]


class Recording:
    """A transport that notes what it was handed (shared by every worker thread)."""

    def __init__(self, sent: list[str], lock: threading.Lock) -> None:
        self.sent, self.lock = sent, lock

    def __enter__(self) -> Recording:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None

    def send(self, message: EmailMessage) -> None:
        with self.lock:
            self.sent.append(str(message["Message-ID"]))


def test_two_workers_never_send_the_same_email(committing_app) -> None:
    with committing_app.app_context(), unit_of_work():
        for n in range(60):
            enqueue(
                EmailKind.RECEIPT,
                f"race:{n}",
                Composed(f"Email {n}", "text\n", "<p>html</p>\n"),
                to_address=f"donor{n}@example.org",
            )
    sent: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def work() -> None:
        with committing_app.app_context():
            barrier.wait()
            while send_due(Recording(sent, lock), batch=5).attempted:
                pass
            db.session.remove()

    with committing_app.app_context():
        due = len(db.session.scalars(select(OutboxEmail.id)).all())
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(work) for _ in range(THREADS)]:
            future.result()
    assert len(sent) == due
    assert Counter(sent).most_common(1)[0][1] == 1
    with committing_app.app_context():
        statuses = set(db.session.scalars(select(OutboxEmail.status)))
        assert statuses == {EmailStatus.SENT}
