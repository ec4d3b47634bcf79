"""Offline gifts: recorded and voided by staff, counted at once; card gifts cannot be voided."""

from datetime import date

import pytest
from sqlalchemy import select

from campaigns.models import AuditEntry, Donation, DonationStatus, Role
from tests.payments.ledger_state import recomputed_totals, totals
from tests.payments.stripe_events import paid
from tests.web.forms import csrf_token, submit

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_record_and_void_an_offline_gift(client, db, campaign, sign_in) -> None:
    sign_in(Role.STAFF)
    response = submit(
        client,
        "/staff/gifts/new",
        {
            "campaign": str(campaign.id),
            "amount": "250",
            "method": "check",
            "received_on": date.today().isoformat(),
            "reference": "1042",
            "name": "Dee Check",
            "email": "dee@example.org",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert totals() == (25000, 1, 1) == recomputed_totals()
    gift = db.scalar(select(Donation))
    assert (gift.method.value, gift.reference, gift.offline) == ("check", "1042", True)

    donor_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "check 1042" in donor_page
    voided = client.post(
        f"/staff/gifts/{gift.id}/void",
        data={"csrf_token": csrf_token(client, "/staff/donations"), "reason": "bounced"},
    )
    assert voided.status_code == 303
    assert totals() == (0, 0, 0) == recomputed_totals()
    db.expire_all()
    assert db.get(Donation, gift.id).status is DonationStatus.VOIDED  # kept, never deleted
    actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["gift.recorded", "gift.voided"]


def test_offline_gift_form_errors_write_nothing(client, db, campaign, sign_in) -> None:
    sign_in(Role.STAFF)
    response = submit(
        client,
        "/staff/gifts/new",
        {
            "campaign": str(campaign.id),
            "amount": "abc",
            "method": "check",
            "received_on": "2999-01-01",
            "name": "<b>x</b>",
            "email": "nope",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter an amount as a number" in html
    assert "Please leave out the &lt; and &gt; characters." in html
    assert db.scalar(select(Donation.id)) is None


def test_card_gifts_cannot_be_voided(client, db, campaign, sign_in) -> None:
    gift = paid(client, campaign, 1000, "pi_card")
    sign_in(Role.STAFF)
    client.post(
        f"/staff/gifts/{gift.id}/void",
        data={"csrf_token": csrf_token(client, "/staff/donations"), "reason": "oops"},
    )
    assert totals() == (1000, 1, 1)
