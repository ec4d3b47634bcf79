"""/my-giving: signed links, no account enumeration, and monthly changes through Stripe."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import event, select

from campaigns.donor_portal.links import Purpose, make_token
from campaigns.extensions import db as _db
from campaigns.extensions import limiter
from campaigns.models import (
    Donation,
    Donor,
    EmailKind,
    RecurringGift,
    RecurringStatus,
)
from tests.donating import advance, donate
from tests.fixtures.mail import configured, link_in, outbox
from tests.web.forms import csrf_token, submit

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

REQUEST = "/my-giving"


@pytest.fixture
def monthly_donor(client, db, campaign, sandbox, sandbox_browser) -> Donor:
    donate(client, sandbox_browser, amount="15", frequency="monthly", name="Zoë Ångström")
    sandbox.flush_webhooks()
    return db.scalar(select(Donor))


def request_link(client, email: str):
    return submit(client, REQUEST, {"email": email})


def manage_path(client, email: str = "ann@example.org") -> str:
    assert request_link(client, email).status_code == 200
    return link_in(outbox(EmailKind.GIVING_LINK)[-1].text_body)


def test_a_donor_gets_a_link_to_their_gifts_and_receipts(client, db, monthly_donor) -> None:
    response = request_link(client, "ANN@example.org ")
    assert response.status_code == 200
    assert "Check your email" in response.get_data(as_text=True)
    [email] = outbox(EmailKind.GIVING_LINK)
    assert email.to_address == "ann@example.org"
    assert "It works for 60 minutes" in email.text_body
    path = link_in(email.text_body)

    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert "Your giving, Zoë Ångström" in html
    assert "$15.00 a month to Keep independent media alive" in html
    gift = db.scalar(select(Donation))
    receipt = client.get(f"{path}/receipts/{gift.id}")
    assert receipt.status_code == 200
    assert "No goods or services were provided" in receipt.get_data(as_text=True)
    year = gift.paid_at.astimezone(gift.campaign.zone).year
    statement = client.get(f"{path}/statements/{year}")
    assert statement.status_code == 200
    assert f"Your {year} giving statement" in statement.get_data(as_text=True)


def same_headers(response) -> dict[str, str]:
    """The headers, less what differs by the second or by the echoed address's length."""
    varying = {"Content-Length", "Retry-After"}
    headers = {
        key: value
        for key, value in response.headers.items()
        if key not in varying and not key.startswith("X-RateLimit")
    }
    # The session cookie's content, without its timestamp and signature.
    headers["Set-Cookie"] = re.sub(r"\.[\w-]+\.[\w-]+;", ";", headers.get("Set-Cookie", ""))
    return headers


def _statements_during(app, action) -> int:
    count = 0

    def counting(*args) -> None:
        nonlocal count
        count += 1

    engine = _db.engine
    event.listen(engine, "before_cursor_execute", counting)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", counting)
    return count


def test_known_and_unknown_addresses_get_the_same_answer(app, client, db, monthly_donor) -> None:
    known, unknown = "ann@example.org", "nobody@example.org"
    token_known = csrf_token(client, REQUEST)
    token_unknown = csrf_token(client, REQUEST)
    responses = {}
    statements = {}
    for email, token in ((known, token_known), (unknown, token_unknown)):

        def post(email=email, token=token) -> None:
            responses[email] = client.post(REQUEST, data={"email": email, "csrf_token": token})

        statements[email] = _statements_during(app, post)
    one, other = responses[known], responses[unknown]
    assert one.status_code == other.status_code == 200
    assert one.get_data(as_text=True).replace(known, "X") == other.get_data(as_text=True).replace(
        unknown, "X"
    )
    assert same_headers(one) == same_headers(other)
    # The same work either way: one lookup, one rendered email, one queued row.
    assert statements[known] == statements[unknown]
    [link] = outbox(EmailKind.GIVING_LINK)
    [no_gifts] = outbox(EmailKind.NO_GIVING)
    assert link.to_address == known and no_gifts.to_address == unknown
    assert "We have no gifts recorded under this address" in no_gifts.text_body
    assert "/my-giving/" not in no_gifts.text_body.replace("/my-giving\n", "")


def test_the_request_form_is_rate_limited_alike_for_every_address(
    app, client, db, monthly_donor
) -> None:
    with configured(app, MY_GIVING_RATE_LIMIT="100 per minute"):
        for email in ("ann@example.org", "nobody@example.org"):
            codes = [request_link(client, email).status_code for _ in range(4)]
            assert codes == [200, 200, 200, 429], email  # three an hour per address
    # And per client address, whatever addresses it tries.
    limiter.reset()
    codes = [request_link(client, f"n{n}@example.org").status_code for n in range(6)]
    assert codes == [200] * 5 + [429]


def test_an_invalid_address_is_refused_before_anything_is_sent(client, db) -> None:
    response = request_link(client, "not-an-address")
    assert response.status_code == 400
    assert "Enter an email address like" in response.get_data(as_text=True)
    assert outbox() == []


def test_a_tampered_link_gets_a_page_to_ask_for_a_new_one(client, db, monthly_donor) -> None:
    path = manage_path(client)
    token = path.rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (f"/my-giving/{forged}", "/my-giving/nonsense", f"/my-giving/{token}x"):
        response = client.get(bad)
        assert response.status_code == 404, bad
        html = response.get_data(as_text=True)
        assert "This link doesn't work" in html and 'name="email"' in html
    # A link made for one purpose opens nothing else.
    statement = make_token(Purpose.STATEMENT, monthly_donor, y=2026)
    assert client.get(f"/my-giving/{statement}").status_code == 404
    manage = path.rsplit("/", 1)[1]
    assert client.get(f"/my-giving/statement/{manage}").status_code == 404


def test_an_expired_link_says_so(app, client, db, monthly_donor, monkeypatch) -> None:
    signed_at = int(time.time()) - 3601
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: signed_at)
    token = make_token(Purpose.MANAGE, monthly_donor)
    monkeypatch.undo()
    response = client.get(f"/my-giving/{token}")
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    with configured(app, MY_GIVING_LINK_SECONDS=7200):
        assert client.get(f"/my-giving/{token}").status_code == 200


def test_a_link_stops_working_when_the_address_changes(client, db, monthly_donor) -> None:
    path = manage_path(client)
    monthly_donor.email_key = "ann.new@example.org"
    db.commit()
    assert client.get(path).status_code == 404


def test_changing_the_monthly_amount_goes_through_stripe_and_comes_back(
    client, db, monthly_donor, sandbox, sandbox_browser
) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    action = f"{path}/monthly/{gift.id}/amount"
    response = client.post(action, data={"amount": "30", "csrf_token": csrf_token(client, path)})
    assert response.status_code == 303
    # Nothing changes here until Stripe's webhook says so.
    db.expire_all()
    assert db.get(RecurringGift, gift.id).amount == 1500
    sandbox.flush_webhooks()
    db.expire_all()
    assert db.get(RecurringGift, gift.id).amount == 3000
    assert "$30.00 a month" in client.get(path).get_data(as_text=True)

    advance(sandbox_browser, sandbox, 32)
    renewal = db.scalars(select(Donation).order_by(Donation.id.desc())).first()
    assert renewal.total_amount == 3000
    assert "$30.00 monthly gift" in outbox(EmailKind.RECEIPT)[-1].subject


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0.50", "Enter an amount from $1.00 to $100,000.00."), ("abc", "Enter an amount as")],
)
def test_an_amount_out_of_bounds_is_explained(client, db, monthly_donor, typed, message) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    response = client.post(
        f"{path}/monthly/{gift.id}/amount",
        data={"amount": typed, "csrf_token": csrf_token(client, path)},
    )
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_canceling_ends_the_gift_after_the_paid_month_with_one_confirmation(
    client, db, monthly_donor, sandbox, sandbox_browser
) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    token = csrf_token(client, path)
    assert (
        client.post(f"{path}/monthly/{gift.id}/cancel", data={"csrf_token": token}).status_code
        == 303
    )
    sandbox.flush_webhooks()
    db.expire_all()
    gift = db.get(RecurringGift, gift.id)
    assert gift.cancel_at_period_end and gift.status is RecurringStatus.ACTIVE
    [confirmation] = outbox(EmailKind.CANCELLATION)
    assert "is canceled" in confirmation.text_body
    assert "nothing more will be" in confirmation.text_body
    assert "Canceled: it ends" in client.get(path).get_data(as_text=True)

    paid_before = len(outbox(EmailKind.RECEIPT))
    advance(sandbox_browser, sandbox, 32)
    db.expire_all()
    assert db.get(RecurringGift, gift.id).status is RecurringStatus.CANCELED
    assert len(outbox(EmailKind.RECEIPT)) == paid_before  # no more charges
    assert len(outbox(EmailKind.CANCELLATION)) == 1  # the ending is the same cancellation


def test_a_canceled_gift_can_be_kept_before_the_month_ends(
    client, db, monthly_donor, sandbox
) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    token = csrf_token(client, path)
    client.post(f"{path}/monthly/{gift.id}/cancel", data={"csrf_token": token})
    sandbox.flush_webhooks()
    client.post(f"{path}/monthly/{gift.id}/keep", data={"csrf_token": token})
    sandbox.flush_webhooks()
    db.expire_all()
    assert not db.get(RecurringGift, gift.id).cancel_at_period_end


def test_update_card_opens_stripes_portal_for_this_gift(
    client, db, monthly_donor, sandbox, sandbox_browser
) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    response = client.post(
        f"{path}/monthly/{gift.id}/card", data={"csrf_token": csrf_token(client, path)}
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("http://127.0.0.1:12111/billing_portal/bps_")
    portal = sandbox_browser.get(location.removeprefix("http://127.0.0.1:12111"))
    assert "$15.00" in portal.get_data(as_text=True)


def test_nobody_else_can_touch_a_gift(
    client, db, campaign, monthly_donor, sandbox, sandbox_browser
) -> None:
    donate(client, sandbox_browser, amount="20", frequency="monthly", email="bo@example.org")
    sandbox.flush_webhooks()
    bo_gift = db.scalar(select(RecurringGift).where(RecurringGift.amount == 2000))
    bo_donation = db.scalar(select(Donation).where(Donation.email == "bo@example.org"))
    path = manage_path(client)  # Ann's link
    token = csrf_token(client, path)
    for action in ("amount", "cancel", "card"):
        response = client.post(
            f"{path}/monthly/{bo_gift.id}/{action}", data={"amount": "5", "csrf_token": token}
        )
        assert response.status_code == 404, action
    assert client.get(f"{path}/receipts/{bo_donation.id}").status_code == 404
    sandbox.flush_webhooks()
    db.expire_all()
    assert db.get(RecurringGift, bo_gift.id).amount == 2000
    assert "$20.00" not in client.get(path).get_data(as_text=True)


def test_changes_need_the_forms_token(client, db, monthly_donor) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    assert client.post(f"{path}/monthly/{gift.id}/cancel").status_code == 400
