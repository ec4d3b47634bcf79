"""Staff accounts and signing in, through the real login form."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from campaigns.db import unit_of_work
from campaigns.extensions import limiter
from campaigns.models import Role, Staff
from campaigns.staff_accounts.staff import create_staff
from tests.web.forms import submit

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_rate_limits(app):
    limiter.reset()
    yield
    limiter.reset()


def make_staff(role: Role, email: str | None = None) -> Staff:
    with unit_of_work():
        return create_staff(email or f"{role.value}@example.org", PASSWORD, role)


def login(client, email: str, password: str = PASSWORD, next_url: str | None = None):
    url = "/staff/login" + (f"?next={next_url}" if next_url else "")
    return submit(client, url, {"email": email, "password": password})


@pytest.fixture
def sign_in(client, db) -> Callable[[Role], Staff]:
    """Create an account with ``role`` and sign the test client in with it."""

    def sign(role: Role) -> Staff:
        staff = make_staff(role)
        response = login(client, staff.email)
        assert response.status_code == 303, response.get_data(as_text=True)
        return staff

    return sign
