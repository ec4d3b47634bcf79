"""Monthly gifts: the welcome for a new monthly donor, the failed-payment email and its link."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from campaigns.models import EmailKind, RecurringGift, RecurringStatus
from tests.donating import advance, donate
from tests.fixtures.mail import link_in, outbox
from tests.web.forms import csrf_token

FAILS_ON_RENEWAL = "4000000000000341"


def test_a_new_monthly_donor_is_welcomed_once(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    sandbox_browser.post("/_sandbox/faults", json={"duplicate": 2})
    donate(client, sandbox_browser, amount="15", frequency="monthly", name="Zoë")
    sandbox.flush_webhooks()
    advance(sandbox_browser, sandbox, 32)
    [welcome] = outbox(EmailKind.WELCOME)
    assert welcome.to_address == "ann@example.org"
    assert "Your monthly gift of $15.00 to Keep independent media alive" in welcome.text_body
    assert "http://donate.example.org/my-giving " in welcome.text_body


def test_a_failed_renewal_asks_for_a_new_card_with_a_link_that_opens_stripe(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    sandbox_browser.post("/_sandbox/faults", json={"duplicate": 2})
    donate(client, sandbox_browser, amount="20", frequency="monthly", card=FAILS_ON_RENEWAL)
    sandbox.flush_webhooks()
    advance(sandbox_browser, sandbox, 32)
    [notice] = outbox(EmailKind.PAYMENT_FAILED)
    assert notice.subject == "Your monthly gift of $20.00 to Independent Media didn't go through"
    assert "the link works for 14 days" in notice.text_body
    gift = db.scalar(select(RecurringGift))
    assert gift.status is RecurringStatus.PAST_DUE

    path = link_in(notice.text_body, "/my-giving/card/")
    page = client.get(path)
    assert page.status_code == 200
    assert "Update your card" in page.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 303
    portal = urlsplit(response.headers["Location"])
    assert portal.netloc == "127.0.0.1:12111" and portal.path.startswith("/billing_portal/bps_")
    shown = sandbox_browser.get(portal.path).get_data(as_text=True)
    assert "Your monthly gifts" in shown and "$20.00" in shown

    # The next month's failure is another invoice, and another email.
    advance(sandbox_browser, sandbox, 31)
    assert len(outbox(EmailKind.PAYMENT_FAILED)) == 2
