"""The donate page, then donating through the sandbox: Checkout Session parameters, paying,
webhooks, the thanks page."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from campaigns.models import Donation, DonationStatus, RecurringGift, RecurringStatus
from tests.donating import DONATE, FORM, start_checkout
from tests.factories import make_campaign
from tests.payments.ledger_state import recomputed_totals, totals
from tests.sandbox_client import pay, sdk_client
from tests.web.forms import input_tag, submit


def session_id(url: str) -> str:
    return urlsplit(url).path.rsplit("/", 1)[1]


URL = "/campaigns/eoy-test/donate"
VALID = {
    "amount": "25",
    "frequency": "one_time",
    "name": "Ann Example",
    "email": "ann@example.org",
}


def donations(db) -> int:
    return db.scalar(select(func.count()).select_from(Donation))


def test_get_shows_presets_frequency_and_a_labelled_button(client, campaign) -> None:
    html = client.get(URL).get_data(as_text=True)
    for preset in ("$25", "$50", "$100"):
        assert f">{preset}</a>" in html
    assert 'name="csrf_token"' in html
    assert input_tag(html, name="amount")["value"] == "50"  # the middle preset is suggested
    assert re.search(r'<button type="submit"[^>]*>Donate \$50\.00</button>', html)


def test_link_parameters_prefill_the_form(client, campaign) -> None:
    html = client.get(URL + "?amount=40&frequency=monthly&source=banner&variant=b&cover_fees=1")
    html = html.get_data(as_text=True)
    assert input_tag(html, name="amount")["value"] == "40"
    assert "checked" in input_tag(html, name="frequency", value="monthly")
    assert "checked" not in input_tag(html, name="frequency", value="one_time")
    assert "checked" in input_tag(html, name="cover_fees")
    assert input_tag(html, name="source", type="hidden")["value"] == "banner"
    assert input_tag(html, name="variant", type="hidden")["value"] == "b"
    # $40 plus the covered fee of 2.9% + 30 cents, per month.
    assert re.search(r">Donate \$41\.51 / month</button>", html)


def test_no_form_once_the_campaign_has_ended(client, db) -> None:
    now = datetime.now(UTC)
    make_campaign(starts_at=now - timedelta(days=30), ends_at=now - timedelta(minutes=1))
    page = client.get(URL)
    assert "no longer takes donations" in page.get_data(as_text=True)
    assert 'name="amount"' not in page.get_data(as_text=True)
    late = client.post(URL, data=VALID)
    assert late.status_code in (400, 409)
    assert donations(db) == 0


def test_one_time_checkout_session_parameters(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    url = start_checkout(client, cover_fees="y")
    stripe = sdk_client(sandbox.wsgi_app)
    session = stripe.v1.checkout.sessions.retrieve(
        session_id(url), params={"expand": ["line_items"]}
    )
    donation = db.scalar(select(Donation))
    assert donation.status is DonationStatus.PENDING
    assert donation.stripe_checkout_session_id == session.id
    assert session.url == url
    assert session.mode == "payment"
    assert session.submit_type == "donate"
    assert session.customer_email == "ann@example.org"
    assert session.amount_total == 2606 == donation.total_amount
    assert session.success_url == (
        "http://donate.example.org/campaigns/eoy-test/thanks?session_id={CHECKOUT_SESSION_ID}"
    )
    assert session.cancel_url.startswith(
        "http://donate.example.org/campaigns/eoy-test/donate?resume="
    )
    assert session.metadata.to_dict() == {
        "donation_id": str(donation.id),
        "campaign": "eoy-test",
        "source": "banner",
        "variant": "b",
    }
    item = session.line_items.data[0]
    assert item.description == "Donation to Keep independent media alive"
    assert item.quantity == 1

    # After paying, the PaymentIntent carries the same metadata.
    pay(sandbox_browser, url)
    sandbox.flush_webhooks()
    db.expire_all()
    paid = db.get(Donation, donation.id)
    intent = stripe.v1.payment_intents.retrieve(paid.stripe_payment_intent_id)
    assert intent.metadata["donation_id"] == str(donation.id)
    assert intent.metadata["variant"] == "b"


def test_a_repeated_submission_never_opens_two_sessions_for_one_gift(
    client, db, campaign, sandbox
) -> None:
    first = start_checkout(client)
    second = start_checkout(client)
    # Two submissions are two gifts, each with a session of its own; a retried API call for
    # one gift reuses its idempotency key and gets the same session back.
    assert session_id(first) != session_id(second)
    assert len(db.scalars(select(Donation)).all()) == 2


def test_donate_pay_thanks_and_the_new_total(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    url = start_checkout(client)
    success = pay(sandbox_browser, url, name="Ann Example", email="ann@example.org")
    parts = urlsplit(success)
    assert parts.path == "/campaigns/eoy-test/thanks"
    thanks_path = f"{parts.path}?{parts.query}"
    assert parse_qs(parts.query)["session_id"] == [session_id(url)]

    # Before the webhook lands the page says so, and nothing is counted.
    pending = client.get(thanks_path).get_data(as_text=True)
    assert "is being confirmed" in pending
    assert "$25.00" in pending
    assert totals() == (0, 0, 0)

    sandbox.flush_webhooks()
    confirmed = client.get(thanks_path).get_data(as_text=True)
    assert "Thank you, Ann Example!" in confirmed
    assert re.search(r'class="gift-amount">\$25\.00</strong>', confirmed)
    assert totals() == (2500, 1, 1) == recomputed_totals()
    page = client.get("/campaigns/eoy-test").get_data(as_text=True)
    assert '<strong class="raised">$25.00</strong>' in page
    assert '<dd class="donor-count">1</dd>' in page


def test_thanks_page_refuses_unknown_or_foreign_sessions(client, db, campaign, sandbox) -> None:
    assert client.get("/campaigns/eoy-test/thanks?session_id=cs_test_nope").status_code == 404
    assert client.get("/campaigns/eoy-test/thanks").status_code == 404
    make_campaign(slug="other")
    url = start_checkout(client)
    assert client.get(f"/campaigns/other/thanks?session_id={session_id(url)}").status_code == 404


def test_declined_card_leaves_the_gift_unpaid(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    url = start_checkout(client)
    with pytest.raises(AssertionError, match="Your card was declined"):
        pay(sandbox_browser, url, card="4000000000000002")
    sandbox.flush_webhooks()
    assert db.scalar(select(Donation.status)) is DonationStatus.PENDING
    assert totals() == (0, 0, 0)


def test_cancel_link_brings_the_form_back_filled_in(client, db, campaign, sandbox) -> None:
    url = start_checkout(client, dedication="my mother", newsletter="y")
    stripe = sdk_client(sandbox.wsgi_app)
    cancel = urlsplit(stripe.v1.checkout.sessions.retrieve(session_id(url)).cancel_url)
    html = client.get(f"{cancel.path}?{cancel.query}").get_data(as_text=True)
    assert 'value="Ann Example"' in html
    assert 'value="my mother"' in html
    assert 'value="banner"' in html
    # A tampered token is ignored, not an error.
    assert client.get(DONATE + "?resume=forged").status_code == 200


def test_expired_session_marks_the_gift_expired(client, db, campaign, sandbox) -> None:
    url = start_checkout(client)
    sdk_client(sandbox.wsgi_app).v1.checkout.sessions.expire(session_id(url))
    sandbox.flush_webhooks()
    assert db.scalar(select(Donation.status)) is DonationStatus.EXPIRED


def test_stripe_unreachable_shows_a_retry_message_and_never_a_500(client, db, campaign) -> None:
    response = submit(client, DONATE, FORM)
    assert response.status_code == 503
    assert "couldn't reach our payment processor" in response.get_data(as_text=True)


def test_monthly_gift_renews_and_a_failing_card_goes_past_due(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    good = start_checkout(client, frequency="monthly", amount="15")
    pay(sandbox_browser, good)
    bad = start_checkout(
        client, frequency="monthly", amount="20", email="bo@example.org", name="Bo"
    )
    pay(sandbox_browser, bad, card="4000000000000341")
    sandbox.flush_webhooks()
    assert totals() == (3500, 2, 2)
    stripe = sdk_client(sandbox.wsgi_app)
    session = stripe.v1.checkout.sessions.retrieve(session_id(good))
    assert session.mode == "subscription"
    assert session.submit_type is None
    subscription = stripe.v1.subscriptions.retrieve(session.subscription)
    assert subscription.metadata["campaign"] == "eoy-test"

    sandbox_browser.post("/_sandbox/clock/advance", json={"days": 32})
    sandbox.flush_webhooks()
    assert totals() == (5000, 3, 2) == recomputed_totals()
    gifts = {g.amount: g for g in db.scalars(select(RecurringGift))}
    assert gifts[1500].status is RecurringStatus.ACTIVE
    assert gifts[2000].status is RecurringStatus.PAST_DUE
    assert gifts[2000].failed_payments == 1
    failed = db.scalar(select(Donation).where(Donation.status == DonationStatus.FAILED))
    assert failed.amount == 2000 and failed.recurring_gift_id == gifts[2000].id


def test_a_session_that_could_not_be_recorded_is_closed_and_the_donor_can_retry(
    app, client, db, campaign, sandbox, sandbox_browser
) -> None:
    """Recording fails after Stripe answered: a retry page, not a 500, and no open session."""
    from campaigns.extensions import db as app_db
    from campaigns.models import Frequency
    from tests.fixtures.sandbox import STRIPE_CLIENT_KEY
    from tests.sandbox_client import SandboxHTTPClient

    created: list[str] = []

    class RecordingFails(SandboxHTTPClient):
        def request(self, method, url, headers, post_data=None, *, _usage=None):
            answer = super().request(method, url, headers, post_data, _usage=_usage)
            if method == "post" and url.endswith("/v1/checkout/sessions"):
                sid = re.search(r'"id": "(cs_[^"]+)"', answer[0]).group(1)
                created.append(sid)
                # Another row claims the session id first, so linking the gift fails.
                app_db.session.add(
                    Donation(
                        campaign_id=campaign.id,
                        amount=100,
                        currency="usd",
                        frequency=Frequency.ONE_TIME,
                        stripe_checkout_session_id=sid,
                    )
                )
            return answer

    app.config["STRIPE_HTTP_CLIENT"] = RecordingFails(sandbox.wsgi_app)
    app.extensions[STRIPE_CLIENT_KEY] = None
    response = submit(client, DONATE, FORM)
    assert response.status_code == 503
    assert "try again" in response.get_data(as_text=True).lower()
    (sid,) = created
    stripe = sdk_client(sandbox.wsgi_app)
    assert stripe.v1.checkout.sessions.retrieve(sid).status == "expired"
    # The pending gift was committed before Stripe was called; nothing claims the session.
    gifts = db.scalars(select(Donation)).all()
    assert [(g.status, g.stripe_checkout_session_id) for g in gifts] == [
        (DonationStatus.PENDING, None)
    ]
