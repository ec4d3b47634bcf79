"""The inbox contract: the POST only stores, the worker applies once, in order, with retries."""

import contextvars
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, update

from campaigns.extensions import db as _db
from campaigns.models import (
    AuditEntry,
    Donation,
    EventStatus,
    Frequency,
    RecurringGift,
    RecurringStatus,
    Role,
    StripeEvent,
    utcnow,
)
from campaigns.payments import handlers
from campaigns.payments.worker import apply_due_events
from tests.factories import make_campaign, start_gift
from tests.fixtures.mail import configured
from tests.fixtures.staff import login, make_staff
from tests.payments import stripe_events as se
from tests.payments.ledger_state import event_count, recomputed_totals, snapshot, totals
from tests.web.forms import csrf_token


@pytest.fixture
def campaign(db):
    return make_campaign()


def work(app, **kwargs):
    """One pass of the worker (``apply_due_events``) in a context of its own."""

    def run():
        with app.app_context():
            return apply_due_events(**kwargs)

    return contextvars.Context().run(run)


def stored(event_id: str) -> StripeEvent:
    _db.session.expire_all()
    return _db.session.get(StripeEvent, event_id)


def completed(gift, amount=None, pi="pi_1", **kwargs):
    session = se.checkout_session(gift.id, amount or gift.total_amount, payment_intent=pi)
    return se.event("checkout.session.completed", session, **kwargs)


class Statements:
    """Every SQL statement the app's engine runs while counting."""

    def __init__(self, engine) -> None:
        self.engine, self.seen = engine, []

    def __enter__(self):
        sa_event.listen(self.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc) -> None:
        sa_event.remove(self.engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.seen.append(" ".join(statement.split()))

    @property
    def data(self) -> list[str]:
        """Reads and writes, leaving out transaction control (BEGIN, SAVEPOINT …)."""
        control = re.compile(r"^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)", re.I)
        return [sql for sql in self.seen if not control.match(sql)]


def test_the_post_stores_the_event_in_one_insert_and_applies_nothing(client, db, campaign):
    gift = start_gift(campaign, 2500)
    payload = completed(gift)
    before = snapshot()
    with Statements(_db.engine) as statements:
        response = se.post_event(client, payload)
    assert response.status_code == 200
    assert response.json == {"received": True, "outcome": "queued"}
    assert len(statements.data) == 1, statements.data
    assert statements.data[0].startswith("INSERT INTO stripe_event")
    assert snapshot() == before
    event = stored(payload["id"])
    assert event.status is EventStatus.RECEIVED
    assert json.loads(event.payload) == payload
    assert (event.object_key, event.attempts, event.received_via) == (
        payload["data"]["object"]["id"],
        0,
        "webhook",
    )
    assert db.get(Donation, gift.id).status.value == "pending"

    assert se.drain(client.application).applied == 1
    assert stored(payload["id"]).status is EventStatus.APPLIED
    assert stored(payload["id"]).applied_at is not None
    assert totals() == (2500, 1, 1) == recomputed_totals()


def test_a_stripe_outage_no_longer_fails_the_delivery(client, db, campaign):
    # A renewal whose payment intent must be fetched, with Stripe unreachable: Stripe hears
    # 200 at once; the worker keeps the event and tries again later.
    gift = start_gift(campaign, 1500, frequency=Frequency.MONTHLY)
    se.deliver_event(
        client, se.event("customer.subscription.created", se.subscription(gift.id, "sub_1", 1500))
    )
    renewal = se.invoice(
        gift.id, "sub_1", 1500, billing_reason="subscription_cycle", payment_intent=None
    )
    payload = se.event("invoice.paid", renewal)
    assert se.post_event(client, payload).status_code == 200
    report = se.drain(client.application)
    assert (report.applied, report.retrying) == (0, 1)
    event = stored(payload["id"])
    assert event.status is EventStatus.RECEIVED and event.attempts == 1
    assert "PaymentServiceError" in event.last_error
    assert event.next_attempt_at > utcnow() + timedelta(seconds=25)


def test_duplicates_are_applied_exactly_once(client, db, campaign, monkeypatch):
    calls: list[str] = []
    original = handlers.HANDLERS["checkout.session.completed"]

    def counting(obj, created):
        calls.append(obj["id"])
        return original(obj, created)

    monkeypatch.setitem(handlers.HANDLERS, "checkout.session.completed", counting)
    gift = start_gift(campaign, 2500)
    payload = completed(gift)
    outcomes = [se.post_event(client, payload).json["outcome"] for _ in range(3)]
    assert outcomes == ["queued", "duplicate", "duplicate"]
    se.drain(client.application)
    assert se.deliver_event(client, payload) == "duplicate"
    se.drain(client.application)
    assert calls == [payload["data"]["object"]["id"]]
    assert event_count() == 1
    assert totals() == (2500, 1, 1)


def test_events_of_one_object_are_applied_in_the_order_stripe_created_them(
    client, db, campaign, monkeypatch
):
    # A renewal fails, then Stripe says the subscription is active again. Delivered the other
    # way round, and applied as delivered, the gift would end up past due.
    gift = start_gift(campaign, 1500, frequency=Frequency.MONTHLY)
    se.deliver_event(
        client,
        se.event(
            "checkout.session.completed",
            se.checkout_session(gift.id, 1500, mode="subscription", subscription="sub_1"),
            created=100,
        ),
    )
    applied: list[tuple[str, int]] = []
    for kind in ("invoice.payment_failed", "customer.subscription.updated"):
        original = handlers.HANDLERS[kind]

        def recording(obj, created, original=original, kind=kind):
            applied.append((kind, created))
            return original(obj, created)

        monkeypatch.setitem(handlers.HANDLERS, kind, recording)
    failed = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_cycle",
        payment_intent=None,
        invoice_id="in_2",
        status="open",
    )
    newer = se.event(
        "customer.subscription.updated", se.subscription(gift.id, "sub_1", 1500), created=300
    )
    older = se.event("invoice.payment_failed", failed, created=200)
    assert se.post_event(client, newer).status_code == 200
    assert se.post_event(client, older).status_code == 200
    # Each pass takes only the earliest event of the subscription.
    assert work(client.application).applied == 1
    assert applied == [("invoice.payment_failed", 200)]
    assert work(client.application).applied == 1
    assert applied == [("invoice.payment_failed", 200), ("customer.subscription.updated", 300)]
    recurring = db.scalar(select(RecurringGift))
    assert (recurring.status, recurring.failed_payments) == (RecurringStatus.ACTIVE, 1)


def test_a_failing_event_backs_off_then_parks_without_holding_up_the_others(
    app, client, db, campaign, monkeypatch
):
    one, two = start_gift(campaign, 1000), start_gift(campaign, 2000, email="bo@example.org")
    broken = completed(one, pi="pi_broken", created=100)
    later_same = se.event(
        "charge.refunded", se.charge("pi_broken", 1000, 500, "ch_broken"), created=200
    )
    other = completed(two, pi="pi_fine", created=150)
    original = handlers.HANDLERS["checkout.session.completed"]

    def flaky(obj, created):
        if obj["payment_intent"] == "pi_broken":
            raise RuntimeError("the ledger is having a bad day")
        return original(obj, created)

    monkeypatch.setitem(handlers.HANDLERS, "checkout.session.completed", flaky)
    # The refund is keyed by its payment intent, not by the session: to make it wait behind
    # the broken session, both must be one object; give the session the intent's key.
    for payload in (broken, later_same, other):
        assert se.post_event(client, payload).status_code == 200
    _db.session.execute(
        update(StripeEvent).where(StripeEvent.id == broken["id"]).values(object_key="pi_broken")
    )
    _db.session.commit()

    start = utcnow()
    with configured(
        app, EVENT_MAX_ATTEMPTS=3, EVENT_RETRY_BASE_SECONDS=60, EVENT_RETRY_MAX_SECONDS=600
    ):
        report = work(app, now=start)
        assert (report.applied, report.retrying) == (1, 1)  # the other gift goes through
        assert totals() == (2000, 1, 1)
        event = stored(broken["id"])
        assert (event.status, event.attempts) == (EventStatus.RECEIVED, 1)
        assert "bad day" in event.last_error
        assert event.next_attempt_at == start + timedelta(seconds=60)
        # Nothing is due before the backoff; the refund waits behind the broken event.
        assert work(app, now=start + timedelta(seconds=59)).attempted == 0
        assert work(app, now=start + timedelta(seconds=60)).retrying == 1
        assert stored(broken["id"]).next_attempt_at == start + timedelta(seconds=180)
        assert work(app, now=start + timedelta(seconds=180)).failed == 1
        assert stored(later_same["id"]).status is EventStatus.RECEIVED
        assert work(app, now=start + timedelta(days=1)).attempted == 0

    parked = stored(broken["id"])
    assert (parked.status, parked.attempts) == (EventStatus.FAILED, 3)
    assert "RuntimeError: the ledger is having a bad day" in parked.last_error
    assert totals() == (2000, 1, 1) == recomputed_totals()

    # Fixed (the handler works again): an admin retries it, and the refund follows it.
    monkeypatch.setitem(handlers.HANDLERS, "checkout.session.completed", original)

    admin = make_staff(Role.ADMIN)
    assert login(client, admin.email).status_code == 303
    page = client.get("/staff/events").get_data(as_text=True)
    assert "RuntimeError: the ledger is having a bad day" in page
    assert re.search(r'<td class="num">1</td>\s*<td>\s*<form', page)  # one waits behind it
    assert '<dd class="inbox-failed">1</dd>' in page
    response = client.post(
        f"/staff/events/{broken['id']}/retry",
        data={"csrf_token": csrf_token(client, "/staff/events")},
    )
    assert response.status_code == 303
    assert stored(broken["id"]).status is EventStatus.RECEIVED
    audit = db.scalar(select(AuditEntry).where(AuditEntry.action == "stripe_event.retry"))
    assert audit.target == f"stripe_event:{broken['id']}" and audit.actor == admin.email
    assert "bad day" in audit.details["error"]
    se.drain(app)
    assert stored(broken["id"]).status is EventStatus.APPLIED
    assert stored(later_same["id"]).status is EventStatus.APPLIED
    assert totals() == (2500, 2, 2) == recomputed_totals()
    # A second retry of an event no longer failed finds nothing to do.
    again = client.post(
        f"/staff/events/{broken['id']}/retry",
        data={"csrf_token": csrf_token(client, "/staff/events")},
    )
    assert again.status_code == 404


def test_a_malformed_object_is_parked_at_once(client, db, campaign):
    gift = start_gift(campaign, 2500)
    session = {**se.checkout_session(gift.id, 2500), "amount_total": "lots"}
    assert se.deliver_event(client, se.event("checkout.session.completed", session)) == "failed"
    [event] = db.scalars(select(StripeEvent)).all()
    assert event.attempts == 1 and "amount_total is not an amount" in event.last_error
    assert totals() == (0, 0, 0)
    assert db.get(Donation, gift.id).status.value == "pending"


def test_the_overview_warns_when_events_wait_longer_than_a_minute(client, db, campaign, sign_in):
    sign_in(Role.VIEWER)
    payload = completed(start_gift(campaign, 2500))
    se.post_event(client, payload)
    assert "Stripe events are waiting" not in client.get("/staff/").get_data(as_text=True)
    _db.session.execute(update(StripeEvent).values(received_at=utcnow() - timedelta(minutes=3)))
    _db.session.commit()
    html = client.get("/staff/").get_data(as_text=True)
    assert "Stripe events are waiting" in html and "3 minutes" in html
    events_page = client.get("/staff/events").get_data(as_text=True)
    assert '<dd class="inbox-received">1</dd>' in events_page
    assert "Try again" not in events_page  # nothing failed, and viewers may not retry anyway
    se.drain(client.application)
    assert "Stripe events are waiting" not in client.get("/staff/").get_data(as_text=True)
    assert '<dd class="inbox-lag">nothing</dd>' in client.get("/staff/events").get_data(
        as_text=True
    )


def test_an_invoice_for_a_subscription_that_isnt_ours_is_ignored_without_calling_stripe(
    client, db, campaign
):
    # The same Stripe account sells memberships: no gift, no campaign of ours in its metadata.
    # Stripe is unreachable in this test, so any call would leave the event to retry.
    membership = se.invoice(
        1, "sub_membership", 900, billing_reason="subscription_cycle", payment_intent=None
    )
    membership["parent"]["subscription_details"]["metadata"] = {"plan": "gold"}
    payload = se.event("invoice.paid", membership)
    assert se.deliver_event(client, payload) == "ignored"
    event = stored(payload["id"])
    assert event.ignored_reason == "subscription sub_membership is not one of our monthly gifts"
    assert (event.attempts, event.last_error) == (1, "")
    assert totals() == (0, 0, 0)


def test_an_invoice_stripe_has_never_heard_of_is_ignored_with_the_reason(
    client, db, campaign, sandbox
):
    gift = start_gift(campaign, 1500, frequency=Frequency.MONTHLY)
    unknown = se.invoice(
        gift.id,
        "sub_1",
        1500,
        billing_reason="subscription_create",
        payment_intent=None,
        invoice_id="in_nobody_issued",
    )
    payload = se.event("invoice.paid", unknown)
    assert se.deliver_event(client, payload) == "ignored"
    event = stored(payload["id"])
    assert event.ignored_reason == "Stripe has no invoice in_nobody_issued (resource_missing)"
    assert event.last_error == ""
    assert totals() == (0, 0, 0)


def test_the_ledger_counts_what_stripe_collected_and_flags_a_mismatch(
    client, db, campaign, sign_in
):
    asked, other_currency, exact = (
        start_gift(campaign, 2500, name="Ann Short"),
        start_gift(campaign, 4000, email="bo@example.org", name="Bo Euro"),
        start_gift(campaign, 1000, email="cy@example.org", name="Cy Exact"),
    )
    se.deliver_event(client, completed(asked, 3000, pi="pi_a"))
    euro = {
        **se.checkout_session(other_currency.id, 4000, payment_intent="pi_b"),
        "currency": "EUR",
    }
    se.deliver_event(client, se.event("checkout.session.completed", euro))
    se.deliver_event(client, completed(exact, pi="pi_c"))
    db.expire_all()
    gifts = {d.name: d for d in db.scalars(select(Donation))}
    assert (gifts["Ann Short"].collected_amount, gifts["Ann Short"].collected_currency) == (
        3000,
        "usd",
    )
    assert gifts["Ann Short"].amount_mismatch and gifts["Bo Euro"].amount_mismatch
    assert not gifts["Cy Exact"].amount_mismatch
    # What Stripe took counts, in the campaign's currency; euros don't go into a dollar total.
    assert (gifts["Ann Short"].counted_amount, gifts["Bo Euro"].counted_amount) == (3000, 0)
    assert totals() == (4000, 2, 2) == recomputed_totals()

    sign_in(Role.VIEWER)
    html = client.get("/staff/donations").get_data(as_text=True)
    assert "Stripe collected $30.00" in html and "Stripe collected €40.00" in html
    assert html.count("amount-mismatch") == 2
    donor = client.get(f"/staff/donors/{gifts['Ann Short'].donor_id}").get_data(as_text=True)
    assert "Stripe collected $30.00" in donor


def test_a_renewal_records_what_the_invoice_collected(client, db, campaign):
    gift = start_gift(campaign, 1500, frequency=Frequency.MONTHLY)
    for kind, obj in (
        (
            "checkout.session.completed",
            se.checkout_session(gift.id, 1500, mode="subscription", subscription="sub_1"),
        ),
        (
            "invoice.paid",
            se.invoice(
                gift.id, "sub_1", 1500, billing_reason="subscription_create", payment_intent="pi_1"
            ),
        ),
        (
            "invoice.paid",
            se.invoice(
                gift.id,
                "sub_1",
                2000,
                billing_reason="subscription_cycle",
                payment_intent="pi_2",
                invoice_id="in_2",
            ),
        ),
    ):
        assert se.deliver_event(client, se.event(kind, obj)) == "applied"
    renewal = db.scalar(select(Donation).where(Donation.stripe_invoice_id == "in_2"))
    assert (renewal.collected_amount, renewal.amount_mismatch) == (2000, False)
    assert totals() == (3500, 2, 1) == recomputed_totals()


def test_a_worker_claims_no_more_than_its_batch(client, db, campaign):
    gifts = [start_gift(campaign, 1000 + n, email=f"d{n}@example.org") for n in range(12)]
    for gift in gifts:
        se.post_event(client, completed(gift, pi=f"pi_b{gift.id}"))
    assert work(client.application, batch=5).attempted == 5
    assert work(client.application, batch=5).attempted == 5
    assert work(client.application, batch=5).attempted == 2
