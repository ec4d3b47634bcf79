"""Signing in: where the login sends you next, and how failed attempts are limited."""

import pytest

from campaigns.models import Role
from tests.fixtures.staff import login, make_staff

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/staff/donors?q=ann", "/staff/donors?q=ann"),
        ("https://evil.example/staff/", "/staff/"),
        ("//evil.example/staff/", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("/campaigns/x", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_next_never_leaves_the_dashboard(client, db, next_url, expected) -> None:
    staff = make_staff(Role.VIEWER)
    response = login(client, staff.email, next_url=next_url.replace("?", "%3F"))
    assert response.status_code == 303
    assert response.headers["Location"] == expected


def test_failed_logins_are_rate_limited_but_successes_are_not(client, db) -> None:
    staff = make_staff(Role.VIEWER)
    for _ in range(3):
        assert login(client, staff.email).status_code == 303
    for _ in range(5):
        assert login(client, staff.email, password="guess").status_code == 401
    limited = login(client, staff.email, password="guess")
    assert limited.status_code == 429
    assert "Too many attempts" in limited.get_data(as_text=True)
    # Even the right password waits out the limit: the guesser can't tell it worked.
    assert login(client, staff.email).status_code == 429
