"""Every staff URL refuses anonymous and under-privileged users: enumerated from the URL map."""

import re

import pytest

from campaigns.models import Role
from tests.factories import make_campaign
from tests.fixtures.staff import login, make_staff
from tests.web.forms import csrf_token

pytestmark = pytest.mark.usefixtures("fresh_rate_limits")

OPEN_TO_ANY_ACCOUNT = {"staff.login", "staff.logout", "staff.password"}


def staff_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staff") and rule.endpoint != "staff.login":
            yield rule


def concrete(rule) -> str:
    return re.sub(r"<(?:int:)?\w+>", "1", rule.rule)


def methods(rule):
    return sorted(m for m in rule.methods if m in {"GET", "POST"})


def test_every_staff_view_declares_a_role_or_is_open_to_any_account(app) -> None:
    for rule in staff_rules(app):
        view = app.view_functions[rule.endpoint]
        declared = getattr(view, "required_role", None)
        assert declared is not None or rule.endpoint in OPEN_TO_ANY_ACCOUNT, rule.endpoint


def test_anonymous_visitors_are_sent_to_the_login_page(app, client, db) -> None:
    rules = list(staff_rules(app))
    assert len(rules) >= 12
    for rule in rules:
        for method in methods(rule):
            response = client.open(concrete(rule), method=method, data={})
            if method == "POST":
                # No session, no CSRF token: refused before anything else happens.
                assert response.status_code in (302, 400), (rule.rule, response.status_code)
            else:
                assert response.status_code == 302, rule.rule
                assert response.headers["Location"].startswith("/staff/login?next="), rule.rule


@pytest.mark.parametrize("role", [Role.VIEWER, Role.STAFF])
def test_under_privileged_accounts_get_403(app, client, db, role) -> None:
    make_campaign()
    staff = make_staff(role)
    assert login(client, staff.email).status_code == 303
    token = csrf_token(client, "/staff/")
    checked = 0
    for rule in staff_rules(app):
        needed = getattr(app.view_functions[rule.endpoint], "required_role", None)
        if needed is None or role.allows(needed):
            continue
        for method in methods(rule):
            response = client.open(concrete(rule), method=method, data={"csrf_token": token})
            assert response.status_code == 403, (rule.rule, method, response.status_code)
            checked += 1
    assert checked > 0


def test_each_role_reaches_the_pages_it_may(client, db) -> None:
    make_campaign()
    expectations = {
        Role.VIEWER: {
            "/staff/": 200,
            "/staff/donors": 200,
            "/staff/gifts/new": 403,
            "/staff/accounts": 403,
        },
        Role.STAFF: {"/staff/gifts/new": 200, "/staff/campaigns/new": 403},
        Role.ADMIN: {"/staff/campaigns/new": 200, "/staff/accounts": 200, "/staff/audit": 200},
    }
    for role, pages in expectations.items():
        staff = make_staff(role)
        assert login(client, staff.email).status_code == 303
        for path, status in pages.items():
            assert client.get(path).status_code == status, (role, path)
        client.post("/staff/logout", data={"csrf_token": csrf_token(client, "/staff/password")})


def test_forms_without_a_csrf_token_are_refused(client, db, sign_in) -> None:
    sign_in(Role.ADMIN)
    response = client.post(
        "/staff/accounts",
        data={"email": "x@example.org", "role": "admin", "password": "long enough password"},
    )
    assert response.status_code == 400
    assert "This form timed out" in response.get_data(as_text=True)
    assert client.post("/staff/logout").status_code == 400
