"""The development mailbox: what `make run` shows a newcomer, and never in production."""

from __future__ import annotations

import re

import pytest

from campaigns import create_app
from campaigns.models import EmailKind, EmailStatus
from tests.donating import donate
from tests.fixtures.mail import outbox
from tests.web.forms import submit


def test_the_receipt_of_a_donation_is_readable_in_the_mailbox(
    app, client, db, campaign, sandbox, sandbox_browser, runner
) -> None:
    assert not app.config["MAIL_SERVER"]
    donate(client, sandbox_browser, name="Zoë Ångström")
    sandbox.flush_webhooks()
    result = runner.invoke(args=["emails", "send"])
    assert result.exit_code == 0, result.output
    assert "emails are kept at http://donate.example.org/dev/mailbox" in result.output
    [receipt] = outbox(EmailKind.RECEIPT)
    assert receipt.status is EmailStatus.SENT
    assert f"http://donate.example.org/dev/mailbox/{receipt.id}" in result.output

    inbox = client.get("/dev/mailbox").get_data(as_text=True)
    assert "Your receipt from Independent Media: $25.00" in inbox
    page = client.get(f"/dev/mailbox/{receipt.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Zoë Ångström" in html
    assert "No goods or services were provided in exchange for this contribution." in html
    assert re.search(r'<iframe [^>]*sandbox srcdoc="&lt;!doctype html&gt;', html)


def test_links_in_an_email_can_be_followed_from_the_mailbox(
    client, db, campaign, sandbox, sandbox_browser
) -> None:
    donate(client, sandbox_browser)
    sandbox.flush_webhooks()
    submit(client, "/my-giving", {"email": "ann@example.org"})
    [link_email] = outbox(EmailKind.GIVING_LINK)
    html = client.get(f"/dev/mailbox/{link_email.id}").get_data(as_text=True)
    assert re.search(r'<a href="http://donate\.example\.org/my-giving/[^"]+">', html)


def test_the_mailbox_answers_only_this_machine(client, db) -> None:
    assert client.get("/dev/mailbox").status_code == 200
    remote = client.get("/dev/mailbox", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert remote.status_code == 404


@pytest.mark.parametrize(
    "settings",
    [
        {"CAMPAIGNS_ENV": "production", "SECRET_KEY": "s3cret"},
        {"MAIL_SERVER": "smtp.example.org"},
    ],
    ids=["production", "smtp-configured"],
)
def test_there_is_no_mailbox_in_production_or_with_a_real_server(settings) -> None:
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings})
    assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dev")]
    assert app.test_client().get("/dev/mailbox").status_code == 404
