"""/my-giving: a donor changes, cancels or keeps a monthly gift, or its card, through Stripe."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaigns.models import Donation, EmailKind, RecurringGift, RecurringStatus
from tests.donating import advance
from tests.fixtures.donor_portal import manage_path
from tests.fixtures.mail import outbox
from tests.web.forms import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


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


def test_changes_need_the_forms_token(client, db, monthly_donor) -> None:
    path = manage_path(client)
    gift = db.scalar(select(RecurringGift))
    assert client.post(f"{path}/monthly/{gift.id}/cancel").status_code == 400
