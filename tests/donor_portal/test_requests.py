"""Asking for a link: the same answer and the same work for every address, limits alike."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from campaigns.extensions import db as _db
from campaigns.extensions import limiter
from campaigns.models import EmailKind
from tests.fixtures.donor_portal import REQUEST, request_link
from tests.fixtures.mail import configured, outbox
from tests.web.forms import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


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
