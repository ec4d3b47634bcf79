"""Staff resend a receipt from the donor's page."""

from __future__ import annotations

from sqlalchemy import select

from campaigns.models import AuditEntry, Donation, EmailKind, Role
from tests.donating import donate
from tests.factories import start_gift
from tests.fixtures.mail import outbox
from tests.web.forms import csrf_token


def test_staff_resend_the_receipt_word_for_word(
    client, db, campaign, sandbox, sandbox_browser, sign_in
) -> None:
    donate(client, sandbox_browser, name="Zoë Ångström")
    sandbox.flush_webhooks()
    gift = db.scalar(select(Donation))
    staff = sign_in(Role.STAFF)
    page = client.get(f"/staff/donors/{gift.donor_id}").get_data(as_text=True)
    action = f"/staff/donations/{gift.id}/resend-receipt"
    assert f'action="{action}"' in page and "Resend receipt" in page

    response = client.post(action, data={"csrf_token": csrf_token(client, "/staff/")})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/staff/donors/{gift.donor_id}"
    original, copy = outbox(EmailKind.RECEIPT)
    assert (copy.subject, copy.text_body, copy.html_body) == (
        original.subject,
        original.text_body,
        original.html_body,
    )
    assert copy.to_address == "ann@example.org" and copy.donation_id == gift.id
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "receipt.resent"))
    assert entry.staff_id == staff.id and entry.target == f"donation:{gift.id}"
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"Receipt {gift.id} queued to ann@example.org." in followed


def test_viewers_see_no_button_and_may_not_resend(
    client, db, campaign, sandbox, sandbox_browser, sign_in
) -> None:
    donate(client, sandbox_browser)
    sandbox.flush_webhooks()
    gift = db.scalar(select(Donation))
    sign_in(Role.VIEWER)
    page = client.get(f"/staff/donors/{gift.donor_id}").get_data(as_text=True)
    assert "Resend receipt" not in page
    response = client.post(
        f"/staff/donations/{gift.id}/resend-receipt",
        data={"csrf_token": csrf_token(client, "/staff/")},
    )
    assert response.status_code == 403
    assert len(outbox(EmailKind.RECEIPT)) == 1


def test_an_unpaid_gift_has_no_receipt_to_resend(client, db, campaign, sign_in) -> None:
    gift = start_gift(campaign)
    sign_in(Role.STAFF)
    response = client.post(
        f"/staff/donations/{gift.id}/resend-receipt",
        data={"csrf_token": csrf_token(client, "/staff/")},
    )
    assert response.status_code == 303
    assert outbox() == []
