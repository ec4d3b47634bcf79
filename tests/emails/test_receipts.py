"""Receipts: their contents on the wire, and exactly one per paid gift whatever webhooks do;
refund notices, one per refund."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from campaigns.models import Donation, DonationStatus, EmailKind
from tests.donating import advance, donate
from tests.fixtures.mail import configured, html_of, outbox, text_of

ACK = "No goods or services were provided in exchange for this contribution."


def paid_donations(db) -> list[Donation]:
    db.expire_all()
    return list(
        db.scalars(select(Donation).where(Donation.status == DonationStatus.PAID).order_by("id"))
    )


def test_receipt_contents_and_encoding_over_smtp(
    client, db, campaign, sandbox, sandbox_browser, smtp, deliver
) -> None:
    donate(client, sandbox_browser, name="Zoë Ångström", email="zoe@example.org", cover_fees="y")
    sandbox.flush_webhooks()
    assert deliver().sent == 1

    [gift] = paid_donations(db)
    [message] = smtp.messages
    assert message["Subject"] == "Your receipt from Independent Media: $26.06"
    assert message["From"] == "Independent Media <donations@news.example.org>"
    [to] = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Zoë Ångström", "zoe@example.org")
    assert "=?utf-8?" in smtp.envelopes[0].content.decode("ascii").split("\r\n\r\n")[0]

    text = text_of(message)
    html = html_of(message)
    for part in (text, html):
        assert "Zoë Ångström" in part
        assert ACK in part
        assert "Tax ID: EIN 12-3456789" in part
        assert "12 Press Lane" in part and "Springfield, IL 62701" in part
        assert "Keep independent media alive" in part
        assert gift.stripe_payment_intent_id in part
        assert "$26.06 USD" in part
        assert "$1.06" in part  # the fee the donor chose to cover
    assert re.search(rf"^Receipt number: +{gift.id}\r?$", text, re.MULTILINE)
    paid_on = gift.paid_at.astimezone(campaign.zone)
    assert f"{paid_on:%B} {paid_on.day}, {paid_on.year}" in text
    assert '<html lang="en">' in html and '<meta charset="utf-8">' in html


def test_names_are_escaped_in_the_html_part(client, db, campaign, sandbox, sandbox_browser) -> None:
    donate(client, sandbox_browser, name='Ann "Bo" Smith & Co')
    sandbox.flush_webhooks()
    [receipt] = outbox(EmailKind.RECEIPT)
    assert "Ann &#34;Bo&#34; Smith &amp; Co" in receipt.html_body
    assert 'Ann "Bo" Smith & Co' in receipt.text_body  # plain text is not HTML


@pytest.mark.parametrize(
    "fault",
    [{"duplicate": 3}, {"reorder": True}, {"duplicate": 2, "reorder": True}],
    ids=["duplicated", "reordered", "both"],
)
def test_one_receipt_per_paid_gift_whatever_the_deliveries(
    client, db, campaign, sandbox, sandbox_browser, runner, fault
) -> None:
    sandbox_browser.post("/_sandbox/faults", json=fault)
    donate(client, sandbox_browser, amount="25")
    donate(client, sandbox_browser, amount="40", frequency="monthly", email="bo@example.org")
    sandbox.flush_webhooks()
    advance(sandbox_browser, sandbox, 32)  # a renewal
    sandbox_browser.delete("/_sandbox/faults")
    sandbox.flush_webhooks()
    # Replaying every event once more, as `stripe reconcile` would after an outage.
    assert runner.invoke(args=["stripe", "reconcile"]).exit_code == 0

    paid = paid_donations(db)
    assert len(paid) == 3  # one-time, first month, renewal
    receipts = outbox(EmailKind.RECEIPT)
    assert sorted(r.donation_id for r in receipts) == [gift.id for gift in paid]
    assert {r.to_address for r in receipts} == {"ann@example.org", "bo@example.org"}
    assert len(outbox(EmailKind.WELCOME)) == 1


def test_every_renewal_gets_its_own_receipt(client, db, campaign, sandbox, sandbox_browser) -> None:
    donate(client, sandbox_browser, amount="15", frequency="monthly")
    sandbox.flush_webhooks()
    advance(sandbox_browser, sandbox, 32)
    advance(sandbox_browser, sandbox, 31)
    receipts = outbox(EmailKind.RECEIPT)
    assert len(receipts) == 3
    assert all("$15.00 monthly gift" in r.subject for r in receipts)
    assert len({r.text_body for r in receipts}) == 3  # each its own number and reference


def test_staff_copies_of_templates_win_and_queued_receipts_keep_their_words(
    app, client, db, campaign, sandbox, sandbox_browser, tmp_path
) -> None:
    donate(client, sandbox_browser)
    sandbox.flush_webhooks()
    overrides = tmp_path / "emails"
    overrides.mkdir()
    (overrides / "receipt.txt").write_text(
        "Subject: With thanks, receipt {{ receipt_number }}\n\nThank you, {{ name }}!\n"
        "{{ acknowledgement }}\n",
        encoding="utf-8",
    )
    with configured(app, EMAIL_TEMPLATE_DIR=str(tmp_path)):
        donate(client, sandbox_browser, email="bo@example.org", name="Bo")
        sandbox.flush_webhooks()
    first, second = outbox(EmailKind.RECEIPT)
    assert first.subject == "Your receipt from Independent Media: $25.00"
    assert second.subject == f"With thanks, receipt {second.donation_id}"
    assert second.text_body == f"Thank you, Bo!\n{ACK}\n"
    assert "This is your receipt; please keep it" in second.html_body  # the shipped HTML part


def test_a_broken_staff_template_never_fails_the_webhook(
    app, client, db, campaign, sandbox, sandbox_browser, tmp_path
) -> None:
    overrides = tmp_path / "emails"
    overrides.mkdir()
    (overrides / "receipt.txt").write_text("Subject: {{ no_such_value }}\n", encoding="utf-8")
    (overrides / "receipt.html").write_text("{% if %}", encoding="utf-8")
    with configured(app, EMAIL_TEMPLATE_DIR=str(tmp_path)):
        donate(client, sandbox_browser)
        sandbox.flush_webhooks()
    assert [d.status for d in paid_donations(db)] == [DonationStatus.PAID]
    [receipt] = outbox(EmailKind.RECEIPT)
    assert receipt.subject == "Your receipt from Independent Media: $25.00"  # the shipped one
    assert ACK in receipt.html_body


def test_each_refund_is_told_once_even_when_events_repeat(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    donate(client, sandbox_browser, amount="100")
    sandbox.flush_webhooks()
    intent = db.scalar(select(Donation.stripe_payment_intent_id))
    sandbox_browser.post("/_sandbox/faults", json={"duplicate": 2, "reorder": True})
    sandbox_browser.post("/_sandbox/refund", json={"payment_intent": intent, "amount": 2500})
    sandbox.flush_webhooks()
    [partial] = outbox(EmailKind.REFUND)
    assert partial.subject == "Refund of $25.00 for your gift to Independent Media"
    assert "your contribution is now $75.00" in partial.text_body

    sandbox_browser.post("/_sandbox/refund", json={"payment_intent": intent})
    sandbox.flush_webhooks()
    first, rest = outbox(EmailKind.REFUND)
    assert first.id == partial.id
    assert rest.subject == "Refund of $75.00 for your gift to Independent Media"
    assert "no longer counts as a contribution" in rest.text_body
    assert len(outbox(EmailKind.RECEIPT)) == 1
