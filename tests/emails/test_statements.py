"""Year-end statements: one per donor and year, net of refunds, and a printable page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from campaigns.db import unit_of_work
from campaigns.fundraising.offline import OfflineGift, record_offline_gift
from campaigns.models import Donation, EmailKind, PaymentMethod, Role, utcnow
from tests.donating import donate
from tests.factories import make_campaign
from tests.fixtures.mail import html_of, link_in, outbox, text_of
from tests.fixtures.staff import make_staff

ACK = "No goods or services were provided in exchange for this contribution."
YEAR = utcnow().year


@pytest.fixture
def two_year_campaign(db):
    """Open from the start of last year to the end of January next year."""
    return make_campaign(
        starts_at=datetime(YEAR - 1, 1, 1, tzinfo=UTC),
        ends_at=datetime(YEAR + 1, 1, 31, tzinfo=UTC),
    )


@pytest.fixture
def clerk(db):
    return make_staff(Role.STAFF, "records@example.org")


def check(campaign, clerk, day: date, amount: int, email: str, name: str) -> int:
    """A check recorded by staff: a paid gift dated ``day`` (noon UTC)."""
    with unit_of_work():
        gift = OfflineGift(
            campaign_id=campaign.id,
            amount=amount,
            method=PaymentMethod.CHECK,
            received_on=day,
            name=name,
            email=email,
            reference="1042",
        )
        return record_offline_gift(gift, clerk).id


@pytest.fixture
def gifts(client, db, two_year_campaign, clerk, sandbox, sandbox_browser) -> None:
    check(two_year_campaign, clerk, date(YEAR, 1, 1), 10_000, "ann@example.org", "Ann Example")
    donate(client, sandbox_browser, amount="40")  # Ann, by card, today
    sandbox.flush_webhooks()
    intent = db.scalar(select(Donation.stripe_payment_intent_id).where(Donation.amount == 4000))
    sandbox_browser.post("/_sandbox/refund", json={"payment_intent": intent, "amount": 1000})
    sandbox.flush_webhooks()
    check(two_year_campaign, clerk, date(YEAR - 1, 6, 1), 2_500, "bo@example.org", "Bo")
    # Paid at 03:00 UTC on January 1: still December 31 in New York, the campaign's zone.
    late = check(two_year_campaign, clerk, date(YEAR, 1, 1), 7_500, "cy@example.org", "Cy")
    with unit_of_work() as session:
        session.execute(
            update(Donation)
            .where(Donation.id == late)
            .values(paid_at=datetime(YEAR, 1, 1, 3, tzinfo=UTC))
        )


def test_each_donor_gets_one_statement_a_year(db, gifts, runner) -> None:
    result = runner.invoke(args=["statements", "send", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    assert f"1 statement for {YEAR} queued, 0 already queued" in result.output
    [ann] = outbox(EmailKind.STATEMENT)
    assert ann.to_address == "ann@example.org"
    assert ann.subject == f"Your {YEAR} giving statement from Independent Media"
    assert f"Total given in {YEAR}: $130.00" in ann.text_body
    assert "$30.00 USD (of $40.00, $10.00 refunded)" in ann.text_body
    assert f"January 1, {YEAR}  $100.00 USD" in ann.text_body
    assert ACK in ann.text_body

    again = runner.invoke(args=["statements", "send", "--year", str(YEAR)])
    assert f"0 statements for {YEAR} queued, 1 already queued" in again.output
    assert len(outbox(EmailKind.STATEMENT)) == 1

    last_year = runner.invoke(args=["statements", "send", "--year", str(YEAR - 1)])
    assert f"2 statements for {YEAR - 1} queued" in last_year.output
    by_address = {e.to_address: e for e in outbox(EmailKind.STATEMENT) if e.id != ann.id}
    assert set(by_address) == {"bo@example.org", "cy@example.org"}
    assert f"December 31, {YEAR - 1}  $75.00 USD" in by_address["cy@example.org"].text_body


def test_the_statement_goes_out_and_its_link_opens_a_printable_copy(
    client, db, gifts, runner, smtp, deliver
) -> None:
    runner.invoke(args=["statements", "send", "--year", str(YEAR)])
    assert deliver().sent == 3  # the card gift's receipt and refund notice, and the statement
    [message] = [m for m in smtp.messages if "giving statement" in m["Subject"]]
    text, html = text_of(message), html_of(message)
    assert "Tax ID: EIN 12-3456789" in text and "Tax ID: EIN 12-3456789" in html
    assert "$130.00" in html and ACK in html

    path = link_in(text, "/my-giving/statement/")
    page = client.get(path)
    assert page.status_code == 200
    printable = page.get_data(as_text=True)
    assert f"Your {YEAR} giving statement" in printable
    assert "$130.00" in printable and "$10.00 refunded" in printable
    assert "Open a printable copy" not in printable
    assert page.headers["Referrer-Policy"] == "no-referrer"
