"""Staff accounts page: admins create and demote accounts, and cannot lock themselves out."""

import pytest

from campaigns.models import Role
from tests.web.forms import csrf_token, submit

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_admin_creates_and_demotes_accounts(client, db, sign_in) -> None:
    admin = sign_in(Role.ADMIN)
    created = submit(
        client,
        "/staff/accounts",
        {
            "email": "new@example.org",
            "name": "New",
            "role": "viewer",
            "password": "long enough password",
        },
    )
    assert created.status_code == 303
    html = client.get("/staff/accounts").get_data(as_text=True)
    assert "new@example.org" in html
    # An admin can't lock themselves out.
    client.post(
        f"/staff/accounts/{admin.id}",
        data={"csrf_token": csrf_token(client, "/staff/accounts"), "role": "viewer", "active": "y"},
    )
    assert client.get("/staff/accounts").status_code == 200
