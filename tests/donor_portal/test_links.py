"""Signed links: each for one purpose and a while, and only for the address it was sent to."""

from __future__ import annotations

import time

import pytest
from itsdangerous.timed import TimestampSigner

from campaigns.donor_portal.links import Purpose, make_token
from tests.fixtures.donor_portal import manage_path
from tests.fixtures.mail import configured

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


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
