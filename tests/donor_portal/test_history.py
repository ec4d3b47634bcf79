"""What a donor sees of their giving: their gifts, receipts and statements, and nobody else's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaigns.models import Donation, EmailKind, RecurringGift
from tests.donating import donate
from tests.fixtures.donor_portal import manage_path, request_link
from tests.fixtures.mail import link_in, outbox
from tests.web.forms import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


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
