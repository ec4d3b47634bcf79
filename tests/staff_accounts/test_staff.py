"""Staff accounts: one answer to a wrong password or an unknown address, and sessions that end
with a new password or a deactivated account."""

import pytest

from campaigns.models import Role
from tests.fixtures.staff import PASSWORD, login, make_staff
from tests.web.forms import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def test_wrong_password_and_unknown_email_look_the_same(client, db) -> None:
    staff = make_staff(Role.VIEWER)
    wrong = login(client, staff.email, password="not the password")
    unknown = login(client, "nobody@example.org")
    assert wrong.status_code == unknown.status_code == 401
    message = "That email and password don&#39;t match an account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_changing_the_password_signs_out_other_sessions(app, client, db, sign_in) -> None:
    staff = sign_in(Role.VIEWER)
    other = app.test_client()
    assert login(other, staff.email).status_code == 303
    assert other.get("/staff/").status_code == 200

    response = client.post(
        "/staff/password",
        data={
            "csrf_token": csrf_token(client, "/staff/password"),
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 303
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    assert login(other, staff.email, password="a brand new passphrase").status_code == 303


def test_a_deactivated_account_is_signed_out(client, db, sign_in) -> None:
    from campaigns.db import unit_of_work
    from campaigns.extensions import db as _db
    from campaigns.models import Staff

    staff = sign_in(Role.VIEWER)
    with unit_of_work():
        _db.session.get(Staff, staff.id).active = False
    assert client.get("/staff/").status_code == 302
    assert login(client, staff.email).status_code == 401
